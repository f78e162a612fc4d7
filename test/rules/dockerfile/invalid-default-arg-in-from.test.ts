// DF259 invalid-default-arg-in-from (BuildKit InvalidDefaultArgInFrom).
import { rule } from '../../../rules/dockerfile/invalid-default-arg-in-from.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12',
    'ARG TAG=12\nFROM debian:${TAG}',
    // Quoted defaults.
    'ARG TAG="12" IMAGE=\'debian\'\nFROM ${IMAGE}:${TAG}',
    'ARG IMAGE=debian:12\nFROM $IMAGE',
    'ARG REGISTRY=ghcr.io ORG=acme\nFROM ${REGISTRY}/${ORG}/app:1',
    // An optional suffix, empty by default.
    'ARG VARIANT\nFROM debian:12${VARIANT}',
    'ARG SLIM\nFROM debian:12${SLIM:+-slim}',
    'FROM ${BASE_IMAGE:-debian:12}',
    'ARG TAG\nFROM debian:${TAG:-12}',
    // The platform arguments have values.
    'FROM alpine:3.20-$TARGETARCH',
    'ARG ARCH=$TARGETARCH\nFROM acme/app:${ARCH}',
    'ARG TARGETARCH\nFROM localhost/base:${TARGETARCH}',
    // Undeclared: DF258 says so.
    'FROM debian:$TAG',
    // Stopped with the author's message when unset.
    'ARG TAG\nFROM debian:${TAG:?set TAG}',
    // A stage name.
    'FROM debian:12 AS build\nARG BASE=build\nFROM debian:12\nFROM ${BASE}',
    'ARG BASE=build\nFROM debian:12 AS build\nFROM $BASE',
  ],
  invalid: [
    {
      code: 'ARG IMAGE\nFROM $IMAGE',
      errors: [
        {
          messageId: 'empty',
          line: 2,
          message:
            'With the default values of its ARGs, `FROM $IMAGE` names no image: the build fails unless every build passes --build-arg; give `IMAGE` a default that works.',
        },
      ],
    },
    {
      code: 'ARG TAG\nFROM debian:${TAG}',
      errors: [
        {
          messageId: 'invalid',
          line: 2,
          message:
            'With the default values of its ARGs, `FROM debian:${TAG}` asks for `debian:`, which is not a valid image name ("" is not a valid tag): the build fails unless every build passes --build-arg; give `TAG` a default that works.',
        },
      ],
    },
    {
      name: 'an upper-case default',
      code: 'ARG NAME=MyApp\nFROM acme/${NAME}:1',
      errors: [{ messageId: 'invalid', line: 2 }],
    },
    {
      name: 'a registry without a default leaves a leading slash',
      code: 'ARG REGISTRY\nFROM ${REGISTRY}/acme/app:1 AS app',
      errors: [{ messageId: 'invalid', line: 2 }],
    },
    {
      name: 'an empty default',
      code: 'ARG BASE=""\nFROM ${BASE}',
      errors: [{ messageId: 'empty', line: 2 }],
    },
  ],
});
