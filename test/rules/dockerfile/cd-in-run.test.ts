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
    // A directory held in a variable is the same one where the same variable is written again (`$tmp`, `${tmp}`),
    // wherever the RUN is; ARG and ENV values are read.
    'FROM debian:12\nRUN tmp="$(mktemp -d)" && cd "$tmp" && make && rm -rf "$tmp"',
    'FROM debian:12\nRUN tmp="$(mktemp -d)" && cd "${tmp}/src" && make && rm -rf "$tmp"',
    'FROM debian:12\nENV SRC=/usr/src/foo\nRUN cd $SRC && make install && rm -rf $SRC',
    'FROM debian:12\nARG SRC=/usr/src/foo\nRUN cd /usr/src/foo && make install && rm -rf "$SRC"',
    // Going down to the removed directory first is the way there, as going back up is the way out.
    'FROM debian:12\nRUN cd /tmp && curl -LO https://x/foo.tgz && tar xf foo.tgz && cd foo && make install && cd / && rm -rf /tmp/foo /tmp/foo.tgz',
    'FROM debian:12\nRUN cd /usr/src && tar xf foo.tgz && cd foo && make install && cd .. && rm -rf foo foo.tgz',
    'FROM debian:12\nRUN cd /tmp/foo && make install && cd .. && rm -rf foo',
    // A variable the RUN sets to a relative path names a directory under the `cd` in effect where it is read.
    'FROM debian:12\nRUN cd /tmp && dir=foo && cd "$dir" && make && cd / && rm -rf "/tmp/$dir"',
    'FROM debian:12\nRUN export SRC=/opt/src && cd "$SRC" && make && cd / && rm -rf "$SRC"',
    'FROM debian:12\nRUN dir=foo && cd /tmp/$dir && make && cd .. && rm -rf "$dir"',
    // An rm that runs after the cd, or in an arm of an `if` it reaches, removes the directory on the build's way.
    'FROM debian:12\nRUN cd /tmp/x && make || true; rm -rf /tmp/x',
    'FROM debian:12\nRUN cd /tmp/x && make; if [ -d /tmp/x ]; then rm -rf /tmp/x; fi',
    'FROM debian:12\nRUN cd /tmp/x && make && rm -rf /tmp/x || echo failed',
    // An unquoted glob removes the directories it matches when rm runs, as the names they have.
    'FROM debian:12\nARG V=1.2\nRUN mkdir /tmp/x-${V} && cd /tmp/x-${V} && make && rm -rf /tmp/x-*',
    'FROM debian:12\nRUN mkdir /tmp/x-${V} && cd /tmp/x-${V} && make && rm -rf /tmp/x-*',
    'FROM debian:12\nRUN cd /tmp/build/src && make && cd / && rm -rf /tmp/*',
    'FROM debian:12\nRUN cd /usr/src/foo-1 && make && cd .. && rm -rf foo-?',
    'FROM debian:12\nRUN cd /usr/src/foo-1 && make && rm -rf /usr/src/foo-[0-9] /usr/src/bar-[!0-9]',
  ],
  invalid: [
    { code: 'FROM debian:12\nRUN cd /src && make', errors: [{ messageId: 'cd', line: 2 }] },
    { code: 'FROM debian:12\nRUN make; cd /tmp', errors: [{ messageId: 'cd', line: 2 }] },
    // A heredoc whose delimiter is quoted with a backslash is read as the script (it was not read at all).
    { code: 'FROM debian:12\nRUN <<\\EOT\ncd /src && make\nEOT', errors: [{ messageId: 'cd', line: 2 }] },
    { code: 'FROM debian:12\nRUN <<-\\EOT\n\tcd /src && make\n\tEOT', errors: [{ messageId: 'cd', line: 2 }] },
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
    // rm refuses to remove `.` and `..`.
    { code: 'FROM debian:12\nRUN cd /tmp/y && make install && rm -rf .', errors: [{ messageId: 'cd', line: 2 }] },
    { code: 'FROM debian:12\nRUN cd /tmp/y/z && make && rm -rf ../', errors: [{ messageId: 'cd', line: 2 }] },
    // Another variable, or a path under the variable's, is another directory.
    { code: 'FROM debian:12\nRUN cd "$src" && make && rm -rf "$tmp"', errors: [{ messageId: 'cd', line: 2 }] },
    { code: 'FROM debian:12\nRUN cd "$tmp" && make && rm -rf "$tmp/build"', errors: [{ messageId: 'cd', line: 2 }] },
    // A relative variable read after another `cd` is another directory; one set again to an unknown value is unknown.
    {
      code: 'FROM debian:12\nRUN dir=foo && cd "$dir" && make && cd /b && rm -rf "$dir"',
      errors: [{ messageId: 'cd', line: 2 }],
    },
    {
      code: 'FROM debian:12\nRUN dir=/tmp/a && cd "$dir" && make && dir="$(mktemp -d)" && rm -rf "$dir"',
      errors: [{ messageId: 'cd', line: 2 }],
    },
    // Work in a directory the RUN keeps, and a cleanup run only when something failed, are still reported.
    {
      code: 'FROM debian:12\nRUN cd /src && make && cd /tmp/b && make && cd / && rm -rf /tmp/b',
      errors: [{ messageId: 'cd', line: 2 }],
    },
    { code: 'FROM debian:12\nRUN cd /tmp/x && make || rm -rf /tmp/x', errors: [{ messageId: 'cd', line: 2 }] },
    {
      code: 'FROM debian:12\nRUN cd /tmp/x && (make || (cd / && rm -rf /tmp/x && exit 1))',
      errors: [{ messageId: 'cd', line: 2 }],
    },
    // Past 10,000 questions whether an rm runs after a cd (here 101 cds by 100 `|| rm`s), the cd is reported.
    {
      code: `FROM debian:12\nRUN ${Array.from({ length: 101 }, (_, i) => `cd /a/${i}`).join(' && ')}; ${'false || rm -rf /a; '.repeat(100)}rm -rf /a`,
      errors: [{ messageId: 'cd', line: 2 }],
    },
    // A glob matches names, not what is above or below them, nor a leading `.`; a quoted one is a name.
    {
      code: 'FROM debian:12\nRUN cd /tmp/x-1 && make && rm -rf /tmp/x-*/build',
      errors: [{ messageId: 'cd', line: 2 }],
    },
    { code: 'FROM debian:12\nRUN cd /tmp/x-1 && make && rm -rf /tmp/y-*', errors: [{ messageId: 'cd', line: 2 }] },
    { code: 'FROM debian:12\nRUN cd /tmp/x-10 && make && rm -rf /tmp/x-?', errors: [{ messageId: 'cd', line: 2 }] },
    { code: 'FROM debian:12\nRUN cd /tmp/x-a && make && rm -rf /tmp/x-[!a]', errors: [{ messageId: 'cd', line: 2 }] },
    { code: 'FROM debian:12\nRUN cd /tmp/.x && make && rm -rf /tmp/*', errors: [{ messageId: 'cd', line: 2 }] },
    { code: 'FROM debian:12\nRUN cd /tmp/x-1 && make && rm -rf "/tmp/x-*"', errors: [{ messageId: 'cd', line: 2 }] },
    { code: 'FROM debian:12\nRUN cd /tmp/x-1 && make && rm -rf /tmp/x-\\*', errors: [{ messageId: 'cd', line: 2 }] },
    { code: "FROM debian:12\nRUN cd /tmp/x-1 && make && rm -rf '/tmp/x-*'", errors: [{ messageId: 'cd', line: 2 }] },
    { code: 'FROM debian:12\nRUN cd /tmp && make && rm -rf /tmp/*', errors: [{ messageId: 'cd', line: 2 }] },
    // A directory the shell picks (`cd -`, `cd` alone) is not known.
    { code: 'FROM debian:12\nRUN cd && make && rm -rf /root', errors: [{ messageId: 'cd', line: 2 }] },
  ],
});
