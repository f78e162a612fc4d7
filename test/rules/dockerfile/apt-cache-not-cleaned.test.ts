import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/apt-cache-not-cleaned.js';

const PRIVATE = 'FROM registry.example.com/base/debian:bookworm';
const message = (command: string, why: string, cleanup: string): string =>
  `\`${command}\` leaves the packages it downloaded and apt's package caches in /var/cache/apt (often tens of MB) in this layer: ${why}; add \`&& ${cleanup}\` after it in the same RUN, or use \`--mount=type=cache,target=/var/cache/apt\`.`;
const NOT_OFFICIAL =
  'the base image registry.example.com/base/debian:bookworm is not an official Docker Hub image, whose docker-clean config would empty it';
const INSTALL = 'apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*';

ruleTester.run(rule, {
  valid: [
    // Official bases (and mirrors of them) ship docker-clean.
    `FROM debian:12\nRUN ${INSTALL}`,
    `FROM python:3.12-slim\nRUN ${INSTALL}`,
    `FROM public.ecr.aws/docker/library/ubuntu:24.04\nRUN ${INSTALL}`,
    // The base is built earlier in the file on an official image.
    `FROM debian:12 AS base\nFROM base\nRUN ${INSTALL}`,
    // Cleaned after the install, or the downloads go to a cache mount.
    `${PRIVATE}\nRUN ${INSTALL} && apt-get clean`,
    `${PRIVATE}\nRUN apt-get update && apt install -y curl && apt clean && rm -rf /var/lib/apt/lists/*`,
    `${PRIVATE}\nRUN ${INSTALL} /var/cache/apt/*`, // rm -rf of the lists and the cache
    `${PRIVATE}\nRUN apt-get update && apt-get install -y curl && rm -rf /var/cache/apt/archives /var/lib/apt/lists/*`,
    `${PRIVATE}\nRUN apt-get update && apt-get install -y curl && apt-get dist-clean`,
    `${PRIVATE}\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked ${INSTALL}`,
    `${PRIVATE}\nRUN --mount=type=cache,target=/var/cache/apt/archives ${INSTALL}`,
    // DF001 reports a RUN that leaves the lists too, with `apt-get clean` in its cleanup.
    `${PRIVATE}\nRUN apt-get update && apt-get install -y curl`,
    // No install; an unknown base.
    `${PRIVATE}\nRUN apt-get update && apt-cache policy curl && rm -rf /var/lib/apt/lists/*`,
    `ARG BASE\nFROM $BASE\nRUN ${INSTALL}`,
    // A build stage whose output only is copied on.
    `${PRIVATE} AS build\nRUN ${INSTALL} && make\nFROM debian:12-slim\nCOPY --from=build /out /out`,
  ],
  invalid: [
    {
      code: `${PRIVATE}\nRUN ${INSTALL}`,
      errors: [
        {
          messageId: 'notCleaned',
          line: 2,
          message:
            "`apt-get install` leaves the packages it downloaded and apt's package caches in /var/cache/apt (often tens of MB) in this layer: the base image registry.example.com/base/debian:bookworm is not an official Docker Hub image, whose docker-clean config would empty it; add `&& apt-get clean` after it in the same RUN, or use `--mount=type=cache,target=/var/cache/apt`.",
        },
      ],
      output: `${PRIVATE}\nRUN ${INSTALL} && apt-get clean`,
    },
    // A Docker Hub image that is not an official one; a base made FROM scratch; through an earlier stage.
    {
      code: `FROM acme/debian:12\nRUN ${INSTALL}`,
      errors: [{ messageId: 'notCleaned', line: 2 }],
      output: `FROM acme/debian:12\nRUN ${INSTALL} && apt-get clean`,
    },
    {
      code: `FROM scratch AS rootfs\nADD rootfs.tar.xz /\nFROM rootfs\nRUN ${INSTALL}`,
      errors: [
        {
          messageId: 'notCleaned',
          line: 4,
          message: message(
            'apt-get install',
            'the stage is built FROM scratch, with no docker-clean config',
            'apt-get clean',
          ),
        },
      ],
      output: `FROM scratch AS rootfs\nADD rootfs.tar.xz /\nFROM rootfs\nRUN ${INSTALL} && apt-get clean`,
    },
    // An official base whose docker-clean an earlier RUN removed, with no cache mount here.
    {
      code: `FROM debian:12\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN ${INSTALL}`,
      errors: [
        {
          messageId: 'notCleaned',
          line: 3,
          message: message(
            'apt-get install',
            'the RUN on line 2 removed /etc/apt/apt.conf.d/docker-clean',
            'apt-get clean',
          ),
        },
      ],
      output: `FROM debian:12\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN ${INSTALL} && apt-get clean`,
    },
    // `apt install` gets `apt clean`; a clean before the install does not count.
    {
      code: `${PRIVATE}\nRUN apt-get update && apt install -y curl && rm -rf /var/lib/apt/lists/*`,
      errors: [{ messageId: 'notCleaned', line: 2, message: message('apt install', NOT_OFFICIAL, 'apt clean') }],
      output: `${PRIVATE}\nRUN apt-get update && apt install -y curl && rm -rf /var/lib/apt/lists/* && apt clean`,
    },
    {
      code: `${PRIVATE}\nRUN apt-get clean && ${INSTALL}`,
      errors: [{ messageId: 'notCleaned', line: 2 }],
      output: `${PRIVATE}\nRUN apt-get clean && ${INSTALL} && apt-get clean`,
    },
    // In a heredoc run with errexit the cleanup is a new last line.
    {
      code: `${PRIVATE}\nRUN <<EOT\nset -e\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\nEOT`,
      errors: [{ messageId: 'notCleaned', line: 2 }],
      output: `${PRIVATE}\nRUN <<EOT\nset -e\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\napt-get clean\nEOT`,
    },
  ],
});
