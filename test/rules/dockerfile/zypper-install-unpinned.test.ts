// DF217 zypper-install-unpinned (hadolint DL3037).
import { rule } from '../../../rules/dockerfile/zypper-install-unpinned.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM opensuse/leap:15.6', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN zypper install -y httpd=2.4.46 && zypper clean'),
    df('RUN zypper in -y httpd=2.4.46'),
    // A version from a command (`$(uname -r)`) is decided at build time.
    df('RUN zypper install -y kernel-default-devel=$(uname -r | sed s/-default//)'),
    df('RUN zypper install -y "httpd>=2.4"'),
    df('RUN zypper install -y "httpd<=2.4"'),
    df('RUN zypper install -y "httpd>2.4"'),
    df('RUN zypper install -y "httpd<2.5"'),
    df('RUN zypper install -y /tmp/httpd.rpm'),
    df('RUN zypper -n install httpd=2.4.46 mod_ssl=2.4.46'),
    df('ARG V=2.4.46', 'RUN zypper install -y httpd=$V'),
    df('RUN zypper refresh'),
    df('RUN zypper install -y ${PACKAGES}'),
    df('RUN zypper remove -y httpd'),
  ],
  invalid: [
    {
      code: df('RUN zypper install -y httpd && zypper clean'),
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`zypper install httpd` has no version: each rebuild may install something else; write `httpd=<version>`.',
        },
      ],
    },
    { code: df('RUN zypper in -y httpd'), errors: [{ messageId: 'unpinned' }] },
    { code: df('RUN zypper -n install httpd=2.4.46 mod_ssl'), errors: [{ messageId: 'unpinned' }] },
    { code: df('RUN zypper --non-interactive install -t pattern devel_basis'), errors: [{ messageId: 'unpinned' }] },
    { code: df('ONBUILD RUN zypper install -y httpd'), errors: [{ messageId: 'unpinned' }] },
  ],
});
