import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/last-user-root.js';

ruleTester.run(rule, {
  valid: ['FROM debian:12\nUSER root\nRUN x\nUSER app', 'FROM debian:12\nRUN x', 'FROM debian:12\nUSER 1000:1000'],
  invalid: [
    { code: 'FROM debian:12\nUSER app\nUSER root', errors: [{ messageId: 'root', line: 3 }] },
    { code: 'FROM debian:12\nUSER 0:0', errors: [{ messageId: 'root', line: 2 }] },
    { code: 'FROM debian:12\nUSER root:root', errors: [{ messageId: 'root', line: 2 }] },
    // Every stage is checked, as hadolint does.
    { code: 'FROM debian:12 AS build\nUSER root\nFROM debian:12\nUSER app', errors: [{ messageId: 'root', line: 2 }] },
  ],
});
