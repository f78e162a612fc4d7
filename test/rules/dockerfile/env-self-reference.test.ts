// DF221 env-self-reference (hadolint DL3044): only a variable set earlier in the same ENV counts; whole names only.
import { rule } from '../../../rules/dockerfile/env-self-reference.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('ENV BLA="blubb"', 'ENV BLUBB="${BLA}/blubb"'),
    // Names that merely contain the other name are other variables.
    df('ENV BLA="blubb" BLUBB="${FOOBLA}/blubb"'),
    df('ENV BLA="blubb" BLUBB="${BLAFOO}/blubb"'),
    df('ENV BLA="blubb" BLUBB="$FOOBLA/blubb"'),
    df('ENV BLA="blubb" BLUBB="$BLAFOO/blubb"'),
    df('ARG BLA', 'ENV BLA=${BLA}'),
    df('ENV BLA blubb', 'ENV BLA=${BLA}'),
    // A variable on its own right-hand side refers to the value from before.
    df('ENV PATH=/bla:${PATH}'),
    df('ENV PATH=/bla:${PATH}', 'ENV PATH=/blubb:${PATH}'),
    // Used before it is set in the same ENV: that is the old value, as intended.
    df('ENV B="$A" A=1'),
    // Single quotes and an escaped dollar are literal.
    df("ENV A=1 B='$A'"),
    df('ENV A=1 B=\\$A'),
    df('ENV JAVA_HOME /usr/lib/jvm/java $JAVA_HOME'),
  ],
  invalid: [
    { code: df('ENV PATH=/bla:${PATH} PATH=/blubb:${PATH}'), errors: [{ messageId: 'sameEnv', line: 2 }] },
    {
      code: df('ENV BLA="blubb" BLUBB="${BLA}/blubb"'),
      errors: [
        {
          messageId: 'sameEnv',
          line: 2,
          message:
            '`BLA` is set earlier in this ENV and used again in it: the builder substitutes the value from before this instruction, not the new one; split the ENV.',
        },
      ],
    },
    { code: df('ENV BLA="blubb" BLUBB="$BLA/blubb"'), errors: [{ messageId: 'sameEnv' }] },
    { code: df('ENV BLA="blubb" BLUBB="${BLA}"'), errors: [{ messageId: 'sameEnv' }] },
    { code: df('ENV BLA="blubb" BLUBB="$BLA"'), errors: [{ messageId: 'sameEnv' }] },
    { code: df('ENV BLA=blubb BLUBB=${BLA:-x}'), errors: [{ messageId: 'sameEnv' }] },
    { code: df('ENV A=1 \\', '    B=2 \\', '    C="$A$B"'), errors: [{ messageId: 'sameEnv', line: 2 }] },
  ],
});
