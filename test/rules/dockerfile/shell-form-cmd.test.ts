import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/shell-form-cmd.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nCMD ["app", "--port", "80"]',
    'FROM debian:12\nENTRYPOINT ["/entrypoint.sh"]',
    'FROM debian:12\nHEALTHCHECK NONE',
    'FROM debian:12\nHEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost/"]',
  ],
  invalid: [
    { code: 'FROM debian:12\nCMD app --port 80', errors: [{ messageId: 'shellForm', line: 2 }] },
    { code: 'FROM debian:12\nENTRYPOINT /entrypoint.sh', errors: [{ messageId: 'shellForm', line: 2 }] },
    {
      code: 'FROM debian:12\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/',
      errors: [{ messageId: 'shellForm', line: 2 }],
    },
  ],
});
