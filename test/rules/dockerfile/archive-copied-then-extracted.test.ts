// DF201 archive-copied-then-extracted (hadolint DL3010).
import { rule } from '../../../rules/dockerfile/archive-copied-then-extracted.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('ADD packaged-app.tar /usr/src/app'),
    df('COPY packaged-app.tar /usr/src/app/'),
    df('COPY packaged-app.tar /usr/src/app/', 'RUN tar -xf /usr/src/other.tar'),
    df('COPY packaged-app.tar /usr/src/app/', 'RUN tar -cf /tmp/out.tar /usr/src/app'),
    df('COPY app.jar /app/', 'RUN unzip -l /app/app.jar'),
    df('COPY data.zst /tmp/', 'RUN zstd -t /tmp/data.zst'),
    df('COPY --from=build /out/app.tar.gz /tmp/', 'RUN tar xzf /tmp/app.tar.gz'),
    'FROM debian:12 AS build\nCOPY a.tar /tmp/\nRUN tar xf /tmp/a.tar\nFROM debian:12\nCOPY --from=build /opt /opt',
    // Extracted in another stage: not this COPY's layer.
    'FROM debian:12\nCOPY app.tar /tmp/\nFROM debian:12\nRUN tar xf /tmp/app.tar',
  ],
  invalid: [
    {
      code: df('COPY packaged-app.tar /usr/src/app', 'RUN tar -xf /usr/src/app/packaged-app.tar'),
      errors: [
        {
          messageId: 'extracted',
          line: 2,
          message:
            '`packaged-app.tar` is COPYed and unpacked later: the archive itself stays in this layer; `ADD packaged-app.tar <dir>` unpacks it without keeping it.',
        },
      ],
    },
    {
      code: df('COPY packaged-app.tar /usr/src/app/', 'RUN tar -xf /usr/src/app/packaged-app.tar'),
      errors: [{ messageId: 'extracted', line: 2 }],
    },
    {
      code: df('WORKDIR /usr/src/app', 'COPY packaged-app.tar .', 'RUN tar -xf packaged-app.tar'),
      errors: [{ messageId: 'extracted', line: 3 }],
    },
    { code: df('COPY app.tgz /tmp/', 'RUN tar xzf /tmp/app.tgz -C /opt'), errors: [{ messageId: 'extracted' }] },
    {
      code: df('COPY app.tar.gz /tmp/', 'RUN cd /opt && tar --extract --gzip --file=/tmp/app.tar.gz'),
      errors: [{ messageId: 'extracted' }],
    },
    { code: df('COPY data.gz /tmp/', 'RUN gunzip /tmp/data.gz'), errors: [{ messageId: 'extracted' }] },
    { code: df('COPY data.xz /tmp/', 'RUN xz -d /tmp/data.xz'), errors: [{ messageId: 'extracted' }] },
    // zstd tars, which ADD unpacks too (hadolint does not report them)
    { code: df('COPY app.tar.zst /tmp/', 'RUN tar --zstd -xf /tmp/app.tar.zst'), errors: [{ messageId: 'extracted' }] },
    { code: df('COPY APP.TZST /tmp/', 'RUN tar -xf /tmp/APP.TZST'), errors: [{ messageId: 'extracted' }] },
    { code: df('COPY data.zst /tmp/', 'RUN zstd -d /tmp/data.zst'), errors: [{ messageId: 'extracted' }] },
    { code: df('COPY data.zst /tmp/', 'RUN unzstd /tmp/data.zst'), errors: [{ messageId: 'extracted' }] },
    {
      code: df('COPY app.tar.bz2 /tmp/app-1.tar.bz2', 'RUN tar xjf /tmp/app-1.tar.bz2'),
      errors: [{ messageId: 'extracted' }],
    },
    { code: df('COPY a.tar b.txt /tmp/', 'RUN tar -x -f /tmp/a.tar'), errors: [{ messageId: 'extracted', line: 2 }] },
    {
      code: df('COPY app.zip /tmp/', 'RUN unzip /tmp/app.zip -d /opt'),
      errors: [{ messageId: 'extractedZip', line: 2 }],
    },
    // Only stages that reach the final image count (a size rule).
    {
      code: 'FROM debian:12 AS unused\nCOPY a.tar /tmp/\nRUN tar xf /tmp/a.tar\nFROM debian:12\nCOPY b.tar /tmp/\nRUN tar xf /tmp/b.tar',
      errors: [{ messageId: 'extracted', line: 5 }],
    },
    // A build stage copied whole (`COPY --from=build / /`) ships the archive as well.
    {
      code: 'FROM debian:12 AS build\nCOPY a.tar /tmp/\nRUN tar xf /tmp/a.tar\nFROM scratch\nCOPY --from=build / /',
      errors: [{ messageId: 'extracted', line: 2 }],
    },
  ],
});
