// DF209 untrusted-registry (hadolint DL3026): off until trustedRegistries is set; FROM, COPY --from and RUN --mount from=.
import { rule } from '../../../rules/dockerfile/untrusted-registry.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const trusted = (...registries: string[]): Record<string, unknown> => ({ trustedRegistries: registries });

ruleTester.run(rule, {
  valid: [
    // Not configured: the rule is off.
    'FROM random.example.com/debian:12',
    { code: 'FROM docker.io/debian:12', options: trusted('docker.io') },
    { code: 'FROM debian:12', options: trusted('docker.io') },
    { code: 'FROM library/debian:12', options: trusted('hub.docker.com') },
    // Docker Hub's names are one registry (the rule's doc, Differs from hadolint).
    { code: 'FROM index.docker.io/library/debian:12', options: trusted('docker.io') },
    { code: 'FROM registry-1.docker.io/library/debian:12', options: trusted('docker.io') },
    { code: 'FROM docker.io/library/debian:12', options: trusted('hub.docker.com') },
    { code: 'FROM registry.example.com/team/app:1', options: trusted('registry.example.com') },
    { code: 'FROM registry.example.com:5000/team/app:1', options: trusted('registry.example.com:5000') },
    { code: 'FROM foo.example.com/app:1', options: trusted('*.example.com') },
    { code: 'FROM anything.example.org/app:1', options: trusted('*') },
    { code: 'FROM scratch', options: trusted('registry.example.com') },
    { code: 'FROM registry.example.com/base:1 AS base\nFROM base', options: trusted('registry.example.com') },
    {
      code: 'FROM registry.example.com/a:1 AS build\nFROM registry.example.com/b:1\nCOPY --from=build /x /x',
      options: trusted('registry.example.com'),
    },
    { code: 'FROM registry.example.com/a:1\nCOPY --from=0 /x /x', options: trusted('registry.example.com') },
    {
      code: 'FROM registry.example.com/a:1\nRUN --mount=type=bind,from=registry.example.com/tools:1,target=/t /t/run',
      options: trusted('registry.example.com'),
    },
    { code: 'FROM $BASE', options: trusted('registry.example.com') },
    { code: 'FROM debian:12', options: { trustedRegistries: 'docker.io' } },
  ],
  invalid: [
    {
      code: 'FROM random.example.com/debian:12',
      options: trusted('docker.io'),
      errors: [
        {
          messageId: 'untrusted',
          line: 1,
          message: '`random.example.com/debian:12` comes from `random.example.com`, which is not in trustedRegistries.',
        },
      ],
    },
    {
      code: 'FROM debian:12',
      options: trusted('registry.example.com'),
      errors: [
        { messageId: 'untrusted', message: '`debian:12` comes from `docker.io`, which is not in trustedRegistries.' },
      ],
    },
    { code: 'FROM example.com/app:1', options: trusted('*.example.com'), errors: [{ messageId: 'untrusted' }] },
    // A FROM names a stage by name only: `FROM 0` pulls an image called 0 from Docker Hub.
    {
      code: 'FROM registry.example.com/a:1\nFROM 0',
      options: trusted('registry.example.com'),
      errors: [{ messageId: 'untrusted', line: 2 }],
    },
    {
      code: 'FROM registry.example.com/a:1\nCOPY --from=evil.example.org/tools:1 /x /x',
      options: trusted('registry.example.com'),
      errors: [{ messageId: 'untrusted', line: 2 }],
    },
    {
      code: 'FROM registry.example.com/a:1\nCOPY --from=alpine /x /x',
      options: trusted('registry.example.com'),
      errors: [{ messageId: 'untrusted', line: 2 }],
    },
    {
      code: 'FROM registry.example.com/a:1\nRUN --mount=type=bind,from=evil.example.org/tools:1,target=/t /t/run',
      options: trusted('registry.example.com'),
      errors: [{ messageId: 'untrusted', line: 2 }],
    },
    {
      code: 'ARG BASE=evil.example.org/base:1\nFROM $BASE',
      options: trusted('registry.example.com'),
      errors: [{ messageId: 'untrusted', line: 2 }],
    },
  ],
});
