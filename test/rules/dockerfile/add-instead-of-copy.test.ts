import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/add-instead-of-copy.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nADD https://example.com/a.txt /a.txt',
    'FROM debian:12\nADD rootfs.tar.gz /',
    'FROM debian:12\nADD app.tar /app/',
    'FROM debian:12\nCOPY . /app',
    'FROM debian:12\nARG URL=https://example.com/x\nADD ${URL} /x',
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
  ],
});
