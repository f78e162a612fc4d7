import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/dnf-cache-not-cleaned.js';

ruleTester.run(rule, {
  valid: [
    'FROM fedora:41\nRUN dnf install -y httpd; dnf clean all',
    'FROM fedora:40\nRUN dnf install -y httpd && dnf clean all',
    'FROM ubi9/ubi-minimal\nRUN microdnf install -y httpd && microdnf clean all',
    'FROM fedora:41\nRUN dnf install -y httpd && rm -rf /var/cache/libdnf5*',
    'FROM fedora:41\nRUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y httpd',
  ],
  invalid: [
    {
      code: 'FROM fedora:41\nRUN if [ -n "$X" ]; then dnf install -y gdb; else dnf clean all; fi',
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
    { code: 'FROM fedora:40\nRUN dnf install -y httpd', errors: [{ messageId: 'notCleaned', line: 2 }] },
    { code: 'FROM ubi9/ubi-minimal\nRUN microdnf install httpd', errors: [{ messageId: 'notCleaned', line: 2 }] },
    { code: 'FROM fedora:40\nRUN dnf upgrade -y', errors: [{ messageId: 'notCleaned', line: 2 }] },
  ],
});
