// DF216 zypper-dist-upgrade (hadolint DL3035, which is narrowed to dist-upgrade).
import { rule } from '../../../rules/dockerfile/zypper-dist-upgrade.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM opensuse/leap:15.6', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN zypper install -y httpd=2.4.46 && zypper clean'),
    df('RUN zypper update -y'),
    df('RUN zypper -n patch'),
    df('RUN echo zypper dist-upgrade'),
  ],
  invalid: [
    { code: df('RUN zypper dist-upgrade'), errors: [{ messageId: 'distUpgrade', line: 2 }] },
    { code: df('RUN zypper dup'), errors: [{ messageId: 'distUpgrade' }] },
    { code: df('RUN zypper -n dist-upgrade && zypper clean'), errors: [{ messageId: 'distUpgrade' }] },
    { code: df('ONBUILD RUN zypper dup'), errors: [{ messageId: 'distUpgrade' }] },
  ],
});
