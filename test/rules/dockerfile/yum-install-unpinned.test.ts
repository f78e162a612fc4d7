// DF214 yum-install-unpinned (hadolint DL3033): name-version, .rpm files, modules with :stream, ARG/ENV values.
import { rule } from '../../../rules/dockerfile/yum-install-unpinned.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';
import { packageVariableCases } from '../../helpers/unpinned.js';

const df = (...lines: string[]): string => ['FROM centos:7', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    // xargs puts the words it reads where its replace string stands: no package is written there.
    df('RUN xargs -I % yum install -y % < /tmp/packages.txt && yum clean all'),
    df('RUN yum install -y tomcat-9.2 && yum clean all'),
    df('RUN yum install -y openssl-1:1.1.1k'),
    df('RUN yum install -y httpd-2.4.6 mod_ssl-2.4.6'),
    df('RUN yum install -y /tmp/package.rpm'),
    df('RUN yum localinstall -y https://example.com/package-1.0.rpm'),
    df('RUN yum module install -y nodejs:18'),
    df('RUN yum -y --setopt=tsflags=nodocs install httpd-2.4.6'),
    // A name with a digit after a dash (java-1.8.0-openjdk) is pinned by a version segment at its end.
    df('RUN yum install -y java-1.8.0-openjdk-headless-1.8.0.402.b06-2.el7'),
    df('RUN yum install -y java-11-openjdk-1:11.0.22.0.7-1.el7_9'),
    df('RUN yum clean all'),
    // A group has no version to pin.
    df('RUN yum groupinstall -y "Development Tools"'),
    // `@name` in an install names a group (or, with dnf, a module: `@nodejs:20` is its stream), not a package: there is
    // no version to pin (`@base` was reported, with `@base-<version>` as the example).
    df('RUN yum install -y @base "@Development Tools" && yum clean all'),
    df('RUN yum update -y'),
    // Versions that come from ARG/ENV of this stage or the stage it builds on.
    df('ARG TOMCAT_VERSION=9.2', 'RUN yum install -y tomcat-${TOMCAT_VERSION}'),
    df('ENV PKGS="httpd-2.4.6 mod_ssl-2.4.6"', 'RUN yum install -y $PKGS'),
    ['FROM centos:7 AS base', 'ENV PKG=tomcat-9.2', 'FROM base', 'RUN yum install -y $PKG'].join('\n'),
    df('RUN dnf install -y tomcat'),
    // Still a variable after resolving: decided at build time, not guessed.
    df('RUN yum install -y $PACKAGES'),
    // A quoted list is one word to the shell, judged as written (its `httpd` was split off and reported).
    df('ENV PKGS="httpd mod_ssl-2.4.6"', 'RUN yum install -y "$PKGS"'),
    // The shell expands nothing in single quotes or after a backslash: the package is `$PKG` as written, decided at
    // build time (ARG PKG's `tomcat` was reported).
    df('ARG PKG=tomcat', "RUN yum install -y '$PKG'"),
    df('ARG PKG=tomcat', 'RUN yum install -y \\$PKG'),
    // Versions that come from a command (`$(uname -r)`) are decided at build time too.
    df('RUN yum install -y kernel-devel-$(uname -r) && yum clean all'),
  ],
  invalid: [
    {
      code: df('RUN yum install -y @base tomcat && yum clean all'),
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`yum install tomcat` does not pin a version (e.g. `tomcat-<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    {
      code: df('RUN yum install -y tomcat && yum clean all'),
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`yum install tomcat` does not pin a version (e.g. `tomcat-<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    {
      code: df('RUN yum install -y httpd-2.4.6 mod_ssl'),
      errors: [
        {
          messageId: 'unpinned',
          message:
            '`yum install mod_ssl` does not pin a version (e.g. `mod_ssl-<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    {
      // The digits belong to the name (Java 1.8), not to a version.
      code: df('RUN yum install -y java-1.8.0-openjdk-headless && yum clean all'),
      errors: [
        {
          messageId: 'unpinned',
          message:
            '`yum install java-1.8.0-openjdk-headless` does not pin a version (e.g. `java-1.8.0-openjdk-headless-<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    { code: df('RUN yum module install -y nodejs'), errors: [{ messageId: 'unpinned' }] },
    {
      // A bare variable holding one package is named by its value.
      code: df('ENV PKG=tomcat', 'RUN yum install -y $PKG'),
      errors: [
        {
          messageId: 'unpinned',
          line: 3,
          message:
            '`yum install tomcat` does not pin a version (e.g. `tomcat-<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    // A quoted `'$PKG'` beside it leaves only itself as written: the unquoted `$PKG` expands.
    {
      code: df('ARG PKG=tomcat', "RUN yum install -y '$PKG' $PKG"),
      errors: [
        {
          messageId: 'unpinned',
          line: 3,
          message:
            '`yum install tomcat` does not pin a version (e.g. `tomcat-<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    { code: df('ONBUILD RUN yum install -y tomcat'), errors: [{ messageId: 'unpinned', line: 2 }] },
    // Every install command of the RUN is read and every unpinned package named, in one finding a RUN (hadolint DL3033):
    // the first command alone, or its first package alone, read as if it were the only one to pin.
    ...[
      [
        'yum install -y httpd mod_ssl && yum clean all',
        '`yum install httpd mod_ssl` does not pin versions (e.g. `httpd-<version>`)',
      ],
      [
        'yum install -y httpd-2.4.6 && yum install -y mod_ssl || yum install -y tomcat',
        '`yum install mod_ssl tomcat` does not pin versions (e.g. `mod_ssl-<version>`)',
      ],
      [
        'yum module install -y nodejs && yum install -y httpd',
        '`yum module install nodejs httpd` does not pin versions (e.g. `nodejs:<stream>`)',
      ],
      [
        'yum localinstall -y /tmp/a.rpm; yum install -y httpd \\\n  && yum install -y httpd git',
        '`yum install httpd git` does not pin versions (e.g. `httpd-<version>`)',
      ],
      [
        'yum install -y bash curl git httpd jq',
        '`yum install bash curl git` and 2 more do not pin versions (e.g. `bash-<version>`)',
      ],
    ].map(([run, named]) => ({
      code: df(`RUN ${run}`),
      errors: [{ messageId: 'unpinned' as const, line: 2, message: `${named}: rebuilds install whatever is newest.` }],
    })),
    {
      code: df('ENV PKGS="httpd mod_ssl-2.4.6 tomcat"', 'RUN yum install -y $PKGS'),
      errors: [
        {
          messageId: 'unpinned',
          line: 3,
          message:
            '`yum install httpd tomcat` does not pin versions (e.g. `httpd-<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    ...packageVariableCases('FROM centos:7', 'yum install -y', (p) => `${p}-<version>`),
  ],
});
