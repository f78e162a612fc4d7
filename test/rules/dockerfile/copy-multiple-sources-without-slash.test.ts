// DF205 copy-multiple-sources-without-slash (hadolint DL3021).
import { rule } from '../../../rules/dockerfile/copy-multiple-sources-without-slash.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM node:20', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('COPY package.json yarn.lock my_app/'),
    df('COPY package.json /app'),
    // An escaped space does not split a word: one source (src/dockerfile/parse.ts splitWords).
    df('COPY my\\ file.txt /app'),
    df('COPY package.json yarn.lock /app/'),
    df('COPY ["package.json", "yarn.lock", "/app/"]'),
    df('COPY --chown=node:node package.json yarn.lock /app/'),
    // A lone `--` ends the flags and is dropped, as the builder reads it: one source.
    df('COPY -- package.json /app'),
    df('COPY package.json yarn.lock "/app/"'),
    df('ADD a b /app'),
    // The builder expands the destination before it looks for the slash: an ARG or ENV ending in `/` is a directory
    // (these were reported as failing the build).
    df('ARG DEST=/app/', 'COPY package.json yarn.lock $DEST'),
    df('ENV DEST=/app/', 'COPY ["package.json", "yarn.lock", "${DEST}"]'),
  ],
  invalid: [
    // A known value without the slash fails as written; so does a variable this file does not set (hadolint's verdict).
    { code: df('ARG DEST=/app', 'COPY package.json yarn.lock $DEST'), errors: [{ messageId: 'noSlash', line: 3 }] },
    { code: df('COPY package.json yarn.lock $DEST'), errors: [{ messageId: 'noSlash', line: 2 }] },
    {
      code: df('COPY package.json yarn.lock my_app'),
      errors: [
        {
          messageId: 'noSlash',
          line: 2,
          message: 'COPY with 2 sources needs a destination directory ending in `/`; `my_app` fails the build.',
        },
      ],
      output: df('COPY package.json yarn.lock my_app/'),
    },
    {
      code: df('COPY --chown=node:node package.json yarn.lock /app'),
      errors: [{ messageId: 'noSlash' }],
      output: df('COPY --chown=node:node package.json yarn.lock /app/'),
    },
    { code: df('COPY a b c /app'), errors: [{ messageId: 'noSlash' }], output: df('COPY a b c /app/') },
    {
      code: df('COPY package.json \\', '     yarn.lock \\', '     /app'),
      errors: [{ messageId: 'noSlash', line: 2 }],
      output: df('COPY package.json \\', '     yarn.lock \\', '     /app/'),
    },
    // Exec form: reported, no fix (the destination is inside a JSON string).
    { code: df('COPY ["package.json", "yarn.lock", "/app"]'), errors: [{ messageId: 'noSlash' }] },
    {
      code: df('COPY --from=build /a /b /out'),
      errors: [{ messageId: 'noSlash' }],
      output: df('COPY --from=build /a /b /out/'),
    },
  ],
});
