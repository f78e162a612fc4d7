// DF213 yum-install-without-yes (hadolint DL3030).
import { rule } from '../../../rules/dockerfile/yum-install-without-yes.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM centos:7', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN yum install -y httpd-2.4.6 && yum clean all'),
    df('RUN yum -y install httpd'),
    df('RUN yum install --assumeyes httpd'),
    df('RUN yum groupinstall -y "Development Tools"'),
    df('RUN yum localinstall -y /tmp/x.rpm'),
    df('RUN yum clean all'),
    df('RUN yum update'),
    df('RUN dnf install httpd'),
  ],
  invalid: [
    {
      code: df('RUN yum install httpd-2.4.6 && yum clean all'),
      errors: [{ messageId: 'noYes', line: 2 }],
      output: df('RUN yum install -y httpd-2.4.6 && yum clean all'),
    },
    {
      code: df('RUN yum groupinstall "Development Tools"'),
      errors: [
        {
          messageId: 'noYes',
          message: '`yum groupinstall` without `-y` asks for confirmation, which a build cannot give: the step aborts.',
        },
      ],
      output: df('RUN yum groupinstall -y "Development Tools"'),
    },
    {
      code: df('RUN yum localinstall /tmp/x.rpm'),
      errors: [{ messageId: 'noYes' }],
      output: df('RUN yum localinstall -y /tmp/x.rpm'),
    },
    {
      code: df('RUN yum -q install httpd'),
      errors: [{ messageId: 'noYes' }],
      output: df('RUN yum -q install -y httpd'),
    },
    { code: df('ONBUILD RUN yum install httpd'), errors: [{ messageId: 'noYes' }] },
  ],
});
