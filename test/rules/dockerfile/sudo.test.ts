import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/sudo.js';

ruleTester.run(rule, {
  valid: ['FROM debian:12\nRUN apt-get install -y sudo', 'FROM debian:12\nRUN echo sudo'],
  invalid: [
    { code: 'FROM debian:12\nRUN sudo apt-get update', errors: [{ messageId: 'sudo', line: 2 }] },
    { code: 'FROM debian:12\nRUN make && sudo make install', errors: [{ messageId: 'sudo', line: 2 }] },
    // The parser sees through wrappers to the command they run; sudo is still reported.
    { code: 'FROM debian:12\nRUN nice sudo -u app make install', errors: [{ messageId: 'sudo', line: 2 }] },
    { code: 'FROM debian:12\nRUN sudo -v', errors: [{ messageId: 'sudo', line: 2 }] },
    // sudo's options as sudo reads them: a bare `-h` (help) and `-l` (list) run no command, still a sudo.
    { code: 'FROM debian:12\nRUN sudo -h -u app make', errors: [{ messageId: 'sudo', line: 2 }] },
    { code: 'FROM debian:12\nRUN sudo -l apt-get install curl', errors: [{ messageId: 'sudo', line: 2 }] },
    { code: 'FROM debian:12\nONBUILD RUN sudo make install', errors: [{ messageId: 'sudo', line: 2 }] },
  ],
});
