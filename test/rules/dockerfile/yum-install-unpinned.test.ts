// DF214 yum-install-unpinned (hadolint DL3033): name-version, .rpm files, modules with :stream, ARG/ENV values.
import { rule } from '../../../rules/dockerfile/yum-install-unpinned.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM centos:7', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN yum install -y tomcat-9.2 && yum clean all'),
    df('RUN yum install -y openssl-1:1.1.1k'),
    df('RUN yum install -y httpd-2.4.6 mod_ssl-2.4.6'),
    df('RUN yum install -y /tmp/package.rpm'),
    df('RUN yum localinstall -y https://example.com/package-1.0.rpm'),
    df('RUN yum module install -y nodejs:18'),
    df('RUN yum -y --setopt=tsflags=nodocs install httpd-2.4.6'),
    df('RUN yum clean all'),
    // A group has no version to pin.
    df('RUN yum groupinstall -y "Development Tools"'),
    df('RUN yum update -y'),
    // Versions that come from ARG/ENV of this stage or the stage it builds on.
    df('ARG TOMCAT_VERSION=9.2', 'RUN yum install -y tomcat-${TOMCAT_VERSION}'),
    df('ENV PKGS="httpd-2.4.6 mod_ssl-2.4.6"', 'RUN yum install -y $PKGS'),
    ['FROM centos:7 AS base', 'ENV PKG=tomcat-9.2', 'FROM base', 'RUN yum install -y $PKG'].join('\n'),
    df('RUN dnf install -y tomcat'),
    // Still a variable after resolving: decided at build time, not guessed.
    df('RUN yum install -y $PACKAGES'),
  ],
  invalid: [
    {
      code: df('RUN yum install -y tomcat && yum clean all'),
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`yum install tomcat` has no version: each rebuild may install something else; write `tomcat-<version>`.',
        },
      ],
    },
    {
      code: df('RUN yum install -y httpd-2.4.6 mod_ssl'),
      errors: [
        {
          messageId: 'unpinned',
          message:
            '`yum install mod_ssl` has no version: each rebuild may install something else; write `mod_ssl-<version>`.',
        },
      ],
    },
    { code: df('RUN yum module install -y nodejs'), errors: [{ messageId: 'unpinned' }] },
    { code: df('ENV PKG=tomcat', 'RUN yum install -y $PKG'), errors: [{ messageId: 'unpinned', line: 3 }] },
    { code: df('ONBUILD RUN yum install -y tomcat'), errors: [{ messageId: 'unpinned', line: 2 }] },
  ],
});
