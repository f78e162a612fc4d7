// DF222 copy-relative-without-workdir (hadolint DL3045): absolute, `$VAR` and Windows destinations are fine, and so is
// a WORKDIR in this stage or in the stage it is built FROM.
import { rule } from '../../../rules/dockerfile/copy-relative-without-workdir.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('COPY bla.sh /usr/local/bin/blubb.sh'),
    df('COPY bla.sh "/usr/local/bin/blubb.sh"'),
    df('COPY bla.sh c:\\system32\\blubb.sh'),
    df('COPY bla.sh "c:\\system32\\blubb.sh"'),
    df('COPY bla.sh d:/system32/blubb.sh'),
    df('WORKDIR /usr', 'COPY bla.sh blubb.sh'),
    df('WORKDIR c:\\system32', 'COPY bla.sh blubb.sh'),
    'FROM debian:12 AS stage1\nWORKDIR /usr\nFROM stage1\nCOPY bla.sh blubb.sh',
    'FROM debian:12 AS stage1\nWORKDIR /usr\nFROM stage1 AS stage2\nFROM stage2\nCOPY bla.sh blubb.sh',
    df('COPY src.sh ${SRC_BASE_ENV}'),
    df('COPY src.sh $SRC_BASE_ENV'),
    df('COPY src.sh "${SRC_BASE_ENV}"'),
    df('COPY src.sh "$SRC_BASE_ENV"'),
    df('COPY ["src.sh", "/app/"]'),
    df('COPY --chown=app:app src.sh /app/'),
    df('ADD src.sh relative'),
  ],
  invalid: [
    {
      code: df('COPY bla.sh blubb.sh'),
      errors: [
        {
          messageId: 'relative',
          line: 2,
          message:
            'COPY to relative `blubb.sh` with no WORKDIR in this stage: the files land wherever the base image left the working directory.',
        },
      ],
    },
    { code: df('COPY bla.sh "blubb.sh"'), errors: [{ messageId: 'relative' }] },
    { code: df('COPY . .'), errors: [{ messageId: 'relative' }] },
    { code: df('COPY ["src.sh", "app/"]'), errors: [{ messageId: 'relative' }] },
    {
      code: 'FROM debian:12\nWORKDIR /usr\nFROM debian:12\nCOPY bla.sh blubb.sh',
      errors: [{ messageId: 'relative', line: 4 }],
    },
    // WORKDIR after the COPY does not count.
    { code: df('COPY bla.sh blubb.sh', 'WORKDIR /usr'), errors: [{ messageId: 'relative', line: 2 }] },
    {
      code: 'FROM debian:12 AS a\nCOPY x y\nFROM a\nWORKDIR /app\nCOPY x y',
      errors: [{ messageId: 'relative', line: 2 }],
    },
  ],
});
