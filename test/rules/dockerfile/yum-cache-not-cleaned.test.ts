import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/yum-cache-not-cleaned.js';

ruleTester.run(rule, {
  valid: [
    'FROM centos:7\nRUN set -eux; if [ -n "$X" ]; then yum install -y httpd; yum clean all; fi',
    'FROM centos:7\nRUN yum install -y httpd && yum clean all',
    'FROM centos:7\nRUN yum -y update && yum clean all',
    'FROM centos:7\nRUN yum install -y httpd && rm -rf /var/cache/yum/*',
    'FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum yum install -y httpd',
    'FROM centos:7 AS unused\nRUN yum install -y httpd\nFROM centos:7\nRUN true',
    // yum is dnf on EL 8+, Amazon Linux 2023 and Fedora, and caches where that dnf does; yum 3 in /var/cache/yum.
    'FROM registry.access.redhat.com/ubi8/ubi:8.10\nRUN yum install -y procps-ng-3.3.15 && rm -rf /var/cache/dnf',
    'FROM rockylinux:9\nRUN yum install -y httpd && rm -rf /var/cache/dnf/*',
    'FROM fedora:41\nRUN yum install -y httpd && rm -rf /var/cache/libdnf5',
    'FROM amazonlinux:2\nRUN yum install -y httpd && rm -rf /var/cache/yum',
    'FROM ubi9/ubi:9.5\nRUN --mount=type=cache,target=/var/cache/dnf yum install -y httpd',
    // A base that does not tell: `yum clean all`, or removing both directories.
    'FROM example.com/team/base:1\nRUN yum install -y httpd && yum clean all',
    'FROM example.com/team/base:1\nRUN yum install -y httpd && rm -rf /var/cache/yum /var/cache/dnf',
    // dnf5's own directory, which only yum as dnf5 (Fedora 41 and later) writes: the author knows the base.
    'FROM example.com/team/base:1\nRUN yum install -y httpd && rm -rf /var/cache/libdnf5',
  ],
  invalid: [
    // `yum update` (and `upgrade`) downloads packages and metadata as install does (it went unreported).
    {
      code: 'FROM centos:7\nRUN yum -y update',
      errors: [
        {
          messageId: 'notCleaned',
          line: 2,
          message:
            '`yum update` leaves metadata and packages in /var/cache/yum in this layer; add `&& yum clean all` or use `--mount=type=cache,target=/var/cache/yum`.',
        },
      ],
    },
    { code: 'FROM amazonlinux:2\nRUN yum upgrade -y', errors: [{ messageId: 'notCleaned', line: 2 }] },
    {
      code: 'FROM registry.access.redhat.com/ubi8/ubi:8.10\nRUN yum install -y procps-ng-3.3.15 && rm -rf /var/cache/yum',
      errors: [
        {
          messageId: 'notCleaned',
          line: 2,
          message:
            '`yum install` leaves metadata and packages in /var/cache/dnf in this layer; add `&& yum clean all` or use `--mount=type=cache,target=/var/cache/dnf`.',
        },
      ],
    },
    {
      code: 'FROM amazonlinux:2023\nRUN yum install -y procps-ng-3.3.17',
      errors: [
        {
          messageId: 'notCleaned',
          line: 2,
          message:
            '`yum install` leaves metadata and packages in /var/cache/dnf in this layer; add `&& yum clean all` or use `--mount=type=cache,target=/var/cache/dnf`.',
        },
      ],
    },
    {
      code: 'FROM centos:7\nRUN yum install -y httpd && rm -rf /var/cache/dnf',
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
    {
      code: 'FROM example.com/team/base:1\nRUN yum install -y httpd && rm -rf /var/cache/yum',
      errors: [
        {
          messageId: 'notCleaned',
          line: 2,
          message:
            '`yum install` leaves metadata and packages in /var/cache/yum (yum 3) or /var/cache/dnf (where yum is dnf) in this layer; add `&& yum clean all` or use `--mount=type=cache,target=/var/cache/yum` and `--mount=type=cache,target=/var/cache/dnf`.',
        },
      ],
    },
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
