import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/build-tools-in-final-image.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12 AS build\nRUN apt-get install -y build-essential\nFROM debian:12-slim\nCOPY --from=build /out /out',
    'FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && make && apk del .build-deps',
    'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl libpq5',
    // An ONBUILD trigger installs into the images built FROM this one, typically build stages (the onbuild builder
    // pattern), not into this image.
    'FROM golang:1.22-alpine\nONBUILD RUN apk add --no-cache make gcc musl-dev\nONBUILD COPY . /src',
  ],
  invalid: [
    // A build stage copied whole ships its toolchain into the image.
    {
      code: 'FROM debian:12 AS build\nRUN apt-get install -y build-essential\nFROM scratch\nCOPY --from=build / /',
      errors: [{ messageId: 'toolchain', line: 2 }],
    },
    // The purge only runs when the build fails.
    {
      code: 'FROM debian:12-slim\nRUN apt-get install -y --no-install-recommends gcc && make || apt-get purge -y gcc',
      errors: [{ messageId: 'toolchain', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN apt-get install -y build-essential libpq-dev',
      errors: [
        {
          messageId: 'toolchain',
          line: 2,
          message:
            '`build-essential libpq-dev` installed in the final image: compilers and headers are only needed to build, and often add hundreds of MB; remove them in the same RUN after the build (`apt-get install -y build-essential libpq-dev && ... && apt-get purge -y --auto-remove build-essential libpq-dev`, with the runtime libraries the build links against installed by name so the autoremove keeps them), or build in an earlier stage (`FROM ... AS build`) and `COPY --from=build` only the output.',
        },
      ],
    },
    { code: 'FROM alpine:3.20\nRUN apk add --no-cache gcc musl-dev', errors: [{ messageId: 'toolchain', line: 2 }] },
    { code: 'FROM fedora:40\nRUN dnf install -y gcc-c++ openssl-devel', errors: [{ messageId: 'toolchain', line: 2 }] },
  ],
});

// Review s44 (lintfn): zypper installs, and the php image's `$PHPIZE_DEPS`.
ruleTester.run(rule, {
  valid: [
    'FROM opensuse/leap:15.6\nRUN zypper -n in -y gcc make && make -C /src && zypper -n rm -y gcc make',
    'FROM opensuse/leap:15.6\nRUN zypper --root /x -n in -y curl',
    'FROM fedora:41\nRUN dnf5 install -y gcc && make -C /src && dnf5 remove -y gcc',
    // Removed again by its virtual package, as the php image's docs do.
    'FROM php:8.3-fpm-alpine\nRUN apk add --no-cache --virtual .build-deps $PHPIZE_DEPS && pecl install xdebug-3.3.2 && docker-php-ext-enable xdebug && apk del .build-deps',
    // Not the official php image, or the Dockerfile sets the variable itself: what it holds is not known.
    'FROM bitnami/php-fpm:8.3\nRUN apk add --no-cache $PHPIZE_DEPS',
    'FROM php:8.3-fpm-alpine\nENV PHPIZE_DEPS="curl"\nRUN apk add --no-cache $PHPIZE_DEPS',
    'FROM alpine:3.20\nRUN apk add --no-cache $PHPIZE_DEPS',
  ],
  invalid: [
    // Removed only in a later RUN: the packages stay in the install's layer. The message says so, and what moves where.
    {
      code: 'FROM ruby:3.3-alpine\nRUN apk add --no-cache --virtual .build-deps build-base=0.5-r3\nRUN apk del .build-deps',
      errors: [
        {
          messageId: 'removedLater',
          line: 2,
          message:
            "`build-base=0.5-r3` installed in the final image, and `apk del .build-deps` on line 3 frees nothing: it runs in a later RUN, and the packages stay in this RUN's layer; remove them in this RUN (`&& apk del .build-deps` after the build), or build in an earlier stage.",
        },
      ],
    },
    {
      code: 'FROM debian:12-slim\nRUN apt-get install -y gcc\nCOPY . /src\nRUN make -C /src && apt-get purge -y gcc',
      errors: [{ messageId: 'removedLater', line: 2 }],
    },
    // Review s45: removed in a stage built FROM the installing one, which ships on top of its layer: frees nothing too.
    {
      code: 'FROM alpine:3.21 AS base\nRUN apk add --no-cache -t .build-deps gcc\nFROM base\nRUN apk del .build-deps',
      errors: [{ messageId: 'removedLater', line: 2 }],
    },
    {
      code: 'FROM alpine:3.21 AS base\nRUN apk add --no-cache -t .build-deps gcc\nFROM base AS mid\nFROM mid\nRUN apk del .build-deps',
      errors: [{ messageId: 'removedLater', line: 2 }],
    },
    // s46 (lintfix3): the removal names the package, the install a pinned spec of it (or the reverse): matched by name.
    {
      code: 'FROM fedora:41\nRUN dnf install -y gcc-14.2.1\nRUN dnf remove -y gcc',
      errors: [
        {
          messageId: 'removedLater',
          line: 2,
          message:
            "`gcc-14.2.1` installed in the final image, and `dnf remove -y gcc` on line 3 frees nothing: it runs in a later RUN, and the packages stay in this RUN's layer; remove them in this RUN (`&& dnf remove -y gcc` after the build), or build in an earlier stage.",
        },
      ],
    },
    {
      code: 'FROM rockylinux:9\nRUN yum install -y make-1:4.3-8.el9 gcc.x86_64\nRUN yum erase -y gcc',
      errors: [{ messageId: 'removedLater', line: 2 }],
    },
    {
      code: 'FROM fedora:41\nRUN dnf install -y gcc\nRUN dnf remove -y gcc-14.2.1-3.fc41',
      errors: [{ messageId: 'removedLater', line: 2 }],
    },
    {
      code: 'FROM debian:12-slim\nRUN apt-get install -y gcc=4:12.2.0-3\nRUN apt-get purge -y gcc:amd64',
      errors: [{ messageId: 'removedLater', line: 2 }],
    },
    {
      code: 'FROM alpine:3.21\nRUN apk add --no-cache gcc=13.2.1-r0\nRUN apk del gcc',
      errors: [{ messageId: 'removedLater', line: 2 }],
    },
    // apt's release pin (NAME/RELEASE) names the package as its version pin does.
    {
      code: 'FROM debian:12-slim\nRUN apt-get install -y --no-install-recommends make/bookworm gcc/bookworm-backports',
      errors: [{ messageId: 'toolchain', line: 2 }],
    },
    // gcc-c++ is not gcc, however it is pinned.
    {
      code: 'FROM fedora:41\nRUN dnf install -y gcc-c++-14.2.1\nRUN dnf remove -y gcc',
      errors: [{ messageId: 'toolchain', line: 2 }],
    },
    // Removed in a stage that does not ship (or is not built from this one), or something else removed: the
    // multi-stage advice.
    {
      code: 'FROM alpine:3.21 AS base\nRUN apk add --no-cache -t .build-deps gcc\nFROM base AS test\nRUN apk del .build-deps\nFROM base\nCMD ["app"]',
      errors: [{ messageId: 'toolchain', line: 2 }],
    },
    {
      code: 'FROM alpine:3.21\nRUN apk add --no-cache -t .build-deps gcc\nRUN apk del .other',
      errors: [{ messageId: 'toolchain', line: 2 }],
    },
    // dnf5 is dnf: its installs are read as dnf's.
    {
      code: 'FROM fedora:41\nRUN dnf5 install -y gcc make && dnf5 clean all',
      errors: [{ messageId: 'toolchain', line: 2 }],
    },
    {
      code: 'FROM opensuse/leap:15.6\nRUN zypper -n in -y gcc make && zypper cc -a',
      errors: [
        {
          messageId: 'toolchain',
          line: 2,
          message:
            '`gcc make` installed in the final image: compilers and headers are only needed to build, and often add hundreds of MB; build in an earlier stage (`FROM ... AS build`) and `COPY --from=build` only the output.',
        },
      ],
    },
    {
      code: 'FROM opensuse/tumbleweed\nRUN zypper --non-interactive --root / install --no-recommends libopenssl-devel',
      errors: [{ messageId: 'toolchain', line: 2 }],
    },
    {
      code: 'FROM php:8.3-fpm-alpine\nRUN apk add --no-cache $PHPIZE_DEPS && pecl install xdebug-3.3.2 && docker-php-ext-enable xdebug',
      errors: [
        {
          messageId: 'toolchain',
          line: 2,
          message:
            '`$PHPIZE_DEPS` installed in the final image: compilers and headers are only needed to build, and often add hundreds of MB; remove them in the same RUN after the build (`apk add --virtual .build-deps $PHPIZE_DEPS && ... && apk del .build-deps`, with the runtime libraries the build links against added by name outside the group so they stay), or build in an earlier stage (`FROM ... AS build`) and `COPY --from=build` only the output.',
        },
      ],
    },
    {
      code: 'FROM docker.io/library/php:8.3-alpine3.20 AS base\nFROM base\nRUN apk add ${PHPIZE_DEPS}',
      errors: [{ messageId: 'toolchain', line: 3 }],
    },
  ],
});

// Review s44 (lintnits): the php image's Debian variants keep `$PHPIZE_DEPS` installed, so installing it adds nothing.
ruleTester.run(rule, {
  valid: [
    'FROM docker.io/library/php:8.3-apache AS base\nFROM base\nRUN apt-get update && apt-get install -y ${PHPIZE_DEPS}',
    'FROM php:8.3-fpm\nRUN apt-get update && apt-get install -y $PHPIZE_DEPS && pecl install xdebug-3.3.2',
    'FROM php:8.3-cli-bookworm\nRUN apt-get install -y $PHPIZE_DEPS',
    'FROM php\nRUN apt-get install -y $PHPIZE_DEPS',
  ],
  invalid: [
    {
      code: 'FROM php:8.3-fpm\nRUN apt-get install -y $PHPIZE_DEPS libpq-dev',
      errors: [
        {
          messageId: 'toolchain',
          line: 2,
          message:
            '`libpq-dev` installed in the final image: compilers and headers are only needed to build, and often add hundreds of MB; remove them in the same RUN after the build (`apt-get install -y libpq-dev && ... && apt-get purge -y --auto-remove libpq-dev`, with the runtime libraries the build links against installed by name so the autoremove keeps them), or build in an earlier stage (`FROM ... AS build`) and `COPY --from=build` only the output.',
        },
      ],
    },
  ],
});

// Review s45 (lintfix1): yum/dnf read a package spec as NAME-VERSION[-RELEASE][.ARCH], so a pinned toolchain is the
// toolchain; a name with a part that is no version (`gcc-c++`, `libtool-ltdl`) stays that name.
ruleTester.run(rule, {
  valid: [
    // libtool's runtime library, pinned: not libtool.
    'FROM rockylinux:9\nRUN dnf install -y libtool-ltdl-2.4.6-46.el9 libgcc-11.4.1',
    // apt reads `gcc-12` as a package of that name and versions after `=`: `make-guile` is its own package.
    'FROM debian:12\nRUN apt-get install -y make-guile',
  ],
  invalid: [
    {
      code: 'FROM fedora:41\nRUN dnf install -y gcc-14.2.1 make && dnf clean all',
      errors: [
        {
          messageId: 'toolchain',
          line: 2,
          message:
            '`gcc-14.2.1 make` installed in the final image: compilers and headers are only needed to build, and often add hundreds of MB; build in an earlier stage (`FROM ... AS build`) and `COPY --from=build` only the output.',
        },
      ],
    },
    { code: 'FROM fedora:41\nRUN dnf install -y gcc-14.2.1-3.fc41', errors: [{ messageId: 'toolchain', line: 2 }] },
    {
      code: 'FROM fedora:41\nRUN microdnf install -y gcc-c++-14.2.1-3.fc41.x86_64',
      errors: [{ messageId: 'toolchain', line: 2 }],
    },
    { code: 'FROM rockylinux:9\nRUN yum install -y make-1:4.3-8.el9', errors: [{ messageId: 'toolchain', line: 2 }] },
    {
      code: 'FROM rockylinux:9\nRUN yum install -y openssl-devel-3.0.7-27.el9',
      errors: [{ messageId: 'toolchain', line: 2 }],
    },
  ],
});

// Review s46 (lintfix4): headers a build needs in this very stage (PHP extensions, R packages) are best removed in the
// same RUN, with the package manager's idiom, which the message leads with; where it fires does not change.
ruleTester.run(rule, {
  valid: [
    'FROM php:8.3-fpm-alpine\nRUN apk add --no-cache --virtual .build-deps libzip-dev icu-dev && docker-php-ext-install zip intl && apk del .build-deps',
  ],
  invalid: [
    {
      code: 'FROM php:8.3-fpm-alpine\nRUN apk add --no-cache libzip-dev icu-dev && docker-php-ext-install zip intl',
      errors: [
        {
          messageId: 'toolchain',
          message:
            '`libzip-dev icu-dev` installed in the final image: compilers and headers are only needed to build, and often add hundreds of MB; remove them in the same RUN after the build (`apk add --virtual .build-deps libzip-dev icu-dev && ... && apk del .build-deps`, with the runtime libraries the build links against added by name outside the group so they stay), or build in an earlier stage (`FROM ... AS build`) and `COPY --from=build` only the output.',
        },
      ],
    },
    {
      code: 'FROM rocker/r-ver:4.4.1\nRUN apt-get update && apt-get install -y --no-install-recommends libxml2-dev && install2.r xml2',
      errors: [
        {
          messageId: 'toolchain',
          message:
            '`libxml2-dev` installed in the final image: compilers and headers are only needed to build, and often add hundreds of MB; remove them in the same RUN after the build (`apt-get install -y libxml2-dev && ... && apt-get purge -y --auto-remove libxml2-dev`, with the runtime libraries the build links against installed by name so the autoremove keeps them), or build in an earlier stage (`FROM ... AS build`) and `COPY --from=build` only the output.',
        },
      ],
    },
    // Two package managers (or npm's node-gyp): no one idiom to give.
    {
      code: 'FROM node:20-alpine\nRUN apk add --no-cache python3 make g++ && npm install -g node-gyp',
      errors: [
        {
          messageId: 'toolchain',
          message:
            '`make g++ node-gyp` installed in the final image: compilers and headers are only needed to build, and often add hundreds of MB; build in an earlier stage (`FROM ... AS build`) and `COPY --from=build` only the output.',
        },
      ],
    },
  ],
});
