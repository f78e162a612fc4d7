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
    // Arguments the builder takes: an optional `AS name`, flags before the words, variables it expands later.
    'FROM debian:12 AS build\nFROM --platform=$BUILDPLATFORM golang:1 as b-1.x_y\nFROM $BASE\nFROM scratch AS ${NAME}',
    'FROM debian:12\nCOPY --from=build /a /b\nADD ["a", "b"]\nCOPY a b c/\nCOPY <<EOF /x\nhi\nEOF',
    'FROM debian:12\nENV A=1 B="x y" C=\nENV D 1 2\nENV E=1 $MORE\nLABEL a=b\nLABEL c d',
    // WORKDIR, USER and STOPSIGNAL take the rest of the line as their one argument, spaces included.
    'FROM debian:12\nWORKDIR /a b\nUSER app\nSTOPSIGNAL SIGTERM\nARG X',
    // A host port is DF256's warning and a number above 65535 is DF202's error: the builder parses both forms.
    'FROM debian:12\nEXPOSE 80 443/tcp 53/udp 8000-8010 132/sctp 80/TCP 80/ $PORT ${PORT:-80}/tcp 8080:80 70000',
    // Variables whose values are ports (a list split into words too), or are not known, are fine.
    'FROM debian:12\nARG P=8080\nENV PORTS="80 443/udp"\nARG U\nEXPOSE $P ${PORTS} $U ${U:-9000}/tcp',
    'FROM debian:12\nHEALTHCHECK NONE\nhealthcheck none\nHEALTHCHECK --interval=5s CMD curl -f http://x/\nHEALTHCHECK CMD ["curl", "x"]',
    // The trigger's arguments are read only when an image is built FROM this one.
    'FROM debian:12\nONBUILD COPY',
    'FROM debian:12\nONBUILD RUN --foo true',
    'FROM debian:12\nMAINTAINER Jane Doe <jane@example.com>',
    // Every flag each instruction takes, the experimental ones (--security, --device, --parents) included; a value may
    // hold a variable.
    'FROM --platform=$BUILDPLATFORM debian:12\nRUN --mount=type=cache,target=/x --network=none --security=sandbox --device=x true\nCOPY --from=b --chown=$UID:1 --chmod=644 --link --parents --exclude=*.md a /b/\nADD --chown=1 --chmod=644 --link --keep-git-dir=true --checksum=sha256:abc --exclude=x --unpack=true a /b\nHEALTHCHECK --interval=5s --timeout=3s --start-period=1s --start-interval=1s --retries=3 CMD true',
    // The builder reads flags at the start of every instruction but STOPSIGNAL and ARG never check theirs; a `--` word
    // after the first word, in a JSON array, or after a lone `--` (which ends the flags) is an argument.
    'FROM debian:12\nSTOPSIGNAL --s TERM\nARG --a X',
    'FROM debian:12\nCMD ["--foo"]\nCMD echo --foo\nENTRYPOINT ["--e"]\nENTRYPOINT run --e\nCMD -- --c x',
    // The builder takes an empty RUN, CMD and ENTRYPOINT (a RUN of nothing runs `/bin/sh -c ""`).
    'FROM debian:12\nRUN\nCMD\nENTRYPOINT\nCMD []',
    '# syntax=docker/dockerfile:1-labs\nFROM debian:12\nWORKDIR --foo /x',
    // Another frontend, or the experimental channel, has flags of its own.
    '# syntax=example.com/my/frontend:1\nFROM debian:12\nRUN --foo true',
    '# syntax=docker/dockerfile:1-labs\nFROM debian:12\nRUN --new-flag true',
    '# syntax=docker/dockerfile-upstream:master\nFROM debian:12\nCOPY --new-flag a b',
    // A JSON array across lines, with the backtick escape of Windows images.
    '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command", `\n  "$ErrorActionPreference = \'Stop\';"]',
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
    // Arguments the builder refuses (BuildKit's parser), one message per case.
    {
      name: 'FROM with nothing after it',
      code: 'FROM\nRUN echo hi',
      errors: [
        {
          messageId: 'fromArguments',
          line: 1,
          message:
            '`FROM` needs one image, optionally followed by `AS name`, not nothing: the builder refuses the file ("FROM requires either one or three arguments").',
        },
      ],
    },
    {
      name: 'FROM ... AS with no name',
      code: 'FROM debian:12 AS\nRUN echo hi',
      errors: [
        {
          messageId: 'fromArguments',
          line: 1,
          message:
            '`FROM` needs one image, optionally followed by `AS name`, not `debian:12 AS`: the builder refuses the file ("FROM requires either one or three arguments").',
        },
      ],
    },
    { code: 'FROM --platform=linux/amd64\nRUN x', errors: [{ messageId: 'fromArguments', line: 1 }] },
    { code: 'from debian:12 build', errors: [{ messageId: 'fromArguments', line: 1 }] },
    { code: 'FROM debian:12 FOR build', errors: [{ messageId: 'fromArguments', line: 1 }] },
    { code: 'FROM debian:12 AS build extra', errors: [{ messageId: 'fromArguments', line: 1 }] },
    {
      name: 'a stage name that starts with a digit',
      code: 'FROM debian:12 AS 1st\nRUN x',
      errors: [
        {
          messageId: 'stageName',
          line: 1,
          message:
            'The stage name `1st` must start with a letter and hold only letters, digits, `-`, `_` and `.`: the builder refuses the file ("invalid name for build stage").',
        },
      ],
    },
    { code: 'FROM debian:12 AS my/stage', errors: [{ messageId: 'stageName', line: 1 }] },
    {
      name: 'COPY with nothing after it',
      code: 'FROM debian:12\nCOPY',
      errors: [
        {
          messageId: 'copyArguments',
          line: 2,
          message:
            '`COPY` needs at least one source and a destination, not nothing: the builder refuses the file with a parse error.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nADD --chmod=644 app.py',
      errors: [
        {
          messageId: 'copyArguments',
          line: 2,
          message:
            '`ADD` needs at least one source and a destination, not `app.py`: the builder refuses the file with a parse error.',
        },
      ],
    },
    { code: 'FROM debian:12\ncopy ["app.py"]', errors: [{ messageId: 'copyArguments', line: 2 }] },
    { code: 'FROM debian:12\nCOPY <<EOF\nhi\nEOF', errors: [{ messageId: 'copyArguments', line: 2 }] },
    {
      name: 'ENV with nothing after it',
      code: 'FROM debian:12\nENV',
      errors: [
        {
          messageId: 'missingArguments',
          line: 2,
          message: '`ENV` has no arguments; it needs a `name=value`: the builder refuses the file with a parse error.',
        },
      ],
    },
    { code: 'FROM debian:12\nLABEL', errors: [{ messageId: 'missingArguments', line: 2 }] },
    { code: 'FROM debian:12\nARG', errors: [{ messageId: 'missingArguments', line: 2 }] },
    { code: 'FROM debian:12\nWORKDIR', errors: [{ messageId: 'missingArguments', line: 2 }] },
    { code: 'FROM debian:12\nUSER', errors: [{ messageId: 'missingArguments', line: 2 }] },
    { code: 'FROM debian:12\nSTOPSIGNAL', errors: [{ messageId: 'missingArguments', line: 2 }] },
    { code: 'FROM debian:12\nEXPOSE', errors: [{ messageId: 'missingArguments', line: 2 }] },
    { code: 'FROM debian:12\nONBUILD', errors: [{ messageId: 'missingArguments', line: 2 }] },
    { code: 'FROM debian:12\nHEALTHCHECK', errors: [{ messageId: 'missingArguments', line: 2 }] },
    { code: 'FROM debian:12\nHEALTHCHECK --interval=5s', errors: [{ messageId: 'missingArguments', line: 2 }] },
    {
      name: 'the old ENV form with a name and no value',
      code: 'FROM debian:12\nENV DEBUG',
      errors: [
        {
          messageId: 'keyWithoutValue',
          line: 2,
          message:
            '`ENV DEBUG` has no value (without `=`, the rest of the line is the value): the builder refuses the file with a parse error; write `ENV DEBUG=value`.',
        },
      ],
    },
    { code: 'FROM debian:12\nlabel maintainer', errors: [{ messageId: 'keyWithoutValue', line: 2 }] },
    {
      name: 'a word without = after a name=value pair',
      code: 'FROM debian:12\nENV GREETING=hello world',
      errors: [
        {
          messageId: 'pairWithoutEquals',
          line: 2,
          message:
            '`world` has no `=`: after a `name=value`, every word of `ENV` must be one too (quote a value with spaces, `A="b c"`), so the builder refuses the file with a parse error.',
        },
      ],
    },
    { code: 'FROM debian:12\nLABEL a=b \\\n  "c"', errors: [{ messageId: 'pairWithoutEquals', line: 2 }] },
    {
      name: 'a pair with no name',
      code: 'FROM debian:12\nENV A=1 =2',
      errors: [
        {
          messageId: 'blankName',
          line: 2,
          message: '`ENV` sets `=2`, a value with no name: the builder refuses the file with a parse error.',
        },
      ],
    },
    {
      name: 'EXPOSE of a word that is not a port',
      code: 'FROM debian:12\nEXPOSE 80 abc',
      errors: [
        {
          messageId: 'invalidPort',
          line: 2,
          message:
            'EXPOSE `abc` is not a port or a port range (`80`, `8000-8100`), optionally with `/tcp`, `/udp` or `/sctp`: the builder stops when it builds this stage.',
        },
      ],
    },
    { code: 'FROM debian:12\nEXPOSE 80/http', errors: [{ messageId: 'invalidPort', line: 2 }] },
    // The builder expands the variables first: `ARG P=abc` makes `EXPOSE $P` fail as `EXPOSE abc` does (it passed).
    {
      code: 'FROM debian:12\nARG P=abc\nEXPOSE 80 $P',
      errors: [
        {
          messageId: 'invalidPortValue',
          line: 3,
          message:
            'EXPOSE `$P` is `abc`, which is not a port or a port range (`80`, `8000-8100`), optionally with `/tcp`, `/udp` or `/sctp`: the builder stops when it builds this stage.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nENV PORTS="80 443/tpc"\nEXPOSE ${PORTS}',
      errors: [{ messageId: 'invalidPortValue', line: 3 }],
    },
    { code: 'FROM debian:12\nEXPOSE 9000-8000', errors: [{ messageId: 'invalidPort', line: 2 }] },
    { code: 'FROM debian:12\nEXPOSE 80-', errors: [{ messageId: 'invalidPort', line: 2 }] },
    {
      name: 'HEALTHCHECK without CMD or NONE',
      code: 'FROM debian:12\nHEALTHCHECK curl -f http://localhost/',
      errors: [
        {
          messageId: 'healthcheckType',
          line: 2,
          message:
            'HEALTHCHECK takes `CMD` and a command, or `NONE`, not `curl`: the builder refuses the file with a parse error.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nHEALTHCHECK NONE CMD true',
      errors: [
        {
          messageId: 'healthcheckNone',
          line: 2,
          message: '`HEALTHCHECK NONE` takes nothing after it: the builder refuses the file with a parse error.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nHEALTHCHECK --retries=3 cmd',
      errors: [
        {
          messageId: 'healthcheckCommand',
          line: 2,
          message: '`HEALTHCHECK CMD` has no command: the builder refuses the file with a parse error.',
        },
      ],
    },
    { code: 'FROM debian:12\nHEALTHCHECK CMD []', errors: [{ messageId: 'healthcheckCommand', line: 2 }] },
    {
      name: 'MAINTAINER with nothing after it',
      code: 'FROM debian:12\nMAINTAINER',
      errors: [
        {
          messageId: 'missingArguments',
          line: 2,
          message: '`MAINTAINER` has no arguments; it needs a name: the builder refuses the file with a parse error.',
        },
      ],
    },
    {
      name: 'a flag COPY does not take',
      code: 'FROM debian:12\nCOPY --bogus=1 a b',
      errors: [
        {
          messageId: 'unknownFlag',
          line: 2,
          message:
            '`COPY` takes no flag `--bogus` (its flags: `--from`, `--chown`, `--chmod`, `--link`, `--parents`, `--exclude`): the builder refuses the file ("unknown flag: bogus").',
        },
      ],
    },
    { code: 'FROM debian:12\nRUN --foo echo', errors: [{ messageId: 'unknownFlag', line: 2 }] },
    {
      code: 'FROM --plat=x img',
      errors: [
        {
          messageId: 'unknownFlag',
          line: 1,
          message:
            '`FROM` takes no flag `--plat` (its flags: `--platform`): the builder refuses the file ("unknown flag: plat").',
        },
      ],
    },
    { code: 'FROM debian:12\nADD --from=build a /b', errors: [{ messageId: 'unknownFlag', line: 2 }] },
    { code: 'FROM debian:12\nCOPY --checksum=sha256:abc a /b', errors: [{ messageId: 'unknownFlag', line: 2 }] },
    {
      code: 'FROM debian:12\nRUN --mount=type=cache,target=/x \\\n    --networks=none true',
      errors: [{ messageId: 'unknownFlag', line: 2 }],
    },
    { code: 'FROM debian:12\nHEALTHCHECK --intervall=5s CMD true', errors: [{ messageId: 'unknownFlag', line: 2 }] },
    {
      name: 'a flag on an instruction that takes none',
      code: 'FROM debian:12\nWORKDIR --foo /x',
      errors: [
        {
          messageId: 'unknownFlag',
          line: 2,
          message:
            '`WORKDIR` takes no flag `--foo` (its flags: none): the builder refuses the file ("unknown flag: foo").',
        },
      ],
    },
    ...[
      'ENV --x=1 A=b',
      'USER --u root',
      'EXPOSE --p 80',
      'VOLUME --v /data',
      'LABEL --l a=b',
      'CMD --c x',
      'CMD \\\n  --c x',
      'ENTRYPOINT --e x',
      'ENTRYPOINT --e ["x"]',
      'ONBUILD --o RUN x',
      'MAINTAINER --m me',
      'SHELL --s ["/bin/sh", "-c"]',
      'workdir --FOO /x',
    ].map((line) => ({ code: `FROM debian:12\n${line}`, errors: [{ messageId: 'unknownFlag', line: 2 }] })),
    // A flag is not an argument: the builder says WORKDIR has none.
    { code: 'FROM debian:12\nWORKDIR --foo', errors: [{ messageId: 'missingArguments', line: 2 }] },
    // docker/dockerfile:1 is the stable syntax, which refuses them too.
    {
      code: '# syntax=docker/dockerfile:1\nFROM debian:12\nRUN --foo true',
      errors: [{ messageId: 'unknownFlag', line: 3 }],
    },
    {
      code: '# syntax = docker.io/docker/dockerfile:1.7@sha256:abc\nFROM debian:12\nRUN --foo true',
      errors: [{ messageId: 'unknownFlag', line: 3 }],
    },
    {
      name: 'SHELL in shell form',
      code: 'FROM debian:12\nSHELL /bin/bash -o pipefail -c',
      errors: [
        {
          messageId: 'shellNotJson',
          line: 2,
          message:
            '`SHELL` takes a JSON array (`SHELL ["/bin/bash", "-c"]`), not `/bin/bash -o pipefail -c`: the builder refuses the file ("SHELL requires the arguments to be in JSON form").',
        },
      ],
    },
    { code: "FROM debian:12\nSHELL ['/bin/sh', '-c']", errors: [{ messageId: 'shellNotJson', line: 2 }] },
    { code: 'FROM debian:12\nSHELL $MY_SHELL', errors: [{ messageId: 'shellNotJson', line: 2 }] },
    { code: 'FROM debian:12\nSHELL ["/bin/sh", 1]', errors: [{ messageId: 'shellNotJson', line: 2 }] },
    {
      code: 'FROM debian:12\nSHELL',
      errors: [
        {
          messageId: 'missingArguments',
          line: 2,
          message:
            '`SHELL` has no arguments; it needs a JSON array (`["/bin/sh", "-c"]`): the builder refuses the file with a parse error.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nSHELL []',
      errors: [
        {
          messageId: 'shellEmpty',
          line: 2,
          message: '`SHELL []` names no shell: the builder refuses the file ("SHELL requires at least one argument").',
        },
      ],
    },
    {
      name: 'every later line of a file the builder refuses',
      code: 'FROM debian:12 AS\nRUN echo hi\nCOPY\nENV\nEXPOSE abc\nWORKDIR',
      errors: [
        { messageId: 'fromArguments', line: 1 },
        { messageId: 'copyArguments', line: 3 },
        { messageId: 'missingArguments', line: 4 },
        { messageId: 'invalidPort', line: 5 },
        { messageId: 'missingArguments', line: 6 },
      ],
    },
  ],
});
