// DF200 interactive-tool-in-run (hadolint DL3001).
import { rule } from '../../../rules/dockerfile/interactive-tool-in-run.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    // Installing the package is fine; running the tool is what makes no sense.
    df('RUN apt-get install -y ssh'),
    df('RUN apt-get install -y vim procps'),
    df('RUN echo top'),
    df('RUN ssh-keygen -A'),
    df('CMD ["top"]'),
    df('RUN topgrade'),
  ],
  invalid: [
    ...['free', 'ifconfig', 'kill', 'mount', 'ps', 'service', 'shutdown', 'ssh', 'top', 'vim'].map((tool) => ({
      code: df(`RUN ${tool} -a`),
      errors: [
        {
          messageId: 'pointless',
          line: 2,
          message: `\`${tool}\` does nothing useful in a build step (no terminal, no running services, no host to administer).`,
        },
      ],
    })),
    { code: df('RUN apt-get update && service nginx start'), errors: [{ messageId: 'pointless' }] },
    { code: df('ONBUILD RUN top'), errors: [{ messageId: 'pointless', line: 2 }] },
    { code: df('RUN /usr/bin/vim /etc/hosts'), errors: [{ messageId: 'pointless' }] },
  ],
});
