import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/cd-in-run.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nWORKDIR /src\nRUN make',
    'FROM debian:12\nRUN echo cd',
    // The RUN removes the directory it cds into: WORKDIR would leave the image in a deleted directory.
    'FROM postgres:17\nCOPY . /tmp/src\nRUN cd /tmp/src && make install && rm -r /tmp/src',
    'FROM debian:12\nRUN cd /tmp/build && make install && cd / && rm -rf /tmp/build',
    'FROM debian:12\nRUN cd /tmp/build/src && make install && cd / && rm -rf /tmp/build',
    'FROM archlinux:base\nRUN git clone https://aur.archlinux.org/yay-bin.git && cd yay-bin && makepkg -si && cd .. && rm -rf yay-bin',
    'FROM debian:12\nWORKDIR /src\nRUN cd sub && make && cd .. && rm -rf sub',
    'FROM debian:12\nRUN cd /tmp/a && make && cd ../b && make && cd / && rm -rf /tmp/a /tmp/b',
  ],
  invalid: [
    { code: 'FROM debian:12\nRUN cd /src && make', errors: [{ messageId: 'cd', line: 2 }] },
    { code: 'FROM debian:12\nRUN make; cd /tmp', errors: [{ messageId: 'cd', line: 2 }] },
    // Only a sub-directory of it, or only one of the directories cd'd into, is removed.
    { code: 'FROM debian:12\nRUN cd /src && make && rm -rf /src/build', errors: [{ messageId: 'cd', line: 2 }] },
    {
      code: 'FROM debian:12\nRUN cd /tmp/a && make && cd /tmp/b && make && rm -rf /tmp/a',
      errors: [{ messageId: 'cd', line: 2 }],
    },
    // `/` is never removed; a plain `rm` does not remove a directory; a removal before the cd is no cleanup.
    { code: 'FROM debian:12\nRUN cd / && rm -rf /', errors: [{ messageId: 'cd', line: 2 }] },
    { code: 'FROM debian:12\nRUN cd /tmp/x && make && rm /tmp/x', errors: [{ messageId: 'cd', line: 2 }] },
    { code: 'FROM debian:12\nRUN rm -rf /tmp/x && cd /tmp/x && make', errors: [{ messageId: 'cd', line: 2 }] },
    // A directory the shell picks (`cd -`, `cd` alone) is not known.
    { code: 'FROM debian:12\nRUN cd && make && rm -rf /root', errors: [{ messageId: 'cd', line: 2 }] },
  ],
});
