import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/last-user-root.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nUSER root\nRUN x\nUSER app',
    'FROM debian:12\nRUN x',
    'FROM debian:12\nUSER 1000:1000',
    // Before the first FROM it is in no stage: the build fails on it (DF226), and no stage's user is root.
    'USER root\nFROM debian:12\nUSER app',
    // A variable the Dockerfile does not set (the base image's ENV) is not known to be root.
    'FROM debian:12\nUSER $APP_USER',
    'FROM debian:12\nENV APP_USER=app\nUSER $APP_USER',
  ],
  invalid: [
    { code: 'FROM debian:12\nUSER app\nUSER root', errors: [{ messageId: 'root', line: 3 }] },
    { code: 'FROM debian:12\nUSER 0:0', errors: [{ messageId: 'root', line: 2 }] },
    { code: 'FROM debian:12\nUSER root:root', errors: [{ messageId: 'root', line: 2 }] },
    // A variable the Dockerfile sets to root runs as root all the same (DF231 leaves root to this rule).
    { code: 'FROM debian:12\nENV APP_USER=root\nUSER $APP_USER', errors: [{ messageId: 'root', line: 3 }] },
    { code: 'FROM debian:12\nARG UID=0\nUSER ${UID}:${UID}', errors: [{ messageId: 'root', line: 3 }] },
    // Every stage is checked, as hadolint does; a build stage's USER is not the one the container runs as.
    {
      code: 'FROM debian:12 AS build\nUSER root\nFROM debian:12\nUSER app',
      errors: [{ messageId: 'buildStage', line: 2 }],
    },
    {
      code: 'FROM debian:12 AS build\nUSER root\nFROM debian:12\nCOPY --from=build /out /out',
      errors: [
        {
          messageId: 'buildStage',
          line: 2,
          message:
            'The last USER of this build stage is `root`: its later steps, and any stage built FROM it, run as root; add `USER <non-root>` after the steps that need root.',
        },
      ],
    },
    // The last stage, or the stage it is built FROM when it sets no USER itself, is the container's user.
    { code: 'FROM debian:12 AS base\nUSER 0\nFROM base\nRUN make', errors: [{ messageId: 'root', line: 2 }] },
    {
      code: 'FROM debian:12 AS base\nUSER root\nFROM base\nUSER root',
      errors: [
        { messageId: 'buildStage', line: 2 },
        { messageId: 'root', line: 4 },
      ],
    },
    { code: 'USER root\nRUN make', errors: [{ messageId: 'root', line: 1 }] },
  ],
});
