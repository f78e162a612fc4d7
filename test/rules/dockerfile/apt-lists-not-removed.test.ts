import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/apt-lists-not-removed.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
    'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl \\\n && rm -fr /var/lib/apt/lists',
    // A cache mount keeps the lists out of the layer.
    'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl',
    'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl',
    'FROM debian:12\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y curl',
    // A build stage nobody uses never reaches the image.
    'FROM debian:12 AS unused\nRUN apt-get update && apt-get install -y curl\nFROM debian:12\nRUN echo hi',
    'FROM debian:12\nRUN apt-get install -y curl',
    // COPY --from takes /x only: the lists in the build stage do not ship.
    'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /x /x',
    // apt 2.7+ (Debian trixie): dist-clean removes the lists and caches.
    'FROM debian:trixie-slim\nRUN apt-get update; apt-get install -y --no-install-recommends curl; apt-get dist-clean',
    'FROM debian:12\nRUN set -eux; if [ "$(dpkg --print-architecture)" = amd64 ]; then apt-get update; apt-get install -y curl; rm -rf /var/lib/apt/lists/*; fi',
    'FROM debian:12\nRUN set -eux; if [ -n "$X" ]; then apt-get update; apt-get install -y curl; fi; rm -rf /var/lib/apt/lists/*',
    // Heredoc scripts are linted like any other RUN.
    'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\nEOF',
    // A glob that matches every list file removes the lists too: each list file name has a `_` in it (the runner stage
    // of Phoenix's `mix phx.gen.release --docker` template).
    'FROM debian:bookworm-slim\nRUN apt-get update -y && \\\n  apt-get install -y libstdc++6 openssl libncurses5 locales ca-certificates \\\n  && apt-get clean && rm -f /var/lib/apt/lists/*_*',
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*_Packages* /var/lib/apt/lists/*Release*',
    // zsh's glob qualifiers are part of the word (see parseShell): `*(N)` removes what `*` does, without an error when
    // nothing matches, so the word is the glob, and the lists are seen removed.
    'FROM debian:12\nSHELL ["/bin/zsh", "-c"]\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*(N)',
    // A quoted directory is still the directory, and a glob left unquoted after it is expanded.
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf "/var/lib/apt/lists"',
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf "/var/lib/apt/lists"/*',
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf "/var/lib/apt/lists"/*_*',
  ],
  invalid: [
    // A quoted or escaped glob is not expanded by the shell: rm is given the name `*` (or `*_*`), removes nothing and,
    // with -f, says nothing.
    ...[
      'rm -rf "/var/lib/apt/lists/*"',
      "rm -rf '/var/lib/apt/lists/*_*'",
      'rm -rf /var/lib/apt/lists/\\*_\\*',
      'rm -rf /var/lib/apt/lists/"*"',
      'rm -f "/var/lib/apt/lists/*_*"',
    ].map((cleanup) => ({
      code: `FROM debian:12\nRUN apt-get update && apt-get install -y curl && ${cleanup}`,
      errors: [{ messageId: 'notRemoved', line: 2 }],
    })),
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
      errors: [{ messageId: 'notRemoved', line: 2 }],
    },
    // A heredoc fed to a shell is its script too (BuildKit's own example form).
    {
      code: 'FROM debian:12\nRUN <<EOT bash\n  set -ex\n  apt-get update\n  apt-get install -y vim\nEOT',
      errors: [{ messageId: 'notRemoved', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN sh -e <<EOF\napt-get update\napt-get install -y vim\nEOF',
      errors: [{ messageId: 'notRemoved', line: 2 }],
    },
    {
      code: 'FROM ubuntu:22.04\nRUN apt update && apt install -y curl',
      errors: [{ messageId: 'notRemoved', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN aptitude update && aptitude install -y curl',
      errors: [{ messageId: 'notRemoved', line: 2 }],
    },
    // A stage copied whole does reach the final image.
    {
      code: 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM scratch\nCOPY --from=build / /',
      errors: [{ messageId: 'notRemoved', line: 2 }],
    },
    {
      code: 'FROM debian:12 AS base\nRUN apt-get update\nFROM base\nRUN echo hi',
      errors: [{ messageId: 'notRemoved', line: 2 }],
    },
    // The fix leaves out `apt-get clean` when apt's archives are a cache mount: it would empty the cache the RUN keeps
    // its downloads in (and they are not in the layer anyway).
    {
      code: 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl',
      errors: [{ messageId: 'notRemoved', line: 2 }],
      unsafeOutput:
        'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
    },
    {
      code: 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt/archives,sharing=locked apt-get update && apt-get install -y curl',
      errors: [{ messageId: 'notRemoved', line: 2 }],
      unsafeOutput:
        'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt/archives,sharing=locked apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
    },
    // The message names what the fix appends: `apt-get clean` too when the RUN installs.
    {
      code: 'FROM debian:12\nRUN --mount=type=cache,target=/root/.cache apt-get update && apt-get install -y curl',
      errors: [
        {
          messageId: 'notRemoved',
          line: 2,
          message:
            '`apt-get update` leaves the package lists (/var/lib/apt/lists, tens of MB) in this layer; add `apt-get clean && rm -rf /var/lib/apt/lists/*` (or `apt-get dist-clean`) after it in the same RUN or use `--mount=type=cache,target=/var/lib/apt/lists`.',
        },
      ],
      unsafeOutput:
        'FROM debian:12\nRUN --mount=type=cache,target=/root/.cache apt-get update && apt-get install -y curl && apt-get clean && rm -rf /var/lib/apt/lists/*',
    },
    {
      code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF',
      errors: [{ messageId: 'notRemoved', line: 2 }],
    },
    // The same scripts with the cleanup removed, before the update, behind `||` or in another arm.
    {
      code: 'FROM debian:trixie-slim\nRUN apt-get update; apt-get install -y --no-install-recommends curl',
      errors: [{ messageId: 'notRemoved', line: 2 }],
    },
    {
      code: 'FROM debian:trixie-slim\nRUN apt-get update; apt-get install -y --no-install-recommends curl || apt-get dist-clean',
      errors: [{ messageId: 'notRemoved', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y curl',
      errors: [{ messageId: 'notRemoved', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN if [ -n "$X" ]; then apt-get update; apt-get install -y curl; else rm -rf /var/lib/apt/lists/*; fi',
      errors: [{ messageId: 'notRemoved', line: 2 }],
    },
    // A glob that leaves the Packages files leaves the lists: `*InRelease` matches only the small signed release
    // files, and `*.lz4` only the lists compressed as the Debian and Ubuntu images' apt config stores them (plain or
    // gzip with another config).
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -f /var/lib/apt/lists/*InRelease',
      errors: [{ messageId: 'notRemoved', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -f /var/lib/apt/lists/*.lz4',
      errors: [{ messageId: 'notRemoved', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/partial',
      errors: [{ messageId: 'notRemoved', line: 2 }],
    },
    // The unsafe fix removes the lists of a RUN that only installs what no later RUN reads.
    {
      code: 'FROM debian:12\nRUN apt-get update\nRUN echo hi',
      errors: [
        {
          messageId: 'notRemoved',
          line: 2,
          message:
            '`apt-get update` leaves the package lists (/var/lib/apt/lists, tens of MB) in this layer; add `rm -rf /var/lib/apt/lists/*` (or `apt-get dist-clean`) after it in the same RUN or use `--mount=type=cache,target=/var/lib/apt/lists`.',
        },
      ],
      unsafeOutput: 'FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\nRUN echo hi',
    },
    {
      code: 'FROM debian:12\nRUN apt-get update\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
      errors: [{ messageId: 'notRemoved', line: 2 }],
      unsafeOutput:
        'FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
    },
    // No fix when a later RUN installs from these lists without its own update (report hunt precision #3): removing
    // them here would fail that install ("Unable to locate package"). In this stage, or in a stage built FROM it. The
    // message does not advise the cleanup here, but the update and the cleanup in the RUNs that install.
    {
      code: 'FROM debian:12-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*\nCMD ["curl", "--version"]',
      errors: [
        {
          messageId: 'listsForLaterInstall',
          line: 2,
          message:
            '`apt-get update` leaves the package lists (/var/lib/apt/lists, tens of MB) in this layer, but the RUN on line 3 installs from them, so removing them here alone would fail that install; add `rm -rf /var/lib/apt/lists/*` here and start that RUN with its own `apt-get update` (or join the two RUNs, or use `--mount=type=cache,target=/var/lib/apt/lists` on both).',
        },
      ],
      unsafeOutput:
        'FROM debian:12-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*\nCMD ["curl", "--version"]',
    },
    {
      code: 'FROM debian:12 AS base\nRUN apt-get update\nFROM base\nRUN echo hi\nRUN apt-get install -y curl',
      errors: [
        {
          messageId: 'listsForLaterInstall',
          line: 2,
          message:
            '`apt-get update` leaves the package lists (/var/lib/apt/lists, tens of MB) in this layer, but the RUN on line 5 installs from them, so removing them here alone would fail that install; add `rm -rf /var/lib/apt/lists/*` here and start that RUN with its own `apt-get update` (or join the two RUNs, or use `--mount=type=cache,target=/var/lib/apt/lists` on both).',
        },
      ],
      unsafeOutput: 'FROM debian:12 AS base\nRUN apt-get update\nFROM base\nRUN echo hi\nRUN apt-get install -y curl',
    },
    {
      code: 'FROM debian:12\nRUN apt-get update\nRUN xargs -a /tmp/packages.txt apt-get install -y',
      errors: [{ messageId: 'listsForLaterInstall', line: 2 }],
      unsafeOutput: 'FROM debian:12\nRUN apt-get update\nRUN xargs -a /tmp/packages.txt apt-get install -y',
    },
    // Several RUNs install from the lists, up to the one that removes them or updates them again: each needs its own
    // update, and the cleanup in the last one alone would leave them in every layer before it.
    {
      code: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\nRUN echo hi\nRUN apt-get install -y git && rm -rf /var/lib/apt/lists/*\nRUN apt-get install -y make',
      errors: [
        {
          messageId: 'listsForLaterInstalls',
          line: 2,
          message:
            '`apt-get update` leaves the package lists (/var/lib/apt/lists, tens of MB) in this layer, but the RUNs on lines 3 and 5 install from them, so removing them here alone would fail those installs; add `rm -rf /var/lib/apt/lists/*` here and start each of those RUNs with its own `apt-get update` (or use `--mount=type=cache,target=/var/lib/apt/lists` on all these RUNs).',
        },
      ],
      unsafeOutput:
        'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\nRUN echo hi\nRUN apt-get install -y git && rm -rf /var/lib/apt/lists/*\nRUN apt-get install -y make',
    },
    // A cleanup inside a condition the update is not in: ballast cannot tell, so it says so at info.
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl; if [ -n "$SLIM" ]; then rm -rf /var/lib/apt/lists/*; fi',
      errors: [
        {
          messageId: 'notRemoved',
          line: 2,
          message:
            '`apt-get update` leaves the package lists (/var/lib/apt/lists, tens of MB) in this layer; add `apt-get clean && rm -rf /var/lib/apt/lists/*` (or `apt-get dist-clean`) after it in the same RUN or use `--mount=type=cache,target=/var/lib/apt/lists`. (Unsure: this RUN does clean up, but only inside a condition, loop or function, so not on every path.)',
        },
      ],
    },
  ],
});

// Review s43 item 8: a later RUN that only cleans up what this RUN fetched moves into it (as written), with its comment.
ruleTester.run(rule, {
  valid: [],
  invalid: [
    {
      code: 'FROM php:8.2-fpm\nRUN apt-get update && apt-get install -y git\n\n# Clear cache\nRUN apt-get clean && rm -rf /var/lib/apt/lists/*\n\n# Install PHP extensions\nRUN docker-php-ext-install gd\n',
      errors: [{ messageId: 'notRemoved', line: 2 }],
      unsafeOutput:
        'FROM php:8.2-fpm\nRUN apt-get update && apt-get install -y git && apt-get clean && rm -rf /var/lib/apt/lists/*\n\n# Install PHP extensions\nRUN docker-php-ext-install gd\n',
    },
    {
      code: 'FROM debian:12\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists\nCMD ["sh"]\n',
      errors: [{ messageId: 'notRemoved', line: 2 }],
      unsafeOutput: 'FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists\nCMD ["sh"]\n',
    },
    // A dpkg step between: the later cleanup is not this RUN's alone, and stays.
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y git\nRUN dpkg -i /tmp/x.deb\nRUN rm -rf /var/lib/apt/lists/*\n',
      errors: [{ messageId: 'notRemoved', line: 2 }],
      unsafeOutput:
        'FROM debian:12\nRUN apt-get update && apt-get install -y git && apt-get clean && rm -rf /var/lib/apt/lists/*\nRUN dpkg -i /tmp/x.deb\nRUN rm -rf /var/lib/apt/lists/*\n',
    },
    // So may a script.
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y git\nRUN ./setup.sh\nRUN rm -rf /var/lib/apt/lists/*\n',
      errors: [{ messageId: 'notRemoved', line: 2 }],
      unsafeOutput:
        'FROM debian:12\nRUN apt-get update && apt-get install -y git && apt-get clean && rm -rf /var/lib/apt/lists/*\nRUN ./setup.sh\nRUN rm -rf /var/lib/apt/lists/*\n',
    },
  ],
});

// The later cleanup RUN is read as its bash SHELL reads it, `;` and all: moved as it was, read
// as sh, `install && ... && rm -rf $'...' ; rm -rf ...` ended with the last rm's status (0 after a failed install).
const BASH = 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN apt-get update && apt-get install -y git\n';
ruleTester.run(rule, {
  valid: [],
  invalid: [
    // The cleanup goes before the comment bash sees after `$'it\\'s'`.
    {
      code: `${BASH.trimEnd()} && echo $'it\\'s' # done\n`,
      errors: [{ messageId: 'notRemoved', line: 3 }],
      unsafeOutput: `${BASH.trimEnd()} && echo $'it\\'s' && apt-get clean && rm -rf /var/lib/apt/lists/* # done\n`,
    },
    {
      code: `${BASH}RUN rm -rf $'/var/lib/apt/lists/it\\'s' ; rm -rf /var/lib/apt/lists/*\n`,
      errors: [{ messageId: 'notRemoved', line: 3 }],
      unsafeOutput:
        'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN apt-get update && apt-get install -y git && apt-get clean && rm -rf /var/lib/apt/lists/*\n',
    },
  ],
});
