import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/apk-add-cache.js';

ruleTester.run(rule, {
  valid: [
    'FROM alpine:3.20\nRUN apk add --no-cache curl',
    'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl',
    'FROM alpine:3.20\nRUN apk --no-cache add curl',
    'FROM alpine:3.20 AS unused\nRUN apk add curl\nFROM alpine:3.20\nRUN true',
    // issue 15: `--no-network` installs from what is on disk and fetches no index.
    'FROM alpine:3.20\nRUN set -eux; apk add --no-cache --virtual .build-deps gcc musl-dev; make; runDeps="$(scanelf --needed --nobanner /usr/local/bin/app)"; apk add --no-network --virtual .rundeps $runDeps; apk del --no-network .build-deps',
    // issue 15: a builder used only through a bind mount ships nothing.
    'FROM alpine:3.20 AS builder\nRUN apk update && apk add build-base\nFROM alpine:3.20\nRUN --mount=type=bind,from=builder,source=/usr/local/bin,target=/mnt cp /mnt/app /usr/local/bin/',
    'FROM alpine:3.20 AS builder\nRUN apk add build-base && make\nFROM alpine:3.20\nCOPY --from=builder /src/out/app /usr/local/bin/app',
    'FROM alpine:3.20\nRUN apk update && apk add curl && rm -rf /var/cache/apk/*',
    'FROM alpine:3.20\nRUN apk update && apk add --no-cache curl && rm -rf /var/cache/apk/*',
    'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk update && apk add --no-cache curl',
    'FROM alpine:3.20 AS unused\nRUN apk update\nFROM alpine:3.20\nRUN true',
    // `apk upgrade --no-cache` fetches the index into a temporary place, as `apk add --no-cache` does.
    'FROM alpine:3.20\nRUN apk upgrade --no-cache && apk add --no-cache curl',
    'FROM alpine:3.20\nRUN apk --no-cache upgrade',
    'FROM alpine:3.20\nRUN apk upgrade && rm -rf /var/cache/apk/*',
  ],
  invalid: [
    // `apk upgrade` fetches the index and keeps it in /var/cache/apk, as `apk add` does (it was not looked at).
    {
      code: 'FROM alpine:3.20\nRUN apk upgrade',
      errors: [{ messageId: 'upgradeKeepsIndex', line: 2 }],
      output: 'FROM alpine:3.20\nRUN apk upgrade --no-cache',
    },
    {
      code: 'FROM alpine:3.20\nRUN apk update && apk upgrade && apk add --no-cache curl',
      errors: [{ messageId: 'upgradeKeepsIndex', line: 2 }],
      output: 'FROM alpine:3.20\nRUN apk update && apk upgrade && apk add --no-cache curl',
    },
    {
      code: 'FROM alpine:3.20\nRUN apk upgrade && apk add curl',
      errors: [{ messageId: 'noCache', line: 2 }],
      output: 'FROM alpine:3.20\nRUN apk upgrade --no-cache && apk add --no-cache curl',
    },
    {
      code: 'FROM alpine:3.20\nRUN apk upgrade && apk add --no-cache curl',
      errors: [{ messageId: 'upgradeKeepsIndex', line: 2 }],
      output: 'FROM alpine:3.20\nRUN apk upgrade --no-cache && apk add --no-cache curl',
    },
    {
      code: 'FROM alpine:3.20\nRUN apk add curl',
      errors: [{ messageId: 'noCache', line: 2 }],
      output: 'FROM alpine:3.20\nRUN apk add --no-cache curl',
    },
    {
      code: 'FROM alpine:3.20\nRUN sudo apk add curl',
      errors: [{ messageId: 'noCache', line: 2 }],
      output: 'FROM alpine:3.20\nRUN sudo apk add --no-cache curl',
    },
    // `apk update` keeps the index in /var/cache/apk as well, and `--no-cache` leaves it there: the fix drops the update
    // (`apk add --no-cache` fetches a fresh index itself) instead of only adding the flag.
    {
      code: 'FROM alpine:3.20\nRUN apk update && apk add --virtual .deps gcc',
      errors: [{ messageId: 'noCacheAfterUpdate', line: 2 }],
      output: 'FROM alpine:3.20\nRUN apk add --no-cache --virtual .deps gcc',
    },
    {
      code: 'FROM alpine:3.20\nRUN set -eux; apk --quiet update; apk add curl; curl --version',
      errors: [{ messageId: 'noCacheAfterUpdate', line: 2 }],
      output: 'FROM alpine:3.20\nRUN set -eux; apk add --no-cache curl; curl --version',
    },
    // An update split from its `&&` or from the next command by a line continuation (either escape character) is cut
    // out with the escape and line break: the lines join where it was.
    ...[
      ['RUN apk update \\', ' && apk add curl'],
      ['RUN apk update && \\', '    apk add curl'],
      ['RUN apk update&&\\', 'apk add curl'],
    ].flatMap((lines) =>
      ['\\', '`'].map((escape) => ({
        code: [`# escape=${escape}`, 'FROM alpine:3.20', ...lines.map((l) => l.replace('\\', escape))].join('\n'),
        errors: [{ messageId: 'noCacheAfterUpdate', line: 3 }],
        output: [`# escape=${escape}`, 'FROM alpine:3.20', 'RUN apk add --no-cache curl'].join('\n'),
      })),
    ),
    // Not up to a comment line: the escape before it would go, and the instruction end there.
    {
      code: 'FROM alpine:3.20\nRUN apk update && \\\n# fetch\n    apk add curl',
      errors: [{ messageId: 'noCacheAfterUpdate', line: 2 }],
      output: 'FROM alpine:3.20\nRUN apk update && \\\n# fetch\n    apk add curl',
    },
    // Another apk command would then fetch and keep the index: no fix.
    {
      code: 'FROM alpine:3.20\nRUN apk update && apk upgrade && apk add curl',
      errors: [{ messageId: 'noCacheAfterUpdate', line: 2 }],
      output: 'FROM alpine:3.20\nRUN apk update && apk upgrade && apk add curl',
    },
    // `apk del` reads no index: the common build-deps idiom still gets the fix.
    {
      code: 'FROM alpine:3.20\nRUN apk update && apk add --virtual .deps build-base && make && apk del .deps',
      errors: [{ messageId: 'noCacheAfterUpdate', line: 2 }],
      output: 'FROM alpine:3.20\nRUN apk add --no-cache --virtual .deps build-base && make && apk del .deps',
    },
    {
      code: 'FROM alpine:3.20\nRUN apk add --no-cache curl && apk add jq',
      errors: [{ messageId: 'noCache', line: 2 }],
    },
    // The same scripts without `--no-network`, or with the bind-mounted builder copied whole instead.
    {
      code: 'FROM alpine:3.20\nRUN set -eux; apk add --no-cache --virtual .build-deps gcc; make; apk add --virtual .rundeps $runDeps; apk del .build-deps',
      errors: [{ messageId: 'noCache', line: 2 }],
    },
    {
      code: 'FROM alpine:3.20 AS builder\nRUN apk update && apk add build-base\nFROM scratch\nCOPY --from=builder / /',
      errors: [{ messageId: 'noCacheAfterUpdate', line: 2 }],
      output: 'FROM alpine:3.20 AS builder\nRUN apk add --no-cache build-base\nFROM scratch\nCOPY --from=builder / /',
    },
    {
      code: 'FROM alpine:3.20 AS builder\nRUN apk update && apk add build-base\nFROM alpine:3.20\nCOPY --from=builder /var/cache /var/cache',
      errors: [{ messageId: 'noCacheAfterUpdate', line: 2 }],
      output:
        'FROM alpine:3.20 AS builder\nRUN apk add --no-cache build-base\nFROM alpine:3.20\nCOPY --from=builder /var/cache /var/cache',
    },
    {
      code: 'FROM alpine:3.20\nRUN apk add curl || rm -rf /var/cache/apk/*',
      errors: [{ messageId: 'noCache', line: 2 }],
      output: 'FROM alpine:3.20\nRUN apk add --no-cache curl || rm -rf /var/cache/apk/*',
    },
    // `apk update` writes the index to /var/cache/apk and `--no-cache` on the add does not remove it: the update goes.
    {
      code: 'FROM alpine:3.20\nRUN apk update && apk add --no-cache curl',
      errors: [{ messageId: 'updateKeepsIndex', line: 2 }],
      output: 'FROM alpine:3.20\nRUN apk add --no-cache curl',
    },
    {
      code: 'FROM alpine:3.20\nRUN apk update; apk add --no-cache curl jq',
      errors: [{ messageId: 'updateKeepsIndex', line: 2 }],
      output: 'FROM alpine:3.20\nRUN apk add --no-cache curl jq',
    },
    // No add to fetch the index instead, or a `--no-network` add that needs the updated index on disk: no fix.
    { code: 'FROM alpine:3.20\nRUN apk update', errors: [{ messageId: 'updateKeepsIndex', line: 2 }] },
    {
      code: 'FROM alpine:3.20\nRUN apk update && apk add --no-network --no-cache foo',
      errors: [{ messageId: 'updateKeepsIndex', line: 2 }],
      output: 'FROM alpine:3.20\nRUN apk update && apk add --no-network --no-cache foo',
    },
    // `-U`/`--update-cache` (`--update`) refreshes the index before the add, which `--no-cache` does anyway: it goes
    // where --no-cache comes in, before or after `add`, last on its line or not, on a continuation line too (the line's
    // escape stays, or goes with its line break when the flag ends the command); an `apk upgrade -U` keeps its own.
    {
      code: 'FROM alpine:3.20\nRUN apk add --update curl',
      errors: [{ messageId: 'noCache', line: 2 }],
      output: 'FROM alpine:3.20\nRUN apk add --no-cache curl',
    },
    {
      code: 'FROM alpine:3.20\nRUN apk --update add curl && apk add -U --virtual .deps gcc && apk add jq --update-cache',
      errors: [{ messageId: 'noCache', line: 2 }],
      output:
        'FROM alpine:3.20\nRUN apk add --no-cache curl && apk add --no-cache --virtual .deps gcc && apk add --no-cache jq',
    },
    {
      code: 'FROM alpine:3.20\nRUN apk upgrade -U && apk add --update \\\n      curl --update \\\n && apk add jq -U; true',
      errors: [{ messageId: 'noCache', line: 2 }],
      output:
        'FROM alpine:3.20\nRUN apk upgrade --no-cache -U && apk add --no-cache \\\n      curl \\\n && apk add --no-cache jq; true',
    },
    ...[
      [
        ['RUN apk add \\', '    --update curl'],
        ['RUN apk add --no-cache \\', '    curl'],
      ],
      [
        ['RUN apk add --update \\', '    curl'],
        ['RUN apk add --no-cache \\', '    curl'],
      ],
      [
        ['RUN apk add --update\\', '    curl'],
        ['RUN apk add --no-cache \\', '    curl'],
      ],
      [
        ['RUN apk --update \\', '    add curl'],
        ['RUN apk \\', '    add --no-cache curl'],
      ],
      [
        ['RUN apk -U \\', '  --quiet \\', '  add curl'],
        ['RUN apk \\', '  --quiet \\', '  add --no-cache curl'],
      ],
      [['RUN apk add curl \\', '    --update'], ['RUN apk add --no-cache curl']],
      [['RUN apk add curl\\', '    -U'], ['RUN apk add --no-cache curl']],
      [
        ['RUN apk add curl \\', '    --update && \\', '    true'],
        ['RUN apk add --no-cache curl && \\', '    true'],
      ],
      // A comment line is the builder's to drop, not the add's: its words stay. A flag past it stays too (cut alone, its
      // line would be left blank, and the next instruction read as part of this one).
      [
        ['RUN apk add curl \\', '# --update', '    --update'],
        ['RUN apk add --no-cache curl \\', '# --update', '    --update'],
      ],
    ].flatMap(([lines, fixed]) =>
      ['\\', '`'].map((escape) => ({
        code: [`# escape=${escape}`, 'FROM alpine:3.20', ...lines.map((l) => l.replace('\\', escape))].join('\n'),
        errors: [{ messageId: 'noCache', line: 3 }],
        output: [`# escape=${escape}`, 'FROM alpine:3.20', ...fixed.map((l) => l.replace('\\', escape))].join('\n'),
      })),
    ),
    {
      code: 'FROM alpine:3.20\nRUN apk update && apk add --update curl',
      errors: [{ messageId: 'noCacheAfterUpdate', line: 2 }],
      output: 'FROM alpine:3.20\nRUN apk add --no-cache curl',
    },
    {
      code: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache apk add curl',
      errors: [{ messageId: 'noCache', line: 2 }],
      output: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache apk add --no-cache curl',
    },
  ],
});
