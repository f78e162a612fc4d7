import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/workdir-relative.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nWORKDIR /app',
    'FROM debian:12\nWORKDIR "/app"',
    'FROM debian:12\nWORKDIR $HOME/app',
    'FROM debian:12\nWORKDIR ${APP_DIR}',
    // Quotes are dropped as hadolint drops them: a single-quoted `$` still starts a variable here.
    "FROM debian:12\nWORKDIR '$APP_DIR'",
    'FROM mcr.microsoft.com/windows\nWORKDIR C:\\\\app',
    'FROM mcr.microsoft.com/windows\nWORKDIR c:/app',
    // `--foo` is a flag (DF100's error), not the directory.
    'FROM debian:12\nWORKDIR --foo /app',
    // A lone `--` ends the flags and is dropped, as the builder reads it.
    'FROM debian:12\nWORKDIR -- /app',
  ],
  invalid: [
    { code: 'FROM debian:12\nWORKDIR app', errors: [{ messageId: 'relative', line: 2 }] },
    { code: 'FROM debian:12\nWORKDIR "app/src"', errors: [{ messageId: 'relative', line: 2 }] },
  ],
});
