import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/add-instead-of-copy.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nADD https://example.com/a.txt /a.txt',
    'FROM debian:12\nADD rootfs.tar.gz /',
    'FROM debian:12\nADD app.tar /app/',
    // BuildKit's ADD unpacks zstd tars as it does gzip, bzip2 and xz ones: COPY would leave the archive packed.
    'FROM debian:12\nADD bundle.tar.zst /opt/',
    'FROM debian:12\nADD bundle.tzst /opt/',
    'FROM debian:12\nADD bundle.tar.zstd /opt/',
    'FROM debian:12\nADD rootfs.tar.bz2 /',
    'FROM debian:12\nADD rootfs.tbz2 /',
    'FROM debian:12\nADD rootfs.tar.xz /',
    'FROM debian:12\nADD rootfs.txz /',
    'FROM debian:12\nADD rootfs.tgz /',
    // ADD looks at the content, not the name's case.
    'FROM debian:12\nADD ROOTFS.TAR.GZ /',
    'FROM debian:12\nCOPY . /app',
    'FROM debian:12\nARG URL=https://example.com/x\nADD ${URL} /x',
    // ADD clones a git source, which COPY cannot: ssh and git URLs whatever their path, schemes in any case.
    'FROM debian:12\nADD ssh://git@host/x/bar.git#v1 /src',
    'FROM debian:12\nADD git://host/x/bar /src',
    'FROM debian:12\nADD HTTPS://host/x/bar.git /src',
    'FROM debian:12\nADD deploy@git.example.com:x/bar /src',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nADD . /app',
      errors: [{ messageId: 'useCopy', line: 2 }],
      output: 'FROM debian:12\nCOPY . /app',
    },
    {
      code: 'FROM debian:12\nADD --chown=app:app config.yaml /etc/app/',
      errors: [{ messageId: 'useCopy', line: 2 }],
      output: 'FROM debian:12\nCOPY --chown=app:app config.yaml /etc/app/',
    },
    {
      code: 'FROM debian:12\nADD ["a.txt", "/a.txt"]',
      errors: [{ messageId: 'useCopy', line: 2 }],
      output: 'FROM debian:12\nCOPY ["a.txt", "/a.txt"]',
    },
    // Mixed: no fix, since COPY would not unpack the archive.
    {
      code: 'FROM debian:12\nADD a.tar.gz b.txt /x/',
      errors: [{ messageId: 'useCopy', line: 2 }],
      output: 'FROM debian:12\nADD a.tar.gz b.txt /x/',
    },
    // Mixed with a git source or a URL from a variable: no fix, since COPY would not clone or download it.
    ...['git://host/x/bar', '${REPO}', '${URL}'].map((source) => ({
      code: `FROM debian:12\nARG REPO=ssh://git@host/x/bar\nARG URL=https://example.com/x\nADD ${source} b.txt /x/`,
      errors: [
        {
          messageId: 'useCopy' as const,
          line: 4,
          message:
            'ADD copies `b.txt`, a local file or folder; use COPY, which does only that (ADD also fetches URLs and unpacks archives).',
        },
      ],
      output: `FROM debian:12\nARG REPO=ssh://git@host/x/bar\nARG URL=https://example.com/x\nADD ${source} b.txt /x/`,
    })),
    // Mixed with a zstd tar: no fix either (COPY would leave bundle.tar.zst packed).
    {
      code: 'FROM debian:12\nADD bundle.tar.zst b.txt /x/',
      errors: [{ messageId: 'useCopy', line: 2 }],
      output: 'FROM debian:12\nADD bundle.tar.zst b.txt /x/',
    },
  ],
});
