import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/installer-left-behind.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN curl -fsSLo /tmp/x.tar.gz https://x/x.tar.gz && tar -xzf /tmp/x.tar.gz -C /opt && rm /tmp/x.tar.gz',
    'FROM debian:12\nRUN curl -fsSL https://x/x.tar.gz | tar -xz -C /opt',
    'FROM debian:12\nRUN curl -fsSL -o /usr/local/bin/kubectl https://dl/kubectl && chmod +x /usr/local/bin/kubectl',
    'FROM debian:12\nRUN wget -qO- https://x/install.sh | sh',
    'FROM debian:12\nWORKDIR /tmp\nRUN wget https://x/pkg.deb && dpkg -i pkg.deb && rm -f *.deb',
    // A path holding a variable is removed by the same words, however the reference is spelled, or by a glob.
    'FROM ubuntu:24.04\nARG V=2.321.0\nRUN curl -o /home/r-${V}.tar.gz -L https://x/r-${V}.tar.gz && tar xzf /home/r-${V}.tar.gz -C /home && rm -f /home/r-${V}.tar.gz',
    'FROM debian:12\nARG V=1.2.3\nRUN wget -q -O /tmp/app-$V.tar.gz https://x/app-$V.tar.gz && tar xzf /tmp/app-$V.tar.gz -C /opt && rm "/tmp/app-${V}.tar.gz"',
    'FROM debian:12\nARG V=1.2.3\nRUN wget -q -O /tmp/app-$V.tar.gz https://x/app-$V.tar.gz && tar xzf /tmp/app-$V.tar.gz -C /opt && rm /tmp/app-*.tar.gz',
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
    {
      code: 'FROM debian:12\nRUN for v in 1 2; do curl -fsSL -o /tmp/x-$v.tar.gz https://x/$v.tar.gz; done',
      errors: [{ messageId: 'leftBehind', line: 2 }],
      output: 'FROM debian:12\nRUN for v in 1 2; do curl -fsSL -o /tmp/x-$v.tar.gz https://x/$v.tar.gz; done',
    },
    {
      code: 'FROM debian:12\nRUN wget https://x/pkg.deb && dpkg -i pkg.deb && cd /opt && ./setup',
      errors: [{ messageId: 'leftBehind', line: 2 }],
      output: 'FROM debian:12\nRUN wget https://x/pkg.deb && dpkg -i pkg.deb && cd /opt && ./setup',
    },
  ],
});
