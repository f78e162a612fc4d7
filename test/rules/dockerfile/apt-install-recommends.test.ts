import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/apt-install-recommends.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl',
    'FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install -y curl',
    'FROM debian:12\nRUN apt-get update',
    // issue 15: a simulation installs nothing.
    'FROM debian:12\nRUN if apt-get install -s libjemalloc2 > /dev/null 2>&1; then apt-get install -y --no-install-recommends libjemalloc2; fi',
    'FROM debian:12\nRUN apt-get install --dry-run curl && apt-get --simulate install jq',
    // Recommends turned off in apt's configuration apply to every later install of the stage (and stages built on it).
    'FROM debian:12 AS base\nRUN echo \'APT::Install-Recommends "false";\' > /etc/apt/apt.conf.d/99norecommends\nFROM base\nRUN apt-get install -y curl',
    // The target quoted on the operator's word (`>'/etc/...'`) is the same file.
    "FROM debian:12\nRUN echo 'APT::Install-Recommends \"false\";' >'/etc/apt/apt.conf.d/99norec'\nRUN apt-get install -y curl",
    // A build stage COPY --from takes one file of.
    'FROM debian:12 AS build\nRUN apt-get install -y gcc && gcc -o /out/app app.c\nFROM debian:12-slim\nCOPY --from=build /out/app /usr/local/bin/app',
    // Only apt-get is checked; apt has its own rule.
    'FROM debian:12 AS unused\nRUN apt-get install -y curl\nFROM debian:12\nRUN true',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get install -y curl',
      errors: [{ messageId: 'recommends', line: 2 }],
    },
    { code: 'FROM debian:12\nRUN sudo apt-get install -y curl', errors: [{ messageId: 'recommends', line: 2 }] },
    // The `d` and `s` of `-o`'s value are no `-d` (download only) or `-s` (simulate).
    {
      code: 'FROM debian:12\nRUN apt-get install -y -oDpkg::Options::=--force-confold curl',
      errors: [{ messageId: 'recommends', line: 2 }],
    },
    { code: 'FROM debian:12\nRUN env X=1 apt-get install -y curl', errors: [{ messageId: 'recommends', line: 2 }] },
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get -qq install curl && apt-get install -y --no-install-recommends jq',
      errors: [{ messageId: 'recommends', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN apt-get update \\\n  && apt-get install -y \\\n    python3',
      errors: [{ messageId: 'recommends', line: 2 }],
    },
    // The simulation flag removed: now it installs.
    {
      code: 'FROM debian:12\nRUN if apt-get install libjemalloc2 > /dev/null 2>&1; then echo ok; fi',
      errors: [{ messageId: 'recommends', line: 2 }],
    },
  ],
});

// A heredoc starting with `#!/bin/bash` runs as a file, read by bash, which reads `$'it\'s'` as
// `it's`; read as /bin/sh reads it, the `'` after `s` opened a quote over the apt-get line.
ruleTester.run(rule, {
  valid: [],
  invalid: [
    {
      code: "FROM debian:12\nRUN <<EOF\n#!/bin/bash\necho $'it\\'s'\napt-get install -y curl\nEOF",
      errors: [{ messageId: 'recommends', line: 2 }],
    },
  ],
});
