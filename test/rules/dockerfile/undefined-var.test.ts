// DF260 undefined-var (BuildKit UndefinedVar).
import { rule } from '../../../rules/dockerfile/undefined-var.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const undefinedIn = (name: string, keyword: string, hint = ''): string =>
  `\`$${name}\` is not defined here: no ARG or ENV before this ${keyword} sets it, so it expands to nothing.${hint}`;

ruleTester.run(rule, {
  valid: [
    'FROM scratch\nARG APP=/app\nCOPY app ${APP}/\nWORKDIR $APP',
    'FROM scratch\nENV PORT=8080\nEXPOSE $PORT',
    'FROM scratch\nENV PATH=/app/bin:$PATH',
    // RUN, CMD and ENTRYPOINT are expanded by the shell when they run.
    'FROM scratch\nRUN echo $NOPE\nCMD echo $NOPE\nENTRYPOINT echo $NOPE',
    // Predefined build arguments: the proxy ones everywhere, the platform ones once the stage declares them.
    'FROM scratch\nARG TARGETPLATFORM\nLABEL proxy=$HTTP_PROXY platform=$TARGETPLATFORM',
    // A default says what an unset variable gives; `:?` stops the build with the author's message.
    'FROM scratch\nWORKDIR ${APP_DIR:-/app}',
    'FROM scratch\nWORKDIR ${APP_DIR-/app}\nUSER ${APP_USER:?set APP_USER}',
    'FROM scratch\nARG DEBUG\nLABEL debug=${DEBUG:+yes}',
    // Escaped or single-quoted: no variable.
    "FROM scratch\nLABEL price=\\$5 note='$HOME'",
    // An ARG default sees the names the same ARG declared before it; a name set in the same ENV is DF221's.
    'FROM scratch\nARG A=1 B=$A',
    'FROM scratch\nENV A=1 B=$A',
    // On an image, its ENV may define anything: no typo, no finding.
    'FROM node:20\nWORKDIR $HOME/app\nENV PATH=/app/bin:$PATH\nLABEL node=$NODE_VERSION',
    // A global ARG declared again in the stage.
    'ARG VERSION=1\nFROM alpine:3.20\nARG VERSION\nLABEL version=$VERSION',
    // A prefix is no typo: GOPATH is the image's.
    'FROM golang:1.23\nARG GOPATH_DIR=/go\nWORKDIR $GOPATH/src',
    // ENV carries into a stage built FROM an earlier one.
    'FROM scratch AS base\nENV APP=/app\nFROM base\nWORKDIR $APP',
    // A heredoc body is the file's content.
    'FROM scratch\nCOPY <<EOF /etc/motd\n$NOPE\nEOF',
  ],
  invalid: [
    {
      // `:+` gives its word only when something sets the name: nothing here can, so it never applies.
      name: 'an alternative for an undefined name',
      code: 'FROM scratch\nLABEL debug=${DEBUG:+yes} trace=${TRACE+yes}',
      errors: [
        { messageId: 'undefined', line: 2, message: undefinedIn('DEBUG', 'LABEL') },
        { messageId: 'undefined', line: 2, message: undefinedIn('TRACE', 'LABEL') },
      ],
    },
    {
      // `c=d` is inside A's quoted value, not a name the ENV assigns (it was read as one, split on spaces).
      name: 'a name=value inside a quoted value',
      code: 'FROM scratch\nENV A="b c=d" B=$c',
      errors: [{ messageId: 'undefined', line: 2, message: undefinedIn('c', 'ENV') }],
    },
    {
      name: 'inside a default word',
      code: 'FROM scratch\nARG APP_DIR=/app\nWORKDIR ${WORK_DIR:-$APP_DRI}',
      errors: [
        { messageId: 'undefined', line: 3, message: undefinedIn('APP_DRI', 'WORKDIR', ' Did you mean `$APP_DIR`?') },
      ],
    },
    {
      code: 'FROM scratch\nCOPY app $APP_DIR/',
      errors: [
        {
          messageId: 'undefined',
          line: 2,
          message: '`$APP_DIR` is not defined here: no ARG or ENV before this COPY sets it, so it expands to nothing.',
        },
      ],
    },
    {
      name: 'a global ARG not declared in the stage',
      code: 'ARG VERSION=1\nFROM scratch\nLABEL version=$VERSION',
      errors: [
        {
          messageId: 'undefined',
          line: 3,
          message:
            '`$VERSION` is not defined here: no ARG or ENV before this LABEL sets it, so it expands to nothing. A global ARG is visible in a stage only once declared there: add `ARG VERSION` to this stage.',
        },
      ],
    },
    {
      name: 'a global ARG not declared in a stage built on an image',
      code: 'ARG VERSION=1\nFROM alpine:3.20\nLABEL version=$VERSION',
      errors: [
        {
          messageId: 'globalArg',
          line: 3,
          message:
            "`$VERSION` is a global ARG this stage does not declare: here it expands to nothing (or to the base image's ENV of that name); add `ARG VERSION` to this stage before this LABEL.",
        },
      ],
    },
    {
      name: 'used before it is defined',
      code: 'FROM scratch\nWORKDIR $APP\nENV APP=/app',
      errors: [{ messageId: 'undefined', line: 2 }],
    },
    {
      name: 'a typo on an image',
      code: 'FROM node:20\nENV APP_DIR=/app\nWORKDIR ${APP_DRI}',
      errors: [
        {
          messageId: 'typo',
          line: 3,
          message:
            '`$APP_DRI` is not set by any ARG or ENV before this WORKDIR; did you mean `$APP_DIR`? Unless the base image sets it, it expands to nothing.',
        },
      ],
    },
    {
      name: 'a typo in a flag, another case',
      code: 'FROM debian:12\nARG uid=1000\nCOPY --chown=$UID:$uid app /app',
      errors: [{ messageId: 'typo', line: 3 }],
    },
    {
      name: 'on scratch, with a suggestion, once per name',
      code: 'FROM scratch\nENV PORT=80\nEXPOSE $PROT ${PROT}',
      errors: [{ messageId: 'undefined', message: expectMessage('PROT', 'EXPOSE', ' Did you mean `$PORT`?') }],
    },
  ],
});

function expectMessage(name: string, keyword: string, hint: string): string {
  return `\`$${name}\` is not defined here: no ARG or ENV before this ${keyword} sets it, so it expands to nothing.${hint}`;
}

// Review s44 (lintfn): the platform ARGs are set in the global scope only; a stage that does not declare them gets an
// empty value, in the builder's expansion and in its RUN's environment alike.
const platformArg = (name: string, keyword: string): string =>
  `\`$${name}\` is one of the builder's platform ARGs, which are set in the global scope only: this stage does not declare it, so here it expands to nothing; add \`ARG ${name}\` to this stage before this ${keyword}.`;

ruleTester.run(rule, {
  valid: [
    'FROM --platform=$BUILDPLATFORM golang:1.22 AS b\nARG TARGETOS TARGETARCH\nENV ARCH=$TARGETARCH\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
    // Declared in the stage it is built FROM.
    'FROM golang:1.22 AS base\nARG TARGETARCH\nFROM base\nRUN echo $TARGETARCH',
    // The script sets it itself, or says what an unset one gives.
    'FROM alpine:3.20\nRUN TARGETARCH=$(uname -m); echo $TARGETARCH',
    'FROM alpine:3.20\nRUN read -r TARGETARCH < /arch && echo "$TARGETARCH"',
    'FROM alpine:3.20\nRUN echo ${TARGETARCH:-amd64}',
    // Review s44 (lintnits): a default that also assigns.
    'FROM alpine:3.20\nRUN : "${TARGETARCH:=amd64}"; echo $TARGETARCH',
    'FROM alpine:3.20\nRUN : ${TARGETOS=linux} && echo "$TARGETOS"',
    // Quoted or escaped: the shell does not expand it.
    "FROM alpine:3.20\nRUN echo '$TARGETARCH' \\$TARGETOS",
    // An ONBUILD RUN runs in the builds FROM this image; an exec-form RUN runs no shell.
    'FROM alpine:3.20\nONBUILD RUN echo $TARGETARCH',
    'FROM alpine:3.20\nRUN ["echo", "$TARGETARCH"]',
  ],
  invalid: [
    {
      code: 'FROM --platform=$BUILDPLATFORM golang:1.22 AS b\nWORKDIR /src\nENV ARCH=$TARGETARCH\nRUN GOARCH=$TARGETARCH go build -o /out/app .\nFROM scratch\nCOPY --from=b /out/app /app',
      errors: [
        { messageId: 'platformArg', line: 3, message: platformArg('TARGETARCH', 'ENV') },
        { messageId: 'platformArg', line: 4, message: platformArg('TARGETARCH', 'RUN') },
      ],
    },
    {
      code: 'FROM scratch\nLABEL platform=$TARGETPLATFORM',
      errors: [{ messageId: 'platformArg', line: 2, message: platformArg('TARGETPLATFORM', 'LABEL') }],
    },
    // Declared in the global scope only, as FROM needs it: a stage still has to declare it again.
    {
      code: 'ARG TARGETOS\nFROM alpine:3.20\nCOPY bin/${TARGETOS}/app /app\nRUN export GOOS=$TARGETOS && echo $BUILDARCH',
      errors: [
        { messageId: 'platformArg', line: 3 },
        { messageId: 'platformArg', line: 4, message: platformArg('TARGETOS', 'RUN') },
        { messageId: 'platformArg', line: 4, message: platformArg('BUILDARCH', 'RUN') },
      ],
    },
    // A mount option is expanded by the builder.
    {
      code: 'FROM alpine:3.20\nRUN --mount=type=cache,id=apk-$TARGETARCH,target=/var/cache/apk apk add curl',
      errors: [{ messageId: 'platformArg', line: 2 }],
    },
  ],
});
