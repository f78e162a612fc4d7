import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/shell-form-cmd.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nCMD ["app", "--port", "80"]',
    'FROM debian:12\nENTRYPOINT ["/entrypoint.sh"]',
    'FROM debian:12\nHEALTHCHECK NONE',
    'FROM debian:12\nHEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost/"]',
    // The probe is a short-lived child the runtime starts and waits for, not PID 1: it gets no stop signal to
    // forward, and the shell form is what `|| exit 1` needs.
    'FROM debian:12\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1',
  ],
  invalid: [
    { code: 'FROM debian:12\nCMD app --port 80', errors: [{ messageId: 'shellForm', line: 2 }] },
    { code: 'FROM debian:12\nENTRYPOINT /entrypoint.sh', errors: [{ messageId: 'shellForm', line: 2 }] },
  ],
});
