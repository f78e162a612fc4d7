// DF215 zypper-without-non-interactive (hadolint DL3034).
import { rule } from '../../../rules/dockerfile/zypper-without-non-interactive.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM opensuse/leap:15.6', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN zypper install -y httpd=2.4.46 && zypper clean'),
    df('RUN zypper -n install httpd'),
    df('RUN zypper --non-interactive install httpd'),
    df('RUN zypper install --no-confirm httpd'),
    df('RUN zypper in -y httpd'),
    df('RUN zypper -n remove httpd'),
    df('RUN zypper rm -y httpd'),
    df('RUN zypper -n patch'),
    df('RUN zypper -n si httpd'),
    df('RUN zypper refresh'),
    df('RUN zypper clean'),
  ],
  invalid: [
    {
      code: df('RUN zypper install httpd=2.4.46 && zypper clean'),
      errors: [{ messageId: 'interactive', line: 2 }],
      output: df('RUN zypper -n install httpd=2.4.46 && zypper clean'),
    },
    { code: df('RUN zypper in httpd'), errors: [{ messageId: 'interactive' }], output: df('RUN zypper -n in httpd') },
    {
      code: df('RUN zypper remove httpd'),
      errors: [{ messageId: 'interactive' }],
      output: df('RUN zypper -n remove httpd'),
    },
    { code: df('RUN zypper rm httpd'), errors: [{ messageId: 'interactive' }], output: df('RUN zypper -n rm httpd') },
    { code: df('RUN zypper patch'), errors: [{ messageId: 'interactive' }], output: df('RUN zypper -n patch') },
    {
      code: df('RUN zypper source-install httpd'),
      errors: [{ messageId: 'interactive' }],
      output: df('RUN zypper -n source-install httpd'),
    },
    { code: df('RUN zypper si httpd'), errors: [{ messageId: 'interactive' }], output: df('RUN zypper -n si httpd') },
    { code: df('ONBUILD RUN zypper install httpd'), errors: [{ messageId: 'interactive' }] },
  ],
});
