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
            '`build-essential libpq-dev` installed in the final image: compilers and headers are only needed to build, and often add hundreds of MB; build in an earlier stage (`FROM ... AS build`) and `COPY --from=build` only the output.',
        },
      ],
    },
    { code: 'FROM alpine:3.20\nRUN apk add --no-cache gcc musl-dev', errors: [{ messageId: 'toolchain', line: 2 }] },
    { code: 'FROM fedora:40\nRUN dnf install -y gcc-c++ openssl-devel', errors: [{ messageId: 'toolchain', line: 2 }] },
  ],
});
