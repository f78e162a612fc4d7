// DF203 multiple-healthchecks (hadolint DL3012).
import { rule } from '../../../rules/dockerfile/multiple-healthchecks.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM busybox\nHEALTHCHECK CMD /bin/true',
    'FROM busybox AS a\nHEALTHCHECK CMD /bin/true\nFROM scratch\nHEALTHCHECK CMD /bin/true',
    'FROM busybox\nHEALTHCHECK NONE',
  ],
  invalid: [
    {
      code: 'FROM busybox\nHEALTHCHECK CMD /bin/true\nHEALTHCHECK CMD /bin/true',
      errors: [
        {
          messageId: 'repeated',
          line: 3,
          message: 'This stage already has a HEALTHCHECK on line 2: only the last one takes effect.',
        },
      ],
    },
    { code: 'FROM busybox\nHEALTHCHECK CMD a\nHEALTHCHECK NONE', errors: [{ messageId: 'repeated', line: 3 }] },
    {
      code: 'FROM busybox\nHEALTHCHECK --interval=5s CMD a\nRUN x\nHEALTHCHECK CMD b\nHEALTHCHECK CMD c',
      errors: [
        { messageId: 'repeated', line: 4 },
        { messageId: 'repeated', line: 5 },
      ],
    },
  ],
});
