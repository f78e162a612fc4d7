// DF210 apt-in-run (hadolint DL3027).
import { rule } from '../../../rules/dockerfile/apt-in-run.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN apt-get install -y python'),
    df('RUN apt-cache search python'),
    df('RUN aptitude install python'),
    df('RUN echo apt install python'),
    df('RUN ls /usr/lib/apt'),
    df('CMD apt install python'),
  ],
  invalid: [
    {
      code: df('RUN apt install python'),
      errors: [{ messageId: 'apt', line: 2 }],
      output: df('RUN apt-get install python'),
    },
    {
      code: df('RUN apt update && apt install -y --no-install-recommends curl && apt clean'),
      errors: [{ messageId: 'apt' }],
      output: df('RUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get clean'),
    },
    { code: df('RUN apt -y install curl'), errors: [{ messageId: 'apt' }], output: df('RUN apt-get -y install curl') },
    // `apt upgrade` does more than `apt-get upgrade`: reported, not rewritten.
    { code: df('RUN apt-get update && apt upgrade -y'), errors: [{ messageId: 'apt', line: 2 }] },
    { code: df('RUN apt update && apt full-upgrade -y'), errors: [{ messageId: 'apt' }] },
    { code: df('RUN /usr/bin/apt update'), errors: [{ messageId: 'apt' }] },
    { code: df('RUN ["apt", "install", "-y", "python"]'), errors: [{ messageId: 'apt' }] },
    { code: df('ONBUILD RUN apt install python'), errors: [{ messageId: 'apt', line: 2 }] },
    { code: df('RUN apt list --installed | wc -l'), errors: [{ messageId: 'apt' }] },
    // The subcommand on a continuation line: the fix still finds each apt (it used to offer none).
    {
      code: df('RUN apt \\', '    update && apt \\', '    install -y curl'),
      errors: [{ messageId: 'apt' }],
      output: df('RUN apt-get \\', '    update && apt-get \\', '    install -y curl'),
    },
    {
      code: ['# escape=`', 'FROM debian:12', 'RUN apt `', '    update'].join('\n'),
      errors: [{ messageId: 'apt' }],
      output: ['# escape=`', 'FROM debian:12', 'RUN apt-get `', '    update'].join('\n'),
    },
    // A wrapper runs the apt after it.
    { code: df('RUN sudo apt update'), errors: [{ messageId: 'apt' }], output: df('RUN sudo apt-get update') },
    {
      code: df('RUN env X=1 apt install curl'),
      errors: [{ messageId: 'apt' }],
      output: df('RUN env X=1 apt-get install curl'),
    },
    {
      code: df('RUN nice -n 5 nohup apt update'),
      errors: [{ messageId: 'apt' }],
      output: df('RUN nice -n 5 nohup apt-get update'),
    },
  ],
});
