// DF253 consistent-instruction-casing (BuildKit ConsistentInstructionCasing).
import { rule } from '../../../rules/dockerfile/consistent-instruction-casing.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN true\nCMD ["x"]',
    'from debian:12\nrun true\ncmd ["x"]',
    // The trigger's keyword is neither counted nor checked (the builder's check looks only at instruction keywords).
    'FROM debian:12\nONBUILD run true',
    'from debian:12\nonbuild RUN true\nonbuild Copy . /src',
    // A word that is no instruction in any case (DF100 reports it) is neither counted nor checked: writing it in
    // capitals would not make the file parse.
    'FROM debian:12\nRUN apt-get update && apt-get install -y \\\n    curl\n    wget',
    'from debian:12\nrun true\nWGET x\nCURL y\nTAR z',
  ],
  invalid: [
    {
      name: "an ONBUILD's own keyword is checked",
      code: 'FROM debian:12\nonbuild run true\nRUN true',
      errors: [
        {
          messageId: 'casing',
          line: 2,
          message: '`onbuild` is not uppercase like most instructions in this file; write `ONBUILD`.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nrun true\nCMD ["x"]',
      errors: [
        {
          messageId: 'casing',
          line: 2,
          message: '`run` is not uppercase like most instructions in this file; write `RUN`.',
        },
      ],
      output: 'FROM debian:12\nRUN true\nCMD ["x"]',
    },
    {
      code: 'from debian:12\nrun true\nCMD ["x"]',
      errors: [{ messageId: 'casing', line: 3 }],
      output: 'from debian:12\nrun true\ncmd ["x"]',
    },
    // A tie goes to uppercase, as in the builder.
    {
      code: 'from debian:12\nRUN true',
      errors: [{ messageId: 'casing', line: 1 }],
      output: 'FROM debian:12\nRUN true',
    },
    // A mixed-case keyword counts for neither side and is always reported.
    {
      code: 'From debian:12\nrun true\nrun false',
      errors: [{ messageId: 'casing', line: 1 }],
      output: 'from debian:12\nrun true\nrun false',
    },
    {
      code: 'FROM debian:12\nRun apt-get update && \\\n  apt-get install -y curl',
      errors: [{ messageId: 'casing', line: 2 }],
      output: 'FROM debian:12\nRUN apt-get update && \\\n  apt-get install -y curl',
    },
  ],
});
