import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/unknown-instruction.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN true\nCMD ["x"]\nLABEL a=b\nEXPOSE 80\nENV A=1\nADD a /a\nCOPY b /b\nENTRYPOINT ["e"]\nVOLUME /v\nUSER u\nWORKDIR /w\nARG X\nONBUILD RUN y\nSTOPSIGNAL SIGTERM\nHEALTHCHECK NONE\nSHELL ["/bin/sh", "-c"]',
    'from debian:12\nrun true',
    'FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl',
    'FROM debian:12\nRUN <<EOF\necho hi\nEOF\nCMD ["x"]',
    'FROM debian:12\nRUN <<-"EOT" bash\n\techo hi\n\tEOT\nCOPY <<A <<B /x/\na\nA\nb\nB',
    // Each directive once; a second one below a comment or a blank line is only a comment.
    '# syntax=docker/dockerfile:1\n# check=skip=all\n# escape=\\\nFROM debian:12',
    '# check=skip=all\n\n# check=error=true\nFROM debian:12',
    '# check=skip=all\n# a comment\n# check=error=true\nFROM debian:12',
    '# check=skip=all\nFROM debian:12\n# check=error=true\nRUN true',
    '# escape=`\nFROM debian:12',
    '#ESCAPE = \\ \r\nFROM debian:12',
    // Below a blank line it is a comment, whatever its value.
    '\n# escape=x\nFROM debian:12',
    // A snippet without FROM is linted as it is; only a file of nothing but ARG has no stage at all.
    'RUN apt-get update\nCOPY a /a',
    'ARG X\nRUN echo $X',
    'ARG BASE=debian:12\nFROM $BASE',
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
    // A heredoc with no closing delimiter: the builder refuses the file, and the body swallowed the rest of it.
    {
      code: 'FROM debian:12\nRUN <<EOF\necho hi\nCMD ["x"]',
      errors: [
        {
          messageId: 'unterminatedHeredoc',
          line: 2,
          message:
            'The heredoc `<<EOF` is never closed (no line `EOF`): the builder refuses the file with a parse error, and every line after it is read as its body.',
        },
      ],
    },
    { code: 'FROM debian:12\nRUN <<EOF', errors: [{ messageId: 'unterminatedHeredoc', line: 2 }] },
    // A parser directive given twice: the builder refuses the file. Directive names are read in any case.
    {
      code: '# check=skip=all\n# CHECK=error=true\nFROM debian:12',
      errors: [
        {
          messageId: 'repeatedDirective',
          line: 2,
          message:
            'The parser directive `check` is given again (first on line 1): the builder refuses the file with a parse error.',
        },
      ],
    },
    {
      code: '# escape=`\n# syntax=docker/dockerfile:1\n# escape=\\\nFROM debian:12',
      errors: [{ messageId: 'repeatedDirective', line: 3 }],
    },
    // The builder takes only \ or ` and refuses the file at any other escape character.
    {
      code: '# escape=x\nFROM debian:12',
      errors: [
        {
          messageId: 'invalidEscape',
          line: 1,
          message:
            'The parser directive `escape` sets `x`, which is neither a backslash nor a backtick: the builder refuses the file with a parse error.',
        },
      ],
    },
    {
      code: '\ufeff# syntax=docker/dockerfile:1\r\n# escape=ab\r\nFROM debian:12',
      errors: [{ messageId: 'invalidEscape', line: 2 }],
    },
    // A file with no instruction at all: the builder refuses it ("file with no instructions").
    {
      name: 'an empty file',
      code: '',
      errors: [
        {
          messageId: 'noInstructions',
          line: 1,
          message:
            'The file has no instructions (no FROM): the builder refuses it with a parse error ("file with no instructions").',
        },
      ],
    },
    {
      name: 'a file of comments and blank lines',
      code: '# build me\n\n# later\n',
      errors: [{ messageId: 'noInstructions', line: 1 }],
    },
    {
      name: 'a file of parser directives only',
      code: '# syntax=docker/dockerfile:1\n# escape=`\n',
      errors: [{ messageId: 'noInstructions', line: 1 }],
    },
    { name: 'a file of blank lines only', code: '\n  \n\t\n', errors: [{ messageId: 'noInstructions', line: 1 }] },
    // Only ARG lines declare build arguments for stages that never come: the builder has nothing to build.
    {
      name: 'a file of ARG lines only',
      code: '# syntax=docker/dockerfile:1\n# base image\nARG BASE=debian:12\nARG TAG\n',
      errors: [
        {
          messageId: 'noStages',
          line: 3,
          message:
            'The file has only ARG instructions and no FROM: there is no stage to build, so the builder refuses it ("dockerfile contains no stages to build").',
        },
      ],
    },
    { name: 'a single lower-case arg', code: 'arg X', errors: [{ messageId: 'noStages', line: 1 }] },
    {
      code: 'FROM debian:12\nCOPY <<A <<B /x/\na\nA\nb\n',
      errors: [
        {
          messageId: 'unterminatedHeredoc',
          line: 2,
          message:
            'The heredoc `<<B` is never closed (no line `B`): the builder refuses the file with a parse error, and every line after it is read as its body.',
        },
      ],
    },
  ],
});
