// DF204 apt-get-install-without-yes (hadolint DL3014): every documented way to say yes, and the cases that still prompt.
import { rule } from '../../../rules/dockerfile/apt-get-install-without-yes.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN apt-get install -y python'),
    // `sudo -l` only lists whether the install is allowed: nothing prompts.
    df('RUN sudo -l apt-get install curl'),
    df('RUN apt-get install -yq python'),
    df('RUN apt-get install -qy python'),
    df('RUN apt-get install python -y'),
    df('RUN apt-get -y install python'),
    df('RUN apt-get --yes install python'),
    df('RUN apt-get install --assume-yes python'),
    // Quiet level 2 implies yes.
    df('RUN apt-get install -qq python'),
    df('RUN apt-get -q -q install python'),
    df('RUN apt-get update && apt-get install -y --no-install-recommends curl'),
    df('RUN apt-get update'),
    df('RUN apt-get remove python'),
    // Exec form and sh -c are read too.
    df('RUN ["apt-get", "install", "-y", "curl"]'),
    df('RUN ["sh", "-c", "apt-get install -y curl"]'),
    df('RUN apt-cache show python'),
    df('RUN echo apt-get install python'),
    // A simulation prints what it would do and asks nothing (a corpus false positive: an availability probe).
    df('RUN if apt-get install -s libjemalloc2 > /dev/null 2>&1; then apt-get install -y libjemalloc2; fi'),
    df('RUN apt-get install --simulate curl'),
    df('RUN apt-get --dry-run install curl'),
  ],
  invalid: [
    // A `y` or two `q`s in `-o`'s value are not flags: no yes here.
    {
      code: df('RUN apt-get -oAcquire::http::Proxy=http://proxy:3128 install curl'),
      errors: [{ messageId: 'noYes', line: 2 }],
      output: df('RUN apt-get -oAcquire::http::Proxy=http://proxy:3128 install -y curl'),
    },
    {
      code: df('RUN apt-get install -qoAcquire::Queue-Mode=access curl'),
      errors: [{ messageId: 'noYes', line: 2 }],
      output: df('RUN apt-get install -y -qoAcquire::Queue-Mode=access curl'),
    },
    // An `s` in `-o`'s value is no simulation.
    {
      code: df('RUN apt-get -oAcquire::Retries=3 install curl'),
      errors: [{ messageId: 'noYes', line: 2 }],
      output: df('RUN apt-get -oAcquire::Retries=3 install -y curl'),
    },
    // The script of `bash -o pipefail -c` is read too (its options once hid it).
    {
      code: df("RUN bash -o pipefail -c 'apt-get update && apt-get install curl'"),
      errors: [{ messageId: 'noYes', line: 2 }],
    },
    {
      code: df('RUN apt-get install python'),
      errors: [{ messageId: 'noYes', line: 2 }],
      output: df('RUN apt-get install -y python'),
    },
    {
      code: df('RUN apt-get update && apt-get install curl'),
      errors: [{ messageId: 'noYes', line: 2 }],
      output: df('RUN apt-get update && apt-get install -y curl'),
    },
    {
      code: df('RUN apt-get -q install python'),
      errors: [{ messageId: 'noYes', line: 2 }],
      output: df('RUN apt-get -q install -y python'),
    },
    {
      code: df('RUN apt-get install --no-install-recommends python'),
      errors: [{ messageId: 'noYes' }],
      output: df('RUN apt-get install -y --no-install-recommends python'),
    },
    {
      code: df('RUN apt-get update \\', '  && apt-get install \\', '     curl'),
      errors: [{ messageId: 'noYes', line: 2 }],
      output: df('RUN apt-get update \\', '  && apt-get install -y \\', '     curl'),
    },
    // `install` on a continuation line (or past a CRLF one): the fix finds it (it used to offer none).
    {
      code: df('RUN apt-get \\', '    update && apt-get -q \\', '    install curl'),
      errors: [{ messageId: 'noYes' }],
      output: df('RUN apt-get \\', '    update && apt-get -q \\', '    install -y curl'),
    },
    {
      code: df('RUN apt-get \\  \r', '    install curl'),
      errors: [{ messageId: 'noYes' }],
      output: df('RUN apt-get \\  \r', '    install -y curl'),
    },
    // A comment line inside the RUN breaks the match: no fix rather than a guess.
    { code: df('RUN apt-get \\', '# why', '    install curl'), errors: [{ messageId: 'noYes' }] },
    // Through sudo and its host option (rules/dockerfile/sudo.md says so).
    {
      code: df('RUN sudo -h somehost apt-get install curl'),
      errors: [{ messageId: 'noYes' }],
      output: df('RUN sudo -h somehost apt-get install -y curl'),
    },
    // One install says yes, the other does not: reported, but no fix that would touch both.
    { code: df('RUN apt-get install -y a && apt-get install b'), errors: [{ messageId: 'noYes' }] },
    { code: df('ONBUILD RUN apt-get install python'), errors: [{ messageId: 'noYes', line: 2 }] },
    { code: df('RUN ["sh", "-c", "apt-get install curl"]'), errors: [{ messageId: 'noYes' }] },
    // `-d` (download only) still asks before downloading.
    {
      code: df('RUN apt-get install -d curl'),
      errors: [{ messageId: 'noYes' }],
      output: df('RUN apt-get install -y -d curl'),
    },
  ],
});
