// DF258 undefined-arg-in-from (BuildKit UndefinedArgInFrom).
import { rule } from '../../../rules/dockerfile/undefined-arg-in-from.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const undeclared = (name: string): string =>
  `FROM uses \`$${name}\`, which no ARG before the first FROM declares: FROM sees only those (and the platform arguments), so it is empty here.`;

ruleTester.run(rule, {
  valid: [
    'FROM debian:12',
    'ARG TAG=12\nFROM debian:${TAG}',
    'ARG IMAGE\nFROM $IMAGE',
    'ARG REGISTRY=docker.io\nARG TAG=12\nFROM ${REGISTRY}/library/debian:$TAG AS base\nFROM base',
    // The platform arguments are set in the global scope.
    'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nFROM alpine:3.20-$TARGETARCH',
    // A default says what an unset variable gives; `:?` stops the build with the author's message.
    'FROM ${BASE:-debian:12}',
    'FROM ${BASE-debian:12}',
    'FROM ${BASE:?pass --build-arg BASE}',
    // `:+` with a declared ARG (no default: set it with --build-arg).
    'ARG SUFFIX\nFROM debian:12${SUFFIX:+-slim}',
    // Escaped: no variable.
    'FROM debian:\\$TAG',
  ],
  invalid: [
    {
      // `${SUFFIX:+-slim}` gives `-slim` only when SUFFIX is set, and FROM sees no undeclared ARG: it never applies.
      name: 'an alternative for an undeclared name',
      code: 'FROM debian:12${SUFFIX:+-slim}\nFROM ${REGISTRY+$REGISTRY/}debian:12',
      errors: [
        { messageId: 'undeclared', line: 1, message: undeclared('SUFFIX') },
        { messageId: 'undeclared', line: 2, message: undeclared('REGISTRY') },
      ],
    },
    {
      name: 'inside a default word',
      code: 'ARG DEBIAN_VERSION=12\nFROM debian:${TAG:-$DEBAIN_VERSION}',
      errors: [{ messageId: 'undeclared', line: 2 }],
    },
    {
      code: 'FROM debian:$TAG',
      errors: [
        {
          messageId: 'undeclared',
          line: 1,
          message:
            'FROM uses `$TAG`, which no ARG before the first FROM declares: FROM sees only those (and the platform arguments), so it is empty here.',
        },
      ],
    },
    {
      name: 'declared only inside a stage',
      code: 'FROM debian:12\nARG TAG=12\nFROM debian:${TAG}',
      errors: [{ messageId: 'undeclared', line: 3 }],
    },
    {
      name: 'a close name is suggested',
      code: 'ARG DEBIAN_VERSION=12\nFROM debian:${DEBAIN_VERSION}',
      errors: [
        {
          messageId: 'undeclared',
          line: 2,
          message:
            'FROM uses `$DEBAIN_VERSION`, which no ARG before the first FROM declares: FROM sees only those (and the platform arguments), so it is empty here. Did you mean `$DEBIAN_VERSION`?',
        },
      ],
    },
    {
      name: 'names are case-sensitive',
      code: 'ARG tag=12\nFROM debian:$TAG',
      errors: [
        {
          messageId: 'undeclared',
          message:
            'FROM uses `$TAG`, which no ARG before the first FROM declares: FROM sees only those (and the platform arguments), so it is empty here. Did you mean `$tag`?',
        },
      ],
    },
    {
      name: 'in --platform, once per name',
      code: 'FROM --platform=$PLATFROM debian:12\nFROM --platform=$PLATFORM alpine:$V$V',
      errors: [
        { messageId: 'undeclared', line: 1 },
        { messageId: 'undeclared', line: 2 },
        { messageId: 'undeclared', line: 2 },
      ],
    },
  ],
});
