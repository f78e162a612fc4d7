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
    // The shell named is the one the form runs under: the SHELL in effect, or cmd on a Windows base (it said
    // `/bin/sh -c` whatever the shell).
    {
      code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nENTRYPOINT C:\\app\\app.exe',
      errors: [
        {
          messageId: 'shellForm',
          message:
            'ENTRYPOINT in shell form runs under `cmd /S /C`, so signals such as SIGTERM never reach the program; use the JSON form `["program", "arg"]`.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nCMD app --port 80',
      errors: [
        {
          messageId: 'shellForm',
          message:
            'CMD in shell form runs under `/bin/bash -o pipefail -c`, so signals such as SIGTERM never reach the program; use the JSON form `["program", "arg"]`.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nCMD app',
      errors: [
        {
          messageId: 'shellForm',
          message:
            'CMD in shell form runs under `/bin/sh -c`, so signals such as SIGTERM never reach the program; use the JSON form `["program", "arg"]`.',
        },
      ],
    },
  ],
});
