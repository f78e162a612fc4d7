import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/dnf-cache-not-cleaned.js';

ruleTester.run(rule, {
  valid: [
    'FROM fedora:41\nRUN dnf install -y httpd; dnf clean all',
    'FROM fedora:40\nRUN dnf install -y httpd && dnf clean all',
    'FROM ubi9/ubi-minimal\nRUN microdnf install -y httpd && microdnf clean all',
    'FROM fedora:41\nRUN dnf install -y httpd && rm -rf /var/cache/libdnf5*',
    'FROM fedora:41\nRUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y httpd',
    'FROM ubi9/ubi-minimal\nRUN --mount=type=cache,target=/var/cache/yum microdnf install -y httpd',
    'FROM ubi9/ubi-minimal\nRUN microdnf install -y httpd && rm -rf /var/cache/yum',
    'FROM registry.access.redhat.com/ubi8/ubi:8.10\nRUN dnf install -y procps-ng-3.3.15 && rm -rf /var/cache/dnf',
    // A base that does not tell which dnf it runs: either directory.
    'FROM example.com/team/base:1\nRUN dnf install -y httpd && rm -rf /var/cache/dnf',
    'FROM example.com/team/base:1\nRUN dnf install -y httpd && rm -rf /var/cache/libdnf5',
  ],
  invalid: [
    {
      code: 'FROM fedora:41\nRUN if [ -n "$X" ]; then dnf install -y gdb; else dnf clean all; fi',
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
    // dnf 4 (Fedora 40, EL 8/9) caches in /var/cache/dnf, dnf5 (Fedora 41+) in /var/cache/libdnf5: the message names
    // the one the base image runs, and both where the base does not tell.
    {
      code: 'FROM fedora:40\nRUN dnf install -y httpd',
      errors: [
        {
          messageId: 'notCleaned',
          line: 2,
          message:
            '`dnf install` leaves repository metadata and packages in /var/cache in this layer; add `&& dnf clean all` or use `--mount=type=cache,target=/var/cache/dnf`.',
        },
      ],
    },
    // Removing a directory the base's dnf does not use: /var/cache/yum is only yum 3's (and microdnf's).
    {
      code: 'FROM registry.access.redhat.com/ubi8/ubi:8.10\nRUN dnf install -y procps-ng-3.3.15 && rm -rf /var/cache/yum',
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
    {
      code: 'FROM fedora:41\nRUN dnf install -y httpd && rm -rf /var/cache/dnf',
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
    {
      code: 'FROM ubi9/ubi-minimal\nRUN microdnf install -y httpd && rm -rf /var/cache/dnf',
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
    {
      code: 'FROM example.com/team/base:1\nRUN dnf install -y httpd',
      errors: [
        {
          messageId: 'notCleaned',
          line: 2,
          message:
            '`dnf install` leaves repository metadata and packages in /var/cache in this layer; add `&& dnf clean all` or use `--mount=type=cache,target=/var/cache/libdnf5` (dnf5, Fedora 41 and later) or `target=/var/cache/dnf` (dnf 4).',
        },
      ],
    },
    {
      code: 'FROM fedora:42\nRUN dnf5 install -y httpd',
      errors: [
        {
          messageId: 'notCleaned',
          line: 2,
          message:
            '`dnf5 install` leaves repository metadata and packages in /var/cache in this layer; add `&& dnf5 clean all` or use `--mount=type=cache,target=/var/cache/libdnf5`.',
        },
      ],
    },
    // microdnf (UBI, RHEL) keeps its metadata in /var/cache/yum: the mount it is sent to covers that, not only dnf's.
    {
      code: 'FROM ubi9/ubi-minimal\nRUN microdnf install httpd',
      errors: [
        {
          messageId: 'notCleaned',
          line: 2,
          message:
            '`microdnf install` leaves repository metadata and packages in /var/cache in this layer; add `&& microdnf clean all` or use `--mount=type=cache,target=/var/cache/yum`.',
        },
      ],
    },
    {
      code: 'FROM example.com/team/minimal:1\nRUN microdnf install httpd',
      errors: [
        {
          messageId: 'notCleaned',
          line: 2,
          message:
            '`microdnf install` leaves repository metadata and packages in /var/cache in this layer; add `&& microdnf clean all` or use `--mount=type=cache,target=/var/cache/yum` (microdnf of UBI and RHEL) or `target=/var/cache/libdnf5` (Fedora, where microdnf is dnf5).',
        },
      ],
    },
    { code: 'FROM fedora:40\nRUN dnf upgrade -y', errors: [{ messageId: 'notCleaned', line: 2 }] },
    // `update` is dnf's and microdnf's other name for `upgrade`, and leaves the same cache (it went unreported).
    { code: 'FROM fedora:40\nRUN dnf update -y', errors: [{ messageId: 'notCleaned', line: 2 }] },
    {
      code: 'FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nRUN microdnf update -y',
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
  ],
});

// s46 (lintfix3): on a base that does not tell which dnf it runs, removing a directory the program uses on some base
// counts as cleaning (the author knows which); one it uses on none does not: dnf never caches in /var/cache/yum, nor
// microdnf in /var/cache/dnf (rpmCachesOf, which DF015 reads too).
ruleTester.run(rule, {
  valid: [
    'FROM example.com/team/minimal:1\nRUN microdnf install -y httpd && rm -rf /var/cache/yum',
    'FROM example.com/team/minimal:1\nRUN microdnf install -y httpd && rm -rf /var/cache/libdnf5',
    'FROM example.com/team/base:1\nRUN dnf5 install -y httpd && rm -rf /var/cache/libdnf5',
  ],
  invalid: [
    {
      code: 'FROM example.com/team/base:1\nRUN dnf install -y httpd && rm -rf /var/cache/yum',
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
    {
      code: 'FROM example.com/team/minimal:1\nRUN microdnf install -y httpd && rm -rf /var/cache/dnf',
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
    {
      code: 'FROM example.com/team/base:1\nRUN dnf5 install -y httpd && rm -rf /var/cache/dnf',
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
  ],
});
