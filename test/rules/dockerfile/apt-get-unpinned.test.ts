import { ruleTester } from '../../../src/lint/rule-tester.js';
import { packageVariableCases } from '../../helpers/unpinned.js';
import { rule } from '../../../rules/dockerfile/apt-get-unpinned.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get install -y curl=7.88.1-10',
    'FROM debian:12\nRUN apt-get install -y ./local.deb',
    'FROM debian:12\nRUN apt-get install -y /tmp/pkg.deb',
    'FROM debian:12\nRUN apt-get install -y -t bookworm-backports curl=8.0',
    'FROM debian:12\nRUN apt-get update',
    'FROM debian:12\nARG CURL_VERSION=7.88.1-10\nRUN apt-get install -y curl=${CURL_VERSION}',
    // A package list in a variable may carry versions: not guessed at (issue 5: fewer pinning false positives).
    'FROM debian:12\nARG PACKAGES\nRUN apt-get install -y $PACKAGES',
    // The shell expands nothing in single quotes or after a backslash: the package is named `$PKG` as written, not
    // ARG PKG's `curl` (it was reported as an unpinned `curl`).
    "FROM debian:12\nARG PKG=curl\nRUN apt-get install -y '$PKG'",
    'FROM debian:12\nARG PKG=curl\nRUN apt-get install -y \\$PKG',
    // A simulation installs nothing: there is no version to pin.
    'FROM debian:12\nRUN apt-get install -s curl',
    // A list held in ARG/ENV is split into its words, each judged; in double quotes it stays one word (the shell does
    // not split it), as written.
    'FROM debian:12\nENV PKGS="curl=7.88 jq=1.6"\nRUN apt-get install -y $PKGS',
    'FROM debian:12\nENV PKGS="curl=7.88 jq"\nRUN apt-get install -y "$PKGS"',
    'FROM debian:12\nARG V\nENV PKGS="curl=7.88 jq=$V"\nRUN apt-get install -y $PKGS',
    'FROM debian:12\nRUN if apt-get install --simulate curl >/dev/null; then echo available; fi',
    // xargs puts the words it reads where `{}` stands: no package is written here.
    'FROM debian:12\nRUN xargs -I{} apt-get install -y {} < /tmp/packages.txt',
    // So it does where any replace string stands, as -I, -i, --replace and BSD's -J set it.
    ...[
      'xargs -I % apt-get install -y %',
      'xargs -IPKG apt-get install -y PKG',
      'xargs -i apt-get install -y {}',
      'xargs -i@ apt-get install -y @',
      'xargs --replace=R apt-get install -y R',
      'xargs -J % apt-get install -y %',
    ].map((run) => `FROM debian:12\nRUN ${run} < /tmp/packages.txt`),
    // So it does in the script of a `sh -c` it runs.
    "FROM debian:12\nRUN xargs -I{} sh -c 'apt-get install -y {}' < /tmp/packages.txt",
    'FROM debian:12\nRUN xargs -I % bash -c "apt-get update && apt-get install -y %" < /tmp/packages.txt',
  ],
  invalid: [
    { code: 'FROM debian:12\nRUN apt-get install -y curl', errors: [{ messageId: 'unpinned', line: 2 }] },
    // A command in a `sh -c` script is read as one in the RUN, xargs's replace string there as it is outside.
    { code: 'FROM debian:12\nRUN sh -c "apt-get install -y curl"', errors: [{ messageId: 'unpinned', line: 2 }] },
    {
      code: "FROM debian:12\nRUN xargs -I % sh -c 'apt-get install -y % jq' < /tmp/packages.txt",
      errors: [
        {
          messageId: 'unpinned',
          message:
            '`apt-get install jq` does not pin a version (e.g. `jq=<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    // A package written beside the replace string is still one.
    {
      code: 'FROM debian:12\nRUN xargs -I % apt-get install -y % curl < /tmp/packages.txt',
      errors: [
        {
          messageId: 'unpinned',
          message:
            '`apt-get install curl` does not pin a version (e.g. `curl=<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    // `-o`'s value is the rest of its word; its last letter is no `-t` taking `install` as a release.
    {
      code: 'FROM debian:12\nRUN apt-get -oDir::Cache=/var/cache/apt install -y curl',
      errors: [{ messageId: 'unpinned', line: 2 }],
    },
    // In double quotes it expands.
    { code: 'FROM debian:12\nARG PKG=curl\nRUN apt-get install -y "$PKG"', errors: [{ messageId: 'unpinned' }] },
    // A quoted `'$PKG'` beside it leaves only itself as written: the unquoted `$PKG` expands (it was taken as literal).
    {
      code: "FROM debian:12\nARG PKG=curl\nRUN apt-get install -y '$PKG' $PKG",
      errors: [{ messageId: 'unpinned', line: 3 }],
    },
    {
      // The probe is skipped; the real install after it is reported, by its own package.
      code: 'FROM debian:12\nRUN apt-get install -s jq >/dev/null && apt-get install -y curl',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`apt-get install curl` does not pin a version (e.g. `curl=<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    {
      code: 'FROM debian:12\nRUN apt-get install -y curl=7.88.1-10 jq',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`apt-get install jq` does not pin a version (e.g. `jq=<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    // An unquoted list from ARG/ENV is split as the shell splits it and its unpinned words named (it was read as one
    // pinned package, `=` in it, and `jq` went unreported).
    ...[
      ['ENV PKGS="curl=7.88 jq"', '`apt-get install jq` does not pin a version (e.g. `jq=<version>`)'],
      ['ARG PKGS="curl  jq=1.6\tgit"', '`apt-get install curl git` does not pin versions (e.g. `curl=<version>`)'],
    ].map(([set, named]) => ({
      code: `FROM debian:12\n${set}\nRUN apt-get install -y $PKGS`,
      errors: [{ messageId: 'unpinned' as const, line: 3, message: `${named}: rebuilds install whatever is newest.` }],
    })),
    // Every unpinned package is named, in one finding for the command (only the first was, as if it were alone).
    {
      code: 'FROM debian:12\nRUN apt-get install -y curl git=1:2.39 python3',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`apt-get install curl python3` does not pin versions (e.g. `curl=<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    // A long list is cut after three, with how many more.
    {
      code: 'FROM debian:12\nRUN apt-get install -y a b c d e',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`apt-get install a b c` and 2 more do not pin versions (e.g. `a=<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    // Every install command of the RUN is read, not the first only: one finding names the packages of all of them
    // (later commands' packages went unreported).
    ...[
      [
        'apt-get install -y curl=7.88.1-10 && apt-get install -y jq git',
        '`apt-get install jq git` does not pin versions (e.g. `jq=<version>`)',
      ],
      [
        'apt-get install -y curl && apt-get install -y jq',
        '`apt-get install curl jq` does not pin versions (e.g. `curl=<version>`)',
      ],
      [
        'apt-get install -y curl; apt-get install -y jq || true',
        '`apt-get install curl jq` does not pin versions (e.g. `curl=<version>`)',
      ],
      [
        'apt-get update \\\n  && apt-get install -y curl \\\n  && yes | apt-get install jq',
        '`apt-get install curl jq` does not pin versions (e.g. `curl=<version>`)',
      ],
      [
        'apt-get install -y curl && apt-get install -y curl jq=1.6',
        '`apt-get install curl` does not pin a version (e.g. `curl=<version>`)',
      ],
    ].map(([run, named]) => ({
      code: `FROM debian:12\nRUN ${run}`,
      errors: [{ messageId: 'unpinned' as const, line: 2, message: `${named}: rebuilds install whatever is newest.` }],
    })),
    ...packageVariableCases('FROM debian:12', 'apt-get install -y', (p) => `${p}=<version>`),
  ],
});
