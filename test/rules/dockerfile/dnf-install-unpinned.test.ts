// DF219 dnf-install-unpinned (hadolint DL3041): dnf and microdnf, modules, ARG/ENV values.
import { rule } from '../../../rules/dockerfile/dnf-install-unpinned.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';
import { packageVariableCases } from '../../helpers/unpinned.js';

const df = (...lines: string[]): string => ['FROM fedora:40', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN dnf install -y tomcat-9.2 && dnf clean all'),
    df('RUN microdnf install -y tomcat-9.2'),
    df('RUN dnf5 install -y tomcat-9.2'),
    df('RUN microdnf install -y java-17-openjdk-headless-17.0.10.0.7-2.el9'),
    df('RUN dnf install -y /tmp/package.rpm'),
    df('RUN dnf module install -y nodejs:18'),
    df('ARG V=1.2.3', 'RUN dnf install -y tool-$V'),
    df('RUN dnf clean all'),
    df('RUN dnf install -y kernel-devel-$(uname -r) kernel-headers-`uname -r` && dnf clean all'),
    df('RUN dnf groupinstall -y "Development Tools"'),
    // A group or a module stream named with `@` in an install: no package version to pin.
    df('RUN dnf install -y @nodejs:20 "@Development Tools" && dnf clean all'),
    df('RUN dnf upgrade -y'),
    df('RUN yum install -y tomcat'),
    // A quoted list is one word to the shell, judged as written (its `httpd` was split off and reported).
    df('ENV PKGS="httpd mod_ssl-2.4.6"', 'RUN dnf install -y "$PKGS"'),
    df('ARG MODS="nodejs perl:5.32"', 'RUN dnf module install -y "$MODS"'),
    // The shell expands nothing in single quotes or after a backslash: decided at build time, not ARG PKG's `tomcat`.
    df('ARG PKG=tomcat', "RUN microdnf install -y '$PKG'"),
    df('ARG PKG=tomcat', 'RUN dnf install -y \\$PKG'),
  ],
  invalid: [
    {
      code: 'FROM fedora:41\nRUN dnf5 install -y gcc make && dnf5 clean all',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`dnf5 install gcc make` does not pin versions (e.g. `gcc-<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    {
      code: df('RUN dnf install -y tomcat && dnf clean all'),
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`dnf install tomcat` does not pin a version (e.g. `tomcat-<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    {
      code: df('RUN microdnf install -y tomcat'),
      errors: [
        {
          messageId: 'unpinned',
          message:
            '`microdnf install tomcat` does not pin a version (e.g. `tomcat-<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    {
      // The UBI way to install Java: `17` is part of the package name, not a version.
      code: df('RUN microdnf -y install java-17-openjdk-headless && microdnf clean all'),
      errors: [
        {
          messageId: 'unpinned',
          message:
            '`microdnf install java-17-openjdk-headless` does not pin a version (e.g. `java-17-openjdk-headless-<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    { code: df('RUN dnf module install -y nodejs'), errors: [{ messageId: 'unpinned' }] },
    { code: df('RUN dnf install -y tomcat-9.2 httpd'), errors: [{ messageId: 'unpinned' }] },
    { code: df('ONBUILD RUN dnf install -y tomcat'), errors: [{ messageId: 'unpinned' }] },
    {
      // An unquoted list from ARG/ENV is split as the shell splits it; a single-quoted `'$PKG'` stays as written.
      code: df('ARG PKG=git', 'ENV PKGS="httpd mod_ssl-2.4.6"', "RUN dnf install -y $PKGS '$PKG'"),
      errors: [
        {
          messageId: 'unpinned',
          line: 4,
          message:
            '`dnf install httpd` does not pin a version (e.g. `httpd-<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    // Every install command of the RUN is read and every unpinned package named, in one finding a RUN (hadolint DL3041):
    // the first command alone, or its first package alone, read as if it were the only one to pin.
    ...[
      [
        'dnf install -y httpd mod_ssl && dnf clean all',
        '`dnf install httpd mod_ssl` does not pin versions (e.g. `httpd-<version>`)',
      ],
      [
        'dnf install -y tomcat-9.2 && microdnf install -y httpd; dnf install -y git',
        '`microdnf install httpd git` does not pin versions (e.g. `httpd-<version>`)',
      ],
      [
        'dnf module install -y nodejs && dnf install -y httpd',
        '`dnf module install nodejs httpd` does not pin versions (e.g. `nodejs:<stream>`)',
      ],
      [
        'dnf install -y httpd \\\n  && dnf install -y httpd git',
        '`dnf install httpd git` does not pin versions (e.g. `httpd-<version>`)',
      ],
      [
        'dnf install -y bash curl git httpd jq',
        '`dnf install bash curl git` and 2 more do not pin versions (e.g. `bash-<version>`)',
      ],
    ].map(([run, named]) => ({
      code: df(`RUN ${run}`),
      errors: [{ messageId: 'unpinned' as const, line: 2, message: `${named}: rebuilds install whatever is newest.` }],
    })),
    ...packageVariableCases('FROM fedora:40', 'dnf install -y', (p) => `${p}-<version>`),
  ],
});
