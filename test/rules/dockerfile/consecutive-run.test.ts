import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/consecutive-run.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN a && b',
    'FROM debian:12\nRUN a\nWORKDIR /x\nRUN b',
    // Long RUNs are already consolidated.
    'FROM debian:12\nRUN a && b && c\nRUN d',
    'FROM debian:12\nRUN a\nRUN b && c && d',
    // Different flags (a cache mount) are a reason to split.
    'FROM debian:12\nRUN a\nRUN --mount=type=cache,target=/root/.cache b',
    'FROM debian:12\nONBUILD RUN a\nRUN b',
    // A blank line is no separation, yet other flags are: another network, another mount target.
    'FROM debian:12\nRUN --network=none a\n\nRUN b',
    'FROM debian:12\nRUN --mount=type=cache,target=/x a\nRUN --mount=type=cache,target=/y b',
    'FROM debian:12\nRUN sh -c "a" && b && c\nRUN d',
    // Commands that are not a POSIX shell's cannot be counted, nor joined with && (a parse error in Windows PowerShell).
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN New-Item -ItemType Directory C:\\app\nRUN Set-Content C:\\app\\a.txt hi',
    '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN cd C:\\src ; msbuild a.sln | Out-Null\nRUN choco install -y git',
    'FROM python:3.12\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\nRUN <<EOF\n#!/usr/bin/env python3\nprint(2)\nEOF',
    // An interpreter fed the heredoc runs it as its own script, whichever side of the marker it is written on.
    'FROM python:3.12\nRUN echo hi\nRUN <<EOT python3\nprint(1)\nEOT',
    'FROM python:3.12\nRUN echo hi\nRUN python3 <<EOT\nprint(1)\nEOT',
    // Review s44 (lintnits): through env, as the shebang form names it.
    'FROM python:3.12\nRUN echo hi\nRUN /usr/bin/env python3 <<EOT\nprint(1)\nEOT',
    'FROM python:3.12\nRUN echo hi\nRUN env python3 <<EOT\nprint(1)\nEOT',
    // Review s44: env's options and assignments before it (`-i`, `-u NAME`, `NAME=v`).
    'FROM python:3.12\nRUN echo hi\nRUN env -i PATH=/usr/local/bin python3 <<EOT\nprint(1)\nEOT',
    'FROM python:3.12\nRUN echo hi\nRUN env -u HOME python3 <<EOT\nprint(1)\nEOT',
    'FROM node:20\nRUN echo hi\nRUN /usr/local/bin/node --input-type=module <<-"EOF"\nconsole.log(1)\nEOF',
    // Heredoc scripts fed to a shell are counted by their commands.
    'FROM debian:12\nRUN <<EOT bash\na\nb\nc\nEOT\nRUN <<EOT bash\nd\ne\nf\nEOT',
  ],
  invalid: [
    // The joined line is indented like the first RUN's continued commands, not like a comment line among them.
    {
      code: 'FROM debian:12-slim\nRUN echo a \\\n# note\n    && echo b\nRUN echo c',
      errors: [{ messageId: 'consecutive', line: 5 }],
      unsafeOutput: 'FROM debian:12-slim\nRUN echo a \\\n# note\n    && echo b \\\n    && echo c',
    },
    { code: 'FROM debian:12\nRUN a\nRUN b', errors: [{ messageId: 'consecutive', line: 3 }] },
    // A shell command fed a heredoc (cat writing a file) is counted; so is an interpreter with more on its line.
    {
      code: 'FROM debian:12\nRUN echo hi\nRUN cat <<EOT > /etc/x\na\nEOT',
      errors: [{ messageId: 'consecutive', line: 3 }],
    },
    {
      code: 'FROM python:3.12\nRUN echo hi\nRUN python3 <<EOT && echo done\nprint(1)\nEOT',
      errors: [{ messageId: 'consecutive', line: 3 }],
    },
    // Exec form runs one program without a shell: no `&&` to join with, and no fix.
    {
      code: 'FROM debian:12\nRUN ["a"]\nRUN b\nRUN ["c", "d"]',
      errors: [
        {
          messageId: 'consecutiveExec',
          line: 3,
          message:
            'This RUN follows another short RUN with the same flags: each RUN is a layer and a cache step; an exec-form RUN (`RUN ["..."]`) runs one program without a shell, so joining them means one shell-form RUN (`RUN a && b`), if the image has a shell.',
        },
        { messageId: 'consecutiveExec', line: 4 },
      ],
      unsafeOutput: 'FROM debian:12\nRUN ["a"]\nRUN b\nRUN ["c", "d"]',
    },
    // Comments between RUNs do not separate them.
    {
      code: 'FROM debian:12\nRUN a\n# why\nRUN b\nRUN c',
      errors: [
        { messageId: 'consecutive', line: 4 },
        { messageId: 'consecutive', line: 5 },
      ],
    },
    // The comments between them go above the joined RUN, not inside its continuation.
    {
      code: 'FROM debian:12\n# make a\nRUN a\n\n# then b\n   # and why\nRUN b',
      errors: [{ messageId: 'consecutive', line: 7 }],
      unsafeOutput: 'FROM debian:12\n# make a\n# then b\n   # and why\nRUN a \\\n && b',
    },
    {
      code: 'FROM debian:12\nRUN --mount=type=cache,target=/x a\nRUN --mount=type=cache,target=/x b',
      errors: [{ messageId: 'consecutive', line: 3 }],
    },
    // `sh -c "..."` is one command: the script in the string does not make the RUN long (hadolint counts it so).
    {
      code: 'FROM debian:12\nRUN sh -c "a && b && c"\nRUN sh -c "d && e && f"',
      errors: [{ messageId: 'consecutive', line: 3 }],
    },
    // The same mounts, written in another order or with aliases, are the same flags.
    {
      code: 'FROM debian:12\nRUN --mount=type=cache,target=/x a\nRUN --mount=dst=/x,type=cache b',
      errors: [{ messageId: 'consecutive', line: 3 }],
    },
    {
      code: 'FROM debian:12\nRUN --mount=type=secret,id=a --mount=type=cache,target=/x a\nRUN --mount=type=cache,target=/x --mount=type=secret,id=a b',
      errors: [{ messageId: 'consecutive', line: 3 }],
    },
    {
      code: 'FROM debian:12\nRUN --mount=target=/src,ro a\nRUN --mount=type=bind,readonly=true,target=/src b',
      errors: [{ messageId: 'consecutive', line: 3 }],
    },
    // The builder reads the type in any case (see mountSpec).
    {
      code: 'FROM debian:12\nRUN --mount=type=cache,target=/x a\nRUN --mount=TYPE=Cache,Target=/x b',
      errors: [{ messageId: 'consecutive', line: 3 }],
    },
  ],
});

// Under a bash SHELL the RUNs are read as bash reads `$'...'` (`$'it\'s'` is `it's`); read as
// sh reads it, the `'` after `s` opened a quote to the end, hiding the `cd` (the joined `ls` ran in /tmp) and the `;`
// (`false && echo $'a\'b' ; true` exits 0 in bash 5.2.15, where the RUN `false` failed the build).
const BASH = 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\n';
ruleTester.run(rule, {
  // The RUN line that feeds a heredoc to an interpreter is the SHELL's too: bash runs python3 there.
  valid: [`${BASH}RUN echo hi\nRUN env $'PYTHONWARNINGS=ignore' python3 <<EOT\nprint(1)\nEOT`],
  invalid: [
    {
      code: `${BASH}RUN echo $'it\\'s'; cd /tmp\nRUN ls > /list`,
      errors: [{ messageId: 'consecutive', line: 4 }],
      unsafeOutput: `${BASH}RUN echo $'it\\'s'; cd /tmp\nRUN ls > /list`,
    },
    {
      code: `${BASH}RUN false\nRUN echo $'a\\'b' ; true`,
      errors: [{ messageId: 'consecutive', line: 4 }],
      unsafeOutput: `${BASH}RUN false\nRUN echo $'a\\'b' ; true`,
    },
    // bash reads `# note` as a comment: `echo b` joined after it (` \\` and `&& echo b` make one line) would never run.
    {
      code: `${BASH}RUN echo $'it\\'s' # note\nRUN echo b`,
      errors: [{ messageId: 'consecutive', line: 4 }],
      unsafeOutput: `${BASH}RUN echo $'it\\'s' # note\nRUN echo b`,
    },
    {
      code: `${BASH}RUN echo $'it\\'s'\nRUN echo $'a\\'b' && true`,
      errors: [{ messageId: 'consecutive', line: 4 }],
      unsafeOutput: `${BASH}RUN echo $'it\\'s' \\\n && echo $'a\\'b' && true`,
    },
  ],
});
