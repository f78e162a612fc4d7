import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/apt-cache-not-cleaned.js';

const PRIVATE = 'FROM registry.example.com/base/debian:bookworm';
const message = (command: string, why: string, cleanup: string): string =>
  `\`${command}\` leaves the packages it downloaded and apt's package caches in /var/cache/apt (often tens of MB) in this layer: ${why}; add \`&& ${cleanup}\` after it in the same RUN, or use \`--mount=type=cache,target=/var/cache/apt\`.`;
// A root filesystem made by mmdebstrap or debootstrap, imported here: no docker-clean.
const ROOTFS = 'FROM scratch AS rootfs\nADD rootfs.tar.xz /\nFROM rootfs';
const FROM_SCRATCH = 'the stage is built FROM scratch, with no docker-clean config';
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
    `${ROOTFS}\nRUN ${INSTALL} && apt-get clean`,
    `${ROOTFS}\nRUN apt-get update && apt install -y curl && apt clean && rm -rf /var/lib/apt/lists/*`,
    `${ROOTFS}\nRUN ${INSTALL} /var/cache/apt/*`, // rm -rf of the lists and the cache
    `${ROOTFS}\nRUN apt-get update && apt-get install -y curl && rm -rf /var/cache/apt/archives /var/lib/apt/lists/*`,
    `${ROOTFS}\nRUN apt-get update && apt-get install -y curl && apt-get dist-clean`,
    // Task lintfix2 item 5: removing the downloaded packages themselves counts.
    `${ROOTFS}\nRUN ${INSTALL} /var/cache/apt/archives/*.deb`,
    `${ROOTFS}\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked ${INSTALL}`,
    `${ROOTFS}\nRUN --mount=type=cache,target=/var/cache/apt/archives ${INSTALL}`,
    // DF001 reports a RUN that leaves the lists too, with `apt-get clean` in its cleanup.
    `${ROOTFS}\nRUN apt-get update && apt-get install -y curl`,
    // No install; an unknown base.
    `${ROOTFS}\nRUN apt-get update && apt-cache policy curl && rm -rf /var/lib/apt/lists/*`,
    `ARG BASE\nFROM $BASE\nRUN ${INSTALL}`,
    // A base from another registry or a Docker Hub user is most often built on an official image (a company's base,
    // a vendor's image) and has its docker-clean: not known to keep the cache, so not reported (analyze's IM002 sees
    // the cache in the image itself).
    `${PRIVATE}\nRUN ${INSTALL}`,
    `FROM acme/debian:12\nRUN ${INSTALL}`,
    `FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04\nRUN ${INSTALL}`,
    // A build stage whose output only is copied on.
    `${ROOTFS} AS build\nRUN ${INSTALL} && make\nFROM debian:12-slim\nCOPY --from=build /out /out`,
  ],
  invalid: [
    // A quoted glob: the shell gives rm the name `*`, which removes nothing.
    {
      code: `${ROOTFS}\nRUN ${INSTALL} "/var/cache/apt/archives/*"`,
      errors: [{ messageId: 'notCleaned', line: 4 }],
      output: `${ROOTFS}\nRUN ${INSTALL} "/var/cache/apt/archives/*" && apt-get clean`,
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
      code: `${ROOTFS}\nRUN apt-get update && apt install -y curl && rm -rf /var/lib/apt/lists/*`,
      errors: [{ messageId: 'notCleaned', line: 4, message: message('apt install', FROM_SCRATCH, 'apt clean') }],
      output: `${ROOTFS}\nRUN apt-get update && apt install -y curl && rm -rf /var/lib/apt/lists/* && apt clean`,
    },
    {
      code: `${ROOTFS}\nRUN apt-get clean && ${INSTALL}`,
      errors: [{ messageId: 'notCleaned', line: 4 }],
      output: `${ROOTFS}\nRUN apt-get clean && ${INSTALL} && apt-get clean`,
    },
    // In a heredoc run with errexit the cleanup is a new last line.
    {
      code: `${ROOTFS}\nRUN <<EOT\nset -e\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\nEOT`,
      errors: [{ messageId: 'notCleaned', line: 4 }],
      output: `${ROOTFS}\nRUN <<EOT\nset -e\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\napt-get clean\nEOT`,
    },
  ],
});
