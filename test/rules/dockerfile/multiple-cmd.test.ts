// DF233 multiple-cmd (hadolint DL4003): counted per stage, every extra one reported.
import { rule } from '../../../rules/dockerfile/multiple-cmd.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM busybox\nCMD ["/bin/true"]',
    'FROM busybox AS a\nCMD /bin/true\nFROM busybox\nCMD /bin/false',
    'FROM busybox\nENTRYPOINT ["a"]\nCMD ["b"]',
    'FROM busybox\nCMD ["a"]\nONBUILD CMD ["b"]',
  ],
  invalid: [
    {
      code: 'FROM busybox\nCMD /bin/true\nCMD /bin/false',
      errors: [
        {
          messageId: 'repeated',
          line: 3,
          message: 'This stage already has a CMD on line 2: only the last one takes effect.',
        },
      ],
    },
    {
      code: 'FROM busybox\nCMD a\nRUN x\nCMD b\nCMD c',
      errors: [
        { messageId: 'repeated', line: 4 },
        { messageId: 'repeated', line: 5 },
      ],
    },
    { code: 'FROM busybox AS a\nCMD a\nFROM busybox\nCMD b\nCMD c', errors: [{ messageId: 'repeated', line: 5 }] },
  ],
});
