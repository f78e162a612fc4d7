// DF217 zypper-install-unpinned (hadolint DL3037).
import { rule } from '../../../rules/dockerfile/zypper-install-unpinned.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';
import { packageVariableCases } from '../../helpers/unpinned.js';

const df = (...lines: string[]): string => ['FROM opensuse/leap:15.6', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN zypper install -y httpd=2.4.46 && zypper clean'),
    df('RUN zypper in -y httpd=2.4.46'),
    // A version from a command (`$(uname -r)`) is decided at build time.
    df('RUN zypper install -y kernel-default-devel=$(uname -r | sed s/-default//)'),
    df('RUN zypper install -y "httpd>=2.4"'),
    df('RUN zypper install -y "httpd<=2.4"'),
    df('RUN zypper install -y "httpd>2.4"'),
    df('RUN zypper install -y "httpd<2.5"'),
    df('RUN zypper install -y /tmp/httpd.rpm'),
    df('RUN zypper -n install httpd=2.4.46 mod_ssl=2.4.46'),
    df('ARG V=2.4.46', 'RUN zypper install -y httpd=$V'),
    df('RUN zypper refresh'),
    df('RUN zypper install -y ${PACKAGES}'),
    df('RUN zypper remove -y httpd'),
    // A quoted list is one word to the shell, judged as written (its `mod_ssl` was split off and reported).
    df('ENV PKGS="httpd=2.4.46 mod_ssl"', 'RUN zypper install -y "$PKGS"'),
    // The shell expands nothing in single quotes or after a backslash: decided at build time, not ARG PKG's `httpd`.
    df('ARG PKG=httpd', "RUN zypper install -y '$PKG'"),
    df('ARG PKG=httpd', 'RUN zypper in -y \\$PKG'),
  ],
  invalid: [
    {
      code: df('RUN zypper install -y httpd && zypper clean'),
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`zypper install httpd` does not pin a version (e.g. `httpd=<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    { code: df('RUN zypper in -y httpd'), errors: [{ messageId: 'unpinned' }] },
    { code: df('RUN zypper -n install httpd=2.4.46 mod_ssl'), errors: [{ messageId: 'unpinned' }] },
    { code: df('RUN zypper --non-interactive install -t pattern devel_basis'), errors: [{ messageId: 'unpinned' }] },
    { code: df('ONBUILD RUN zypper install -y httpd'), errors: [{ messageId: 'unpinned' }] },
    {
      // An unquoted list from ARG/ENV is split as the shell splits it, each word named by itself.
      code: df('ENV PKGS="httpd=2.4.46 mod_ssl"', 'RUN zypper install -y $PKGS'),
      errors: [
        {
          messageId: 'unpinned',
          line: 3,
          message:
            '`zypper install mod_ssl` does not pin a version (e.g. `mod_ssl=<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    {
      code: df('ARG PKG=httpd', "RUN zypper install -y '$PKG' $PKG"),
      errors: [
        {
          messageId: 'unpinned',
          line: 3,
          message:
            '`zypper install httpd` does not pin a version (e.g. `httpd=<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    // Every install command of the RUN is read and every unpinned package named, in one finding a RUN (hadolint DL3037):
    // the first command alone, or its first package alone, read as if it were the only one to pin.
    ...[
      [
        'zypper install -y httpd mod_ssl && zypper clean',
        '`zypper install httpd mod_ssl` does not pin versions (e.g. `httpd=<version>`)',
      ],
      [
        'zypper install -y httpd=2.4.46 && zypper in -y mod_ssl || zypper install -y git',
        '`zypper in mod_ssl git` does not pin versions (e.g. `mod_ssl=<version>`)',
      ],
      [
        'zypper refresh; zypper install -y httpd \\\n  && zypper install -y httpd git',
        '`zypper install httpd git` does not pin versions (e.g. `httpd=<version>`)',
      ],
      [
        'zypper install -y bash curl git httpd jq',
        '`zypper install bash curl git` and 2 more do not pin versions (e.g. `bash=<version>`)',
      ],
    ].map(([run, named]) => ({
      code: df(`RUN ${run}`),
      errors: [{ messageId: 'unpinned' as const, line: 2, message: `${named}: rebuilds install whatever is newest.` }],
    })),
    ...packageVariableCases('FROM opensuse/leap:15.6', 'zypper install -y', (p) => `${p}=<version>`),
  ],
});
