import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/add-remote-url.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nADD --checksum=sha256:abc https://example.com/a.txt /a.txt',
    'FROM debian:12\nADD app.tar.gz /app/',
  ],
  invalid: [
    { code: 'FROM debian:12\nADD https://example.com/node.tar.gz /opt/', errors: [{ messageId: 'archive', line: 2 }] },
    { code: 'FROM debian:12\nADD https://example.com/a.txt /a.txt', errors: [{ messageId: 'unpinned', line: 2 }] },
  ],
});
