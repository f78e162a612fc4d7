import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/yum-cache-not-cleaned.js';

ruleTester.run(rule, {
  valid: [
    'FROM centos:7\nRUN set -eux; if [ -n "$X" ]; then yum install -y httpd; yum clean all; fi',
    'FROM centos:7\nRUN yum install -y httpd && yum clean all',
    'FROM centos:7\nRUN yum install -y httpd && rm -rf /var/cache/yum/*',
    'FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum yum install -y httpd',
    'FROM centos:7 AS unused\nRUN yum install -y httpd\nFROM centos:7\nRUN true',
  ],
  invalid: [
    {
      code: 'FROM centos:7\nRUN yum install -y httpd || yum clean all',
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
    { code: 'FROM centos:7\nRUN yum install -y httpd', errors: [{ messageId: 'notCleaned', line: 2 }] },
    {
      code: 'FROM centos:7\nRUN yum clean all && yum install -y httpd',
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
    { code: 'FROM centos:7\nRUN yum groupinstall -y tools', errors: [{ messageId: 'notCleaned', line: 2 }] },
  ],
});
