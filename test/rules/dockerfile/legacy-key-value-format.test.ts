// DF254 legacy-key-value-format (BuildKit LegacyKeyValueFormat).
import { rule } from '../../../rules/dockerfile/legacy-key-value-format.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nENV A=b',
    'FROM debian:12\nENV A="b c" D=e',
    'FROM debian:12\nLABEL a=b c=d',
    'FROM debian:12\nENV A= B=c',
    // A quoted key with a space is still one `key=value` word to the builder: the current form.
    'FROM debian:12\nLABEL "a b"=c d=',
    "FROM debian:12\nENV 'Q R'=1",
    'FROM debian:12\nLABEL a\\ b=c',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nENV A b',
      errors: [
        {
          messageId: 'legacy',
          line: 2,
          message: '`ENV A ...` is the legacy form (the whole rest of the line is the value); write `ENV A=...`.',
        },
      ],
      output: 'FROM debian:12\nENV A=b',
    },
    // The whole rest of the line is the value, spaces kept: A is "b  c".
    { code: 'FROM debian:12\nENV A b  c', errors: [{ messageId: 'legacy' }], output: 'FROM debian:12\nENV A="b  c"' },
    {
      code: 'FROM debian:12\nenv PATH /app/bin:$PATH',
      errors: [{ messageId: 'legacy' }],
      output: 'FROM debian:12\nenv PATH=/app/bin:$PATH',
    },
    {
      code: 'FROM debian:12\nLABEL version "1.0 beta"',
      errors: [{ messageId: 'legacy' }],
      output: 'FROM debian:12\nLABEL version="1.0 beta"',
    },
    // Quotes or escapes inside a value with spaces: quoting it again could change it, so no fix.
    {
      code: 'FROM debian:12\nENV MSG say "hi" there',
      errors: [{ messageId: 'legacy' }],
      output: 'FROM debian:12\nENV MSG say "hi" there',
    },
    { code: 'FROM debian:12\nENV A b\\ c', errors: [{ messageId: 'legacy' }], output: 'FROM debian:12\nENV A b\\ c' },
    // Continued over lines: reported, not fixed.
    {
      code: 'FROM debian:12\nENV A b \\\n  c',
      errors: [{ messageId: 'legacy', line: 2 }],
      output: 'FROM debian:12\nENV A b \\\n  c',
    },
  ],
});
