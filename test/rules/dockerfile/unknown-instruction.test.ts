import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/unknown-instruction.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN true\nCMD ["x"]\nLABEL a=b\nEXPOSE 80\nENV A=1\nADD a /a\nCOPY b /b\nENTRYPOINT ["e"]\nVOLUME /v\nUSER u\nWORKDIR /w\nARG X\nONBUILD RUN y\nSTOPSIGNAL SIGTERM\nHEALTHCHECK NONE\nSHELL ["/bin/sh", "-c"]',
    'from debian:12\nrun true',
    'FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUNN true',
      errors: [
        {
          messageId: 'unknown',
          line: 2,
          message: '`RUNN` is not a Dockerfile instruction: the build stops here with a parse error.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nRUN apt-get update\n    apt-get install -y curl',
      errors: [{ messageId: 'unknown', line: 3 }],
    },
  ],
});
