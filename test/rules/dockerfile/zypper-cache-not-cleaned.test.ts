import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/zypper-cache-not-cleaned.js';

ruleTester.run(rule, {
  valid: [
    'FROM opensuse/leap:15.6\nRUN zypper -n ref && zypper -n in nginx && zypper -n clean -a',
    'FROM opensuse/leap:15.6\nRUN zypper install -y httpd && zypper clean',
    'FROM opensuse/leap:15.6\nRUN zypper in -y httpd && zypper cc',
    'FROM opensuse/leap:15.6\nRUN --mount=type=cache,target=/var/cache/zypp zypper install -y httpd',
  ],
  invalid: [
    // update, patch and dist-upgrade download into the same cache as install (they went unreported).
    ...['zypper -n update', 'zypper -n up', 'zypper -n patch', 'zypper -n dup'].map((script) => ({
      code: `FROM opensuse/leap:15.6\nRUN ${script}`,
      errors: [{ messageId: 'notCleaned', line: 2 }],
    })),
    {
      code: 'FROM opensuse/leap:15.6\nRUN zypper clean && zypper -n in nginx',
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
    { code: 'FROM opensuse/leap:15.6\nRUN zypper install -y httpd', errors: [{ messageId: 'notCleaned', line: 2 }] },
    { code: 'FROM opensuse/leap:15.6\nRUN zypper -n in httpd', errors: [{ messageId: 'notCleaned', line: 2 }] },
  ],
});
