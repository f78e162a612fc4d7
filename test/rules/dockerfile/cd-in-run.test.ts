import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/cd-in-run.js';

ruleTester.run(rule, {
  valid: ['FROM debian:12\nWORKDIR /src\nRUN make', 'FROM debian:12\nRUN echo cd'],
  invalid: [
    { code: 'FROM debian:12\nRUN cd /src && make', errors: [{ messageId: 'cd', line: 2 }] },
    { code: 'FROM debian:12\nRUN make; cd /tmp', errors: [{ messageId: 'cd', line: 2 }] },
  ],
});
