import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/installer-left-behind.js';

ruleTester.run(rule, {
  valid: [
    // Task lintfix2 item 6: a package downloaded into a local apt repository the image serves from is no leftover.
    'FROM debian:12-slim\nRUN mkdir -p /srv/repo && curl -fsSLo /srv/repo/tool.deb https://x/tool.deb && cd /srv/repo && dpkg-scanpackages . > Packages && echo "deb [trusted=yes] file:/srv/repo ./" > /etc/apt/sources.list.d/local.list && apt-get update && apt-get install -y tool',
    // Task lintfix2 item 4: removals the shell expands to the downloaded paths: a bracket glob covering them, the loop's
    // path inside the loop, a variable the RUN or an ARG set to the path.
    'FROM debian:12\nRUN for f in a b; do curl -fsSLo /tmp/$f.tgz https://x/$f.tgz; done && tar xzf /tmp/a.tgz -C /opt && rm -f /tmp/[ab].tgz',
    'FROM debian:12\nRUN curl -fsSLo /tmp/c.tgz https://x/c.tgz && tar xzf /tmp/c.tgz && rm -f /tmp/[!ab].tgz',
    'FROM debian:12\nRUN for f in a b; do curl -fsSLo /tmp/$f.tgz https://x/$f.tgz && tar xzf /tmp/$f.tgz -C /opt && rm /tmp/$f.tgz; done',
    'FROM debian:12\nRUN DEB=/tmp/x.deb && curl -fsSLo /tmp/x.deb https://x/x.deb && dpkg -i /tmp/x.deb && rm -f $DEB',
    'FROM debian:12\nARG DEB=/tmp/x.deb\nRUN curl -fsSLo /tmp/x.deb https://x/x.deb && dpkg -i /tmp/x.deb && rm -f $DEB',
    'FROM debian:12\nRUN curl -fsSLo /tmp/x.tar.gz https://x/x.tar.gz && tar -xzf /tmp/x.tar.gz -C /opt && rm /tmp/x.tar.gz',
    'FROM debian:12\nRUN curl -fsSL https://x/x.tar.gz | tar -xz -C /opt',
    'FROM debian:12\nRUN curl -fsSL -o /usr/local/bin/kubectl https://dl/kubectl && chmod +x /usr/local/bin/kubectl',
    'FROM debian:12\nRUN wget -qO- https://x/install.sh | sh',
    'FROM debian:12\nWORKDIR /tmp\nRUN wget https://x/pkg.deb && dpkg -i pkg.deb && rm -f *.deb',
    // A path holding a variable is removed by the same words, however the reference is spelled, or by a glob.
    'FROM ubuntu:24.04\nARG V=2.321.0\nRUN curl -o /home/r-${V}.tar.gz -L https://x/r-${V}.tar.gz && tar xzf /home/r-${V}.tar.gz -C /home && rm -f /home/r-${V}.tar.gz',
    'FROM debian:12\nARG V=1.2.3\nRUN wget -q -O /tmp/app-$V.tar.gz https://x/app-$V.tar.gz && tar xzf /tmp/app-$V.tar.gz -C /opt && rm "/tmp/app-${V}.tar.gz"',
    'FROM debian:12\nARG V=1.2.3\nRUN wget -q -O /tmp/app-$V.tar.gz https://x/app-$V.tar.gz && tar xzf /tmp/app-$V.tar.gz -C /opt && rm /tmp/app-*.tar.gz',
    // A glob the shell expands, partly quoted or not.
    'FROM debian:12\nRUN curl -fsSLo /tmp/c.tgz https://x/c.tgz && tar xzf /tmp/c.tgz && rm -f "/tmp/"*.tgz',
    'FROM debian:12\nRUN curl -fsSLo /tmp/c.tgz https://x/c.tgz && tar xzf /tmp/c.tgz && rm -f /tmp/*.tgz',
    // A relative download placed by the RUN's `cd`: removed with its directory from elsewhere, by name or by a glob,
    // or relatively from the directory above.
    'FROM debian:12\nRUN mkdir /tmp/b-1 && cd /tmp/b-1 && curl -fsSLo src.tgz https://x/x.tgz && tar xzf src.tgz && cd / && rm -rf /tmp/b-1',
    'FROM debian:12\nRUN mkdir /tmp/b-1 && cd /tmp/b-1 && curl -fsSLo src.tgz https://x/x.tgz && tar xzf src.tgz && cd / && rm -rf /tmp/b-*',
    'FROM debian:12\nRUN mkdir -p /tmp/b && cd /tmp/b && wget https://x/p.deb && dpkg -i p.deb && cd .. && rm -rf b',
    'FROM debian:12\nWORKDIR /src\nRUN cd build && curl -fsSLo t.tgz https://x/t.tgz && tar xzf t.tgz && cd / && rm -rf /src/build',
    // A variable whose value has no archive extension: a binary kept on purpose.
    'FROM debian:12\nARG BIN=/usr/local/bin/tini\nRUN curl -fsSL -o "$BIN" https://x/tini && chmod +x "$BIN"',
  ],
  invalid: [
    // The output path holds a variable: named as written, so the advised `rm -f` expands alike.
    {
      code: 'FROM ubuntu:24.04\nARG V=2.321.0\nRUN curl -o /home/r-${V}.tar.gz -L https://x/r-${V}.tar.gz && tar xzf /home/r-${V}.tar.gz -C /home',
      errors: [
        {
          messageId: 'leftBehind',
          line: 3,
          message:
            '`curl` downloads `/home/r-${V}.tar.gz` and this RUN never removes it: the archive or installer stays in the layer next to what it installed; add `&& rm -f /home/r-${V}.tar.gz` (or pipe the download straight into tar).',
        },
      ],
    },
    {
      code: 'FROM ubuntu:24.04\nRUN curl -o "/tmp/runner-${V}.tar.gz" -L "https://x/runner-${V}.tar.gz" && tar xzf "/tmp/runner-${V}.tar.gz" -C /home',
      errors: [{ messageId: 'leftBehind', line: 2 }],
    },
    {
      code: 'FROM debian:12-slim\nARG V=1.2.3\nRUN wget -q -O /tmp/app-$V.tar.gz https://x/app-$V.tar.gz && tar xzf /tmp/app-$V.tar.gz -C /opt',
      errors: [{ messageId: 'leftBehind', line: 3 }],
    },
    // The extension is in the variable's value.
    {
      code: 'FROM debian:12\nARG PKG=/tmp/tool.deb\nRUN curl -fsSLo "$PKG" https://x/tool.deb && dpkg -i "$PKG"',
      errors: [{ messageId: 'leftBehind', line: 3 }],
    },
    // Removed only when the extraction fails, or before the download: the archive stays.
    {
      code: 'FROM debian:12\nRUN curl -fsSL -o /tmp/a.tar.gz https://x/a.tar.gz && tar -xzf /tmp/a.tar.gz -C /opt || rm -f /tmp/a.tar.gz',
      errors: [{ messageId: 'leftBehind', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN rm -f /tmp/a.tar.gz; curl -fsSL -o /tmp/a.tar.gz https://x/a.tar.gz && tar -xzf /tmp/a.tar.gz -C /opt',
      errors: [{ messageId: 'leftBehind', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN curl -fsSL -o /tmp/node.tar.xz https://x/node.tar.xz && tar -xJf /tmp/node.tar.xz -C /usr/local',
      errors: [{ messageId: 'leftBehind', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN wget https://x/pkg.deb && dpkg -i pkg.deb',
      errors: [{ messageId: 'leftBehind', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN curl -O https://x/install.sh && sh install.sh',
      errors: [{ messageId: 'leftBehind', line: 2 }],
    },
    // Every file the RUN leaves is named, not only the first (the second stayed unreported until the first was removed).
    {
      code: 'FROM debian:12\nRUN curl -fsSL -o /tmp/a.tar.gz http://x/a.tar.gz && tar -xzf /tmp/a.tar.gz -C /opt && curl -fsSL -o /root/b.deb http://x/b.deb && dpkg -i /root/b.deb',
      errors: [
        {
          messageId: 'leftBehindMany',
          line: 2,
          message:
            'This RUN downloads `/tmp/a.tar.gz` and `/root/b.deb` and never removes them: the archives or installers stay in the layer next to what they installed; add `&& rm -f /tmp/a.tar.gz /root/b.deb` (or pipe the downloads straight into tar).',
        },
      ],
      // The fix removes both after every command of the RUN, the install steps that read them included.
      output:
        'FROM debian:12\nRUN curl -fsSL -o /tmp/a.tar.gz http://x/a.tar.gz && tar -xzf /tmp/a.tar.gz -C /opt && curl -fsSL -o /root/b.deb http://x/b.deb && dpkg -i /root/b.deb && rm -f /tmp/a.tar.gz /root/b.deb',
    },
    {
      code: 'FROM debian:12\nRUN curl -fsSL -o /tmp/a.tar.gz http://x/a.tar.gz && tar -xzf /tmp/a.tar.gz -C /opt && rm -f /tmp/a.tar.gz && wget -O /root/b.deb http://x/b.deb && dpkg -i /root/b.deb',
      errors: [
        {
          messageId: 'leftBehind',
          line: 2,
          message:
            '`wget` downloads `/root/b.deb` and this RUN never removes it: the archive or installer stays in the layer next to what it installed; add `&& rm -f /root/b.deb` (or pipe the download straight into tar).',
        },
      ],
    },
    // The fix: appended where the other cleanup fixes append (before a trailing `|| true`, as a last line of a `set -e`
    // heredoc), a path with a variable double-quoted so that it still expands.
    {
      code: 'FROM debian:12\nRUN wget -O /tmp/x.deb https://x/x.deb && dpkg -i /tmp/x.deb || true',
      errors: [{ messageId: 'leftBehind', line: 2 }],
      output:
        'FROM debian:12\nRUN wget -O /tmp/x.deb https://x/x.deb && dpkg -i /tmp/x.deb && rm -f /tmp/x.deb || true',
    },
    {
      code: 'FROM debian:12\nRUN <<EOF\nset -e\ncurl -fsSL -o /tmp/x.tar.gz https://x/x.tar.gz\ntar -xzf /tmp/x.tar.gz -C /opt\nEOF',
      errors: [{ messageId: 'leftBehind', line: 2 }],
      output:
        'FROM debian:12\nRUN <<EOF\nset -e\ncurl -fsSL -o /tmp/x.tar.gz https://x/x.tar.gz\ntar -xzf /tmp/x.tar.gz -C /opt\nrm -f /tmp/x.tar.gz\nEOF',
    },
    {
      code: 'FROM debian:12\nARG V=1.0\nRUN curl -fsSL -o "/tmp/my app-$V.tar.gz" https://x/a.tar.gz && tar -xzf "/tmp/my app-$V.tar.gz" -C /opt',
      errors: [{ messageId: 'leftBehind', line: 3 }],
      output:
        'FROM debian:12\nARG V=1.0\nRUN curl -fsSL -o "/tmp/my app-$V.tar.gz" https://x/a.tar.gz && tar -xzf "/tmp/my app-$V.tar.gz" -C /opt && rm -f "/tmp/my app-$V.tar.gz"',
    },
    {
      code: 'FROM debian:12\nWORKDIR /src\nRUN wget https://x/pkg.deb && dpkg -i pkg.deb',
      errors: [{ messageId: 'leftBehind', line: 3 }],
      output: 'FROM debian:12\nWORKDIR /src\nRUN wget https://x/pkg.deb && dpkg -i pkg.deb && rm -f pkg.deb',
    },
    // No fix where the removal could change what the build does: a later instruction reads the file, a loop downloads
    // one file per value, a relative path after a `cd`.
    {
      code: 'FROM debian:12\nRUN curl -fsSL -o /tmp/x.deb https://x/x.deb && echo ok\nRUN dpkg -i /tmp/x.deb',
      errors: [{ messageId: 'leftBehind', line: 2 }],
      output: 'FROM debian:12\nRUN curl -fsSL -o /tmp/x.deb https://x/x.deb && echo ok\nRUN dpkg -i /tmp/x.deb',
    },
    // Task lintfix2 item 4: a `for` loop over plain words downloads a file per word; each is named, and removed at the
    // end (`rm -f /tmp/x-$v.tar.gz` there would remove the last one only).
    {
      code: 'FROM debian:12\nRUN for v in 1 2; do curl -fsSL -o /tmp/x-$v.tar.gz https://x/$v.tar.gz; done',
      errors: [
        {
          messageId: 'leftBehindMany',
          line: 2,
          message:
            'This RUN downloads `/tmp/x-1.tar.gz` and `/tmp/x-2.tar.gz` and never removes them: the archives or installers stay in the layer next to what they installed; add `&& rm -f /tmp/x-1.tar.gz /tmp/x-2.tar.gz` (or pipe the downloads straight into tar).',
        },
      ],
      output:
        'FROM debian:12\nRUN for v in 1 2; do curl -fsSL -o /tmp/x-$v.tar.gz https://x/$v.tar.gz; done && rm -f /tmp/x-1.tar.gz /tmp/x-2.tar.gz',
    },
    // After the loop its variable keeps the last word: `rm` of the loop's path removes that one only.
    {
      code: 'FROM debian:12\nRUN for f in a b; do curl -fsSLo /tmp/$f.tgz https://x/$f.tgz; done && tar xzf /tmp/a.tgz -C /opt && rm -f /tmp/$f.tgz',
      errors: [
        {
          messageId: 'leftBehind',
          message:
            '`curl` downloads `/tmp/a.tgz` and this RUN never removes it: the archive or installer stays in the layer next to what it installed; add `&& rm -f /tmp/a.tgz` (or pipe the download straight into tar).',
        },
      ],
    },
    // A local repository elsewhere does not serve it.
    {
      code: 'FROM debian:12-slim\nRUN curl -fsSLo /tmp/tool.deb https://x/tool.deb && echo "deb [trusted=yes] file:/srv/repo ./" > /etc/apt/sources.list.d/local.list && dpkg -i /tmp/tool.deb',
      errors: [{ messageId: 'leftBehind', line: 2 }],
    },
    // A quoted or escaped glob: the shell gives rm the name `*.tgz`, which removes nothing.
    ...['rm -f "/tmp/*.tgz"', "rm -f '/tmp/[ab].tgz'", 'rm -f /tmp/\\*.tgz', 'rm -f /tmp/"*".tgz'].map((rm) => ({
      code: `FROM debian:12\nRUN curl -fsSLo /tmp/a.tgz https://x/a.tgz && tar xzf /tmp/a.tgz && ${rm}`,
      errors: [{ messageId: 'leftBehind', line: 2 }],
    })),
    // A bracket glob that leaves one out, or does not match at all.
    {
      code: 'FROM debian:12\nRUN for f in a b; do curl -fsSLo /tmp/$f.tgz https://x/$f.tgz; done && rm -f /tmp/[a].tgz',
      errors: [
        {
          messageId: 'leftBehind',
          message:
            '`curl` downloads `/tmp/b.tgz` and this RUN never removes it: the archive or installer stays in the layer next to what it installed; add `&& rm -f /tmp/b.tgz` (or pipe the download straight into tar).',
        },
      ],
    },
    {
      code: 'FROM debian:12\nRUN curl -fsSLo /tmp/c.tgz https://x/c.tgz && tar xzf /tmp/c.tgz && rm -f /tmp/[ab].tgz',
      errors: [{ messageId: 'leftBehind', line: 2 }],
    },
    // A variable whose value is another path, or one assigned only in a branch (it may have none).
    {
      code: 'FROM debian:12\nRUN DEB=/tmp/y.deb && curl -fsSLo /tmp/x.deb https://x/x.deb && dpkg -i /tmp/x.deb && rm -f $DEB',
      errors: [{ messageId: 'leftBehind', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN if [ -n "$A" ]; then DEB=/tmp/x.deb; fi && curl -fsSLo /tmp/x.deb https://x/x.deb && dpkg -i /tmp/x.deb && rm -f $DEB',
      errors: [{ messageId: 'leftBehind', line: 2 }],
    },
    // A `cd` elsewhere removed, or one lint cannot follow (`cd "$D"`; the base image's WORKDIR, relative to which a
    // relative `cd` goes): the download may stay.
    ...[
      'FROM debian:12\nRUN cd /tmp/b-1 && curl -fsSLo src.tgz https://x/x.tgz && tar xzf src.tgz && cd / && rm -rf /tmp/b-2',
      'FROM debian:12\nRUN cd "$D" && curl -fsSLo src.tgz https://x/x.tgz && tar xzf src.tgz && cd / && rm -rf /tmp/b-1',
      'FROM debian:12\nRUN cd b && curl -fsSLo src.tgz https://x/x.tgz && tar xzf src.tgz && cd / && rm -rf /b',
    ].map((code) => ({ code, errors: [{ messageId: 'leftBehind', line: 2 }], output: code })),
    {
      code: 'FROM debian:12\nRUN wget https://x/pkg.deb && dpkg -i pkg.deb && cd /opt && ./setup',
      errors: [{ messageId: 'leftBehind', line: 2 }],
      output: 'FROM debian:12\nRUN wget https://x/pkg.deb && dpkg -i pkg.deb && cd /opt && ./setup',
    },
    // A later instruction of the stage, or of a stage using it, that may reach the file through its directory, a glob
    // or a variable lint cannot resolve: the removal would break the build or the container, so no fix.
    ...[
      'FROM debian:12\nRUN curl -fsSL -o /tmp/foo_1.2_amd64.deb https://x/foo_1.2_amd64.deb\nRUN apt-get install -y /tmp/*.deb\nCMD ["x"]',
      'FROM debian:12\nRUN curl -fsSL -o /opt/pkgs/tool.deb https://x/tool.deb\nRUN cd /opt/pkgs && dpkg -i ./*',
      'FROM debian:12\nRUN curl -fsSL -o /srv/app.zip https://x/app.zip && unzip -q /srv/app.zip -d /srv\nCMD ["java","-cp","/srv/*","Main"]',
      'FROM debian:12\nRUN curl -fsSL -o /srv/lib/app.zip https://x/app.zip\nENTRYPOINT ["run", "--from", "/srv"]',
      'FROM debian:12\nRUN curl -fsSL -o /srv/app.zip https://x/app.zip\nENV CLASSPATH=/srv:/x',
      'FROM debian:12\nWORKDIR /pkgs\nRUN wget https://x/tool.deb\nRUN dpkg -i *.deb',
      'FROM debian:12\nRUN curl -fsSL -o /tmp/tool.deb https://x/tool.deb\nRUN dpkg -i "$PKG_DIR/tool-latest.deb"',
      'FROM debian:12 AS base\nRUN curl -fsSL -o /tmp/tool.deb https://x/tool.deb\nFROM base\nRUN dpkg -i /tmp/*.deb',
      'FROM debian:12 AS base\nRUN curl -fsSL -o /opt/dl/tool.tar.gz https://x/tool.tar.gz\nFROM base AS mid\nFROM alpine:3.21\nCOPY --from=mid /opt/dl/ /dl/',
      // The removal never runs after `exec`, and a command left in the background may still be reading the file.
      'FROM debian:12\nRUN curl -fsSL -o /tmp/a.tar.gz https://x/a.tar.gz && tar -xzf /tmp/a.tar.gz -C /opt && exec /opt/setup',
      'FROM debian:12\nRUN curl -fsSL -o /tmp/a.tar.gz https://x/a.tar.gz && (tar -xzf /tmp/a.tar.gz -C /opt &) && sleep 1',
    ].map((code) => ({ code, errors: [{ messageId: 'leftBehind' }], output: code })),
    // The fix stays where nothing later may reach the file: other directories, another stage, a CRLF file, a trailing
    // `;`, `set -e` with `|| true`, a WORKDIR-relative path whose directory later instructions do not name.
    {
      code: 'FROM debian:12\nRUN curl -fsSL -o /tmp/x.deb https://x/x.deb && dpkg -i /tmp/x.deb\nRUN ls /opt/* /tmp/other.tar.gz\nCMD ["/usr/bin/x", "$HOME"]',
      errors: [{ messageId: 'leftBehind', line: 2 }],
      output:
        'FROM debian:12\nRUN curl -fsSL -o /tmp/x.deb https://x/x.deb && dpkg -i /tmp/x.deb && rm -f /tmp/x.deb\nRUN ls /opt/* /tmp/other.tar.gz\nCMD ["/usr/bin/x", "$HOME"]',
    },
    {
      code: 'FROM debian:12 AS tool\nRUN ls /tmp/*\nFROM debian:12\nRUN curl -fsSL -o /tmp/x.deb https://x/x.deb && dpkg -i /tmp/x.deb\nFROM debian:12 AS other\nRUN dpkg -i /tmp/*.deb\nFROM debian:12\nCOPY --from=1 / /',
      errors: [{ messageId: 'leftBehind', line: 4 }],
      output:
        'FROM debian:12 AS tool\nRUN ls /tmp/*\nFROM debian:12\nRUN curl -fsSL -o /tmp/x.deb https://x/x.deb && dpkg -i /tmp/x.deb && rm -f /tmp/x.deb\nFROM debian:12 AS other\nRUN dpkg -i /tmp/*.deb\nFROM debian:12\nCOPY --from=1 / /',
    },
    {
      code: 'FROM debian:12\r\nRUN curl -fsSL -o /tmp/x.deb https://x/x.deb && dpkg -i /tmp/x.deb 2>&1\r\nCMD ["x"]\r\n',
      errors: [{ messageId: 'leftBehind', line: 2 }],
      output:
        'FROM debian:12\r\nRUN curl -fsSL -o /tmp/x.deb https://x/x.deb && dpkg -i /tmp/x.deb 2>&1 && rm -f /tmp/x.deb\r\nCMD ["x"]\r\n',
    },
    {
      code: 'FROM debian:12\nRUN curl -fsSL -o /tmp/x.deb https://x/x.deb; dpkg -i /tmp/x.deb;',
      errors: [{ messageId: 'leftBehind', line: 2 }],
      output: 'FROM debian:12\nRUN curl -fsSL -o /tmp/x.deb https://x/x.deb; dpkg -i /tmp/x.deb && rm -f /tmp/x.deb;',
    },
    {
      code: 'FROM debian:12\nRUN set -e; curl -fsSL -o /tmp/x.deb https://x/x.deb && dpkg -i /tmp/x.deb || true',
      errors: [{ messageId: 'leftBehind', line: 2 }],
      output:
        'FROM debian:12\nRUN set -e; curl -fsSL -o /tmp/x.deb https://x/x.deb && dpkg -i /tmp/x.deb && rm -f /tmp/x.deb || true',
    },
    {
      code: 'FROM debian:12\nWORKDIR /src\nRUN wget https://x/pkg.deb && dpkg -i pkg.deb\nRUN ls /opt/*\nWORKDIR /app',
      errors: [{ messageId: 'leftBehind', line: 3 }],
      output:
        'FROM debian:12\nWORKDIR /src\nRUN wget https://x/pkg.deb && dpkg -i pkg.deb && rm -f pkg.deb\nRUN ls /opt/*\nWORKDIR /app',
    },
  ],
});
