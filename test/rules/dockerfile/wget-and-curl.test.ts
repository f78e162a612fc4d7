import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/wget-and-curl.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN curl -o /x https://x\nRUN curl -o /y https://y',
    'FROM debian:12 AS a\nRUN wget https://x\nFROM debian:12\nRUN curl https://y',
  ],
  invalid: [
    { code: 'FROM debian:12\nRUN wget https://x\nRUN curl https://y', errors: [{ messageId: 'both', line: 3 }] },
    { code: 'FROM debian:12\nRUN wget https://x && curl https://y', errors: [{ messageId: 'both', line: 2 }] },
  ],
});
