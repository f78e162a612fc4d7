// DF251 stage-name-casing (BuildKit StageNameCasing).
import { rule } from '../../../rules/dockerfile/stage-name-casing.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    // BuildKit's directive names the check: the finding is skipped.
    '# check=skip=StageNameCasing\nFROM node:20 AS Build',
    'FROM node:20 AS build',
    'FROM node:20',
    'FROM Node:20 AS build-2',
    'FROM node:20 AS my_stage.v1',
  ],
  invalid: [
    {
      code: 'FROM node:20 AS Build\nRUN make\nFROM debian:12\nCOPY --from=Build /out /out',
      errors: [
        {
          messageId: 'casing',
          line: 1,
          message: 'Stage name `Build` is not lowercase; the builder lowercases stage names anyway, so write `build`.',
        },
      ],
      output: 'FROM node:20 AS build\nRUN make\nFROM debian:12\nCOPY --from=build /out /out',
    },
    // Every kind of reference, in any case, is lowercased with the name: FROM <stage>, COPY --from, RUN --mount from=.
    {
      code: [
        'FROM golang:1.23 as BuildEnv',
        'FROM BUILDENV AS tests',
        'RUN --mount=type=bind,from=buildEnv,source=/src,target=/src go test ./...',
        'FROM scratch',
        'COPY --from=BuildEnv --chmod=755 /go/bin/app /app',
      ].join('\n'),
      errors: [{ messageId: 'casing', line: 1 }],
      output: [
        'FROM golang:1.23 as buildenv',
        'FROM buildenv AS tests',
        'RUN --mount=type=bind,from=buildenv,source=/src,target=/src go test ./...',
        'FROM scratch',
        'COPY --from=buildenv --chmod=755 /go/bin/app /app',
      ].join('\n'),
    },
    // Two stages whose names differ only in case: which one a reference means is not clear, so no fix.
    {
      code: 'FROM a:1 AS Build\nFROM b:1 AS build\nCOPY --from=build /x /x',
      errors: [{ messageId: 'casing', line: 1 }],
      output: 'FROM a:1 AS Build\nFROM b:1 AS build\nCOPY --from=build /x /x',
    },
    // A reference through a variable may or may not name the stage: no fix.
    {
      code: 'FROM a:1 AS Build\nFROM b:1\nARG SRC=Build\nCOPY --from=${SRC} /x /x',
      errors: [{ messageId: 'casing', line: 1 }],
      output: 'FROM a:1 AS Build\nFROM b:1\nARG SRC=Build\nCOPY --from=${SRC} /x /x',
    },
    // The name's text also appears as a COPY source: changing it would change the copy, so no fix.
    {
      code: 'FROM a:1 AS Build\nFROM b:1\nCOPY --from=Build Build /x',
      errors: [{ messageId: 'casing', line: 1 }],
      output: 'FROM a:1 AS Build\nFROM b:1\nCOPY --from=Build Build /x',
    },
    // Definitions and references continued over lines are read as the builder joins them, with either escape
    // character; a name right before the escape (`Build\`) ends there.
    {
      code: 'FROM debian:12 \\\n  AS Build\nFROM Build\\\n  AS test\nCOPY --from=Build\\\n  /x /x',
      errors: [{ messageId: 'casing', line: 1 }],
      output: 'FROM debian:12 \\\n  AS build\nFROM build\\\n  AS test\nCOPY --from=build\\\n  /x /x',
    },
    {
      code: 'FROM debian:12 AS \\\n  Build\nRUN make',
      errors: [{ messageId: 'casing', line: 1 }],
      output: 'FROM debian:12 AS \\\n  build\nRUN make',
    },
    {
      code: 'FROM debian:12 AS Build \\\n',
      errors: [{ messageId: 'casing', line: 1 }],
      output: 'FROM debian:12 AS build \\\n',
    },
    {
      code: '# escape=`\nFROM debian:12 `\n  AS Build\nFROM b:1\nCOPY --from=Build`\n  C:\\x C:\\x',
      errors: [{ messageId: 'casing', line: 2 }],
      output: '# escape=`\nFROM debian:12 `\n  AS build\nFROM b:1\nCOPY --from=build`\n  C:\\x C:\\x',
    },
    {
      code: 'FROM a:1 AS builder\nFROM b:1 AS RUNTIME',
      errors: [{ messageId: 'casing', line: 2 }],
      output: 'FROM a:1 AS builder\nFROM b:1 AS runtime',
    },
  ],
});
