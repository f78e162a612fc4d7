// DF234 multiple-entrypoints (hadolint DL4004).
import { rule } from '../../../rules/dockerfile/multiple-entrypoints.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM busybox\nENTRYPOINT ["/bin/true"]',
    'FROM busybox AS a\nENTRYPOINT /bin/true\nFROM busybox\nENTRYPOINT /bin/false',
    'FROM busybox\nENTRYPOINT ["a"]\nCMD ["b"]\nCMD ["c"]',
  ],
  invalid: [
    {
      code: 'FROM busybox\nENTRYPOINT /bin/true\nENTRYPOINT /bin/false',
      errors: [
        {
          messageId: 'repeated',
          line: 3,
          message: 'This stage already has an ENTRYPOINT on line 2: only the last one takes effect.',
        },
      ],
    },
    {
      code: 'FROM busybox\nENTRYPOINT a\nENTRYPOINT b\nENTRYPOINT c',
      errors: [
        { messageId: 'repeated', line: 3 },
        { messageId: 'repeated', line: 4 },
      ],
    },
  ],
});
