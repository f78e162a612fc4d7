// DF219 dnf-install-unpinned (hadolint DL3041): dnf and microdnf, modules, ARG/ENV values.
import { rule } from '../../../rules/dockerfile/dnf-install-unpinned.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM fedora:40', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN dnf install -y tomcat-9.2 && dnf clean all'),
    df('RUN microdnf install -y tomcat-9.2'),
    df('RUN microdnf install -y java-17-openjdk-headless-17.0.10.0.7-2.el9'),
    df('RUN dnf install -y /tmp/package.rpm'),
    df('RUN dnf module install -y nodejs:18'),
    df('ARG V=1.2.3', 'RUN dnf install -y tool-$V'),
    df('RUN dnf clean all'),
    df('RUN dnf install -y kernel-devel-$(uname -r) kernel-headers-`uname -r` && dnf clean all'),
    df('RUN dnf groupinstall -y "Development Tools"'),
    df('RUN dnf upgrade -y'),
    df('RUN yum install -y tomcat'),
  ],
  invalid: [
    {
      code: df('RUN dnf install -y tomcat && dnf clean all'),
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`dnf install tomcat` has no version: each rebuild may install something else; write `tomcat-<version>`.',
        },
      ],
    },
    {
      code: df('RUN microdnf install -y tomcat'),
      errors: [
        {
          messageId: 'unpinned',
          message:
            '`microdnf install tomcat` has no version: each rebuild may install something else; write `tomcat-<version>`.',
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
            '`microdnf install java-17-openjdk-headless` has no version: each rebuild may install something else; write `java-17-openjdk-headless-<version>`.',
        },
      ],
    },
    { code: df('RUN dnf module install -y nodejs'), errors: [{ messageId: 'unpinned' }] },
    { code: df('RUN dnf install -y tomcat-9.2 httpd'), errors: [{ messageId: 'unpinned' }] },
    { code: df('ONBUILD RUN dnf install -y tomcat'), errors: [{ messageId: 'unpinned' }] },
  ],
});
