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
  ],
  invalid: [
    {
      code: 'FROM fedora:41\nRUN if [ -n "$X" ]; then dnf install -y gdb; else dnf clean all; fi',
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
    // dnf 4 (Fedora 40, EL 8/9) caches in /var/cache/dnf: the message does not send it to libdnf5's directory only.
    {
      code: 'FROM fedora:40\nRUN dnf install -y httpd',
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
            '`microdnf install` leaves repository metadata and packages in /var/cache in this layer; add `&& microdnf clean all` or use `--mount=type=cache,target=/var/cache/yum` (microdnf of UBI and RHEL) or `target=/var/cache/libdnf5` (Fedora, where microdnf is dnf5).',
        },
      ],
    },
    { code: 'FROM fedora:40\nRUN dnf upgrade -y', errors: [{ messageId: 'notCleaned', line: 2 }] },
  ],
});
