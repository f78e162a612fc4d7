// DF218 dnf-install-without-yes (hadolint DL3038), dnf and microdnf.
import { rule } from '../../../rules/dockerfile/dnf-install-without-yes.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM fedora:40', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN dnf install -y httpd-2.4.24 && dnf clean all'),
    df('RUN dnf -y install httpd'),
    df('RUN dnf install --assumeyes httpd'),
    df('RUN microdnf install -y httpd'),
    df('RUN dnf5 install -y gcc-14.2.1 && dnf5 clean all'),
    df('RUN dnf groupinstall -y "Development Tools"'),
    df('RUN dnf clean all'),
    df('RUN yum install httpd'),
  ],
  invalid: [
    // dnf5 (Fedora 41+'s dnf, also run by that name) answers its prompt with "Operation aborted" without -y.
    {
      code: 'FROM fedora:41\nRUN dnf5 install gcc make && dnf5 clean all',
      errors: [
        {
          messageId: 'noYes',
          message: '`dnf5 install` without `-y` asks for confirmation, which a build cannot give: the step aborts.',
        },
      ],
      output: 'FROM fedora:41\nRUN dnf5 install -y gcc make && dnf5 clean all',
    },
    {
      code: df('RUN dnf install httpd-2.4.24 && dnf clean all'),
      errors: [{ messageId: 'noYes', line: 2 }],
      output: df('RUN dnf install -y httpd-2.4.24 && dnf clean all'),
    },
    {
      code: df('RUN microdnf install httpd'),
      errors: [
        {
          messageId: 'noYes',
          message: '`microdnf install` without `-y` asks for confirmation, which a build cannot give: the step aborts.',
        },
      ],
      output: df('RUN microdnf install -y httpd'),
    },
    {
      code: df('RUN dnf groupinstall "Development Tools"'),
      errors: [{ messageId: 'noYes' }],
      output: df('RUN dnf groupinstall -y "Development Tools"'),
    },
    {
      code: df('RUN dnf localinstall /tmp/a.rpm'),
      errors: [{ messageId: 'noYes' }],
      output: df('RUN dnf localinstall -y /tmp/a.rpm'),
    },
    { code: df('ONBUILD RUN dnf install httpd'), errors: [{ messageId: 'noYes' }] },
  ],
});
