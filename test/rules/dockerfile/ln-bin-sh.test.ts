// DF235 ln-bin-sh (hadolint DL4005).
import { rule } from '../../../rules/dockerfile/ln-bin-sh.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN ln -sf /bin/bash /usr/local/bin/sh'),
    df('RUN ln -s /opt/app/bin/app /usr/local/bin/app'),
    df('SHELL ["/bin/bash", "-c"]'),
    df('RUN echo /bin/sh'),
    df('RUN ls -l /bin/sh'),
  ],
  invalid: [
    { code: df('RUN ln -sf /bin/bash /bin/sh'), errors: [{ messageId: 'relink', line: 2 }] },
    { code: df('RUN ln -s /bin/bash /bin/sh'), errors: [{ messageId: 'relink' }] },
    { code: df('RUN rm /bin/sh && ln -s /bin/bash /bin/sh'), errors: [{ messageId: 'relink' }] },
    { code: df('ONBUILD RUN ln -sf /bin/bash /bin/sh'), errors: [{ messageId: 'relink' }] },
  ],
});
