// DF257 no-empty-continuation (BuildKit NoEmptyContinuation).
import { rule } from '../../../rules/dockerfile/no-empty-continuation.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update \\\n  && apt-get install -y curl',
    // A comment line inside a continuation is skipped without a warning.
    'FROM debian:12\nRUN apt-get update \\\n# install\n  && apt-get install -y curl',
    // An empty line that ends the instruction is no continuation.
    'FROM debian:12\nRUN true\n\nRUN false',
    // A dangling continuation at the end of the file: its final newline is no empty line.
    'FROM debian:12\nRUN touch /a/b \\\n',
    // Empty lines in a heredoc body are the script's.
    'FROM debian:12\nRUN <<EOF\nset -e\n\necho hi\nEOF\n',
    'FROM debian:12\nCOPY <<EOF /etc/motd\nhello\n\nworld\nEOF\n',
    // With another escape character, a trailing backslash continues nothing.
    '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir c:\\\n\nRUN dir d:\\',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get update \\\n\n  && apt-get install -y curl\n',
      errors: [{ messageId: 'empty', line: 3 }],
      output: 'FROM debian:12\nRUN apt-get update \\\n  && apt-get install -y curl\n',
    },
    {
      name: 'blanks only, several, one finding per instruction',
      code: 'FROM debian:12\nRUN a \\\n   \n  b \\\n\t\n\n  c\nRUN d\n',
      errors: [{ messageId: 'empty', line: 3 }],
      output: 'FROM debian:12\nRUN a \\\n  b \\\n  c\nRUN d\n',
    },
    {
      name: 'the empty line joins the next instruction into this one',
      code: 'FROM debian:12\nENV A=1 \\\n\nRUN true\n',
      errors: [{ messageId: 'empty', line: 3 }],
      output: 'FROM debian:12\nENV A=1 \\\nRUN true\n',
    },
    {
      name: 'a dangling continuation, then an empty line at the end of the file',
      code: 'FROM debian:12\nRUN a \\\n\n',
      errors: [{ messageId: 'empty', line: 3 }],
      output: 'FROM debian:12\nRUN a \\\n',
    },
    {
      name: 'CRLF',
      code: 'FROM debian:12\r\nRUN a \\\r\n\r\n  b\r\n',
      errors: [{ messageId: 'empty', line: 3 }],
      output: 'FROM debian:12\r\nRUN a \\\r\n  b\r\n',
    },
    {
      name: 'after a comment line',
      code: 'FROM debian:12\nRUN a \\\n# note\n\n  && b\n',
      errors: [{ messageId: 'empty', line: 4 }],
      output: 'FROM debian:12\nRUN a \\\n# note\n  && b\n',
    },
    {
      name: 'backtick escape',
      code: '# escape=`\nFROM debian:12\nRUN a `\n\n  b\n',
      errors: [{ messageId: 'empty', line: 4 }],
      output: '# escape=`\nFROM debian:12\nRUN a `\n  b\n',
    },
    {
      name: 'in the flags of a FROM',
      code: 'FROM --platform=linux/amd64 \\\n\n  debian:12\n',
      errors: [{ messageId: 'empty', line: 2 }],
      output: 'FROM --platform=linux/amd64 \\\n  debian:12\n',
    },
  ],
});
