import { ruleTester } from '../../../src/lint/rule-tester.js';
import { packageVariableCases } from '../../helpers/unpinned.js';
import { rule } from '../../../rules/dockerfile/npm-unpinned.js';

ruleTester.run(rule, {
  valid: [
    // xargs puts the words it reads where its replace string stands: no package is written there.
    'FROM node:20\nRUN xargs -I % npm install -g % < /tmp/packages.txt',
    // A quoted list is one word to the shell, judged as written.
    'FROM node:20\nARG PKGS="typescript@5.4.5 eslint"\nRUN npm install -g "$PKGS"',
    'FROM node:20\nRUN npm install',
    'FROM node:20\nRUN npm ci',
    'FROM node:20\nRUN npm install express@4.19.2',
    'FROM node:20\nRUN npm install @types/node@20.1.0',
    'FROM node:20\nRUN npm install -g typescript@5.4.5',
    'FROM node:20\nRUN npm install ./local-package',
    'FROM node:20\nRUN npm install git+https://github.com/x/y.git#0123abcd',
    // GitHub's `user/repo` shorthand is a git source: a version tag pins it as it does `github:user/repo#v1`.
    'FROM node:20\nRUN npm install x/y#v1.2.0 github:x/y#v1.2.0',
    'FROM node:20\nRUN npm install https://example.com/pkg.tgz',
    // Option values are not packages: these install package.json's pinned tree.
    'FROM node:20\nRUN npm install --omit dev',
    'FROM node:20\nRUN npm install --loglevel warn --include optional',
    'FROM node:20\nRUN npm install --only production && npm install --install-strategy nested -g typescript@5.4.5',
  ],
  invalid: [
    // An unquoted list from ARG/ENV is split as the shell splits it, each word judged (it was read as one pinned
    // package, and the unpinned one in it went unreported).
    {
      code: 'FROM node:20\nARG PKGS="typescript@5.4.5 eslint"\nRUN npm install -g $PKGS',
      errors: [
        {
          messageId: 'unpinned',
          line: 3,
          message:
            '`npm install eslint` does not pin a version (e.g. `eslint@<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    // ... and is asked for a commit, not an `@version` (`x/y@<version>` is no npm spec).
    {
      code: 'FROM node:20\nRUN npm install x/y#semver:^1.0',
      errors: [
        {
          messageId: 'unpinned',
          message:
            '`npm install x/y#semver:^1.0` does not pin a version (e.g. `x/y#<commit>`): rebuilds install whatever is newest.',
        },
      ],
    },
    { code: 'FROM node:20\nRUN npm install express', errors: [{ messageId: 'unpinned', line: 2 }] },
    { code: 'FROM node:20\nRUN npm install --loglevel warn express', errors: [{ messageId: 'unpinned', line: 2 }] },
    {
      code: 'FROM node:20\nRUN npm i -g @angular/cli',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`npm i @angular/cli` does not pin a version (e.g. `@angular/cli@<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    {
      code: 'FROM node:20\nRUN npm install git+https://github.com/x/y.git',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`npm install git+https://github.com/x/y.git` does not pin a version (e.g. `git+https://github.com/x/y.git#<commit>`): rebuilds install whatever is newest.',
        },
      ],
    },
    // A git source at a branch or tag name is asked for a commit in place of that ref, not after it (the example read
    // `...git#main#<commit>`).
    {
      code: 'FROM node:20\nRUN npm install git+https://github.com/x/y.git#main',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`npm install git+https://github.com/x/y.git#main` does not pin a version (e.g. `git+https://github.com/x/y.git#<commit>`): rebuilds install whatever is newest.',
        },
      ],
    },
    // Every install command of the RUN is read, not the first only: one finding names the packages of all of them
    // (later commands' packages went unreported).
    ...[
      [
        'npm install express@4.19.2 && npm install -g typescript eslint',
        '`npm install typescript eslint` does not pin versions (e.g. `typescript@<version>`)',
      ],
      [
        'npm install express && npm install -g typescript',
        '`npm install express typescript` does not pin versions (e.g. `express@<version>`)',
      ],
      [
        'npm ci; npm install express || npm install lodash',
        '`npm install express lodash` does not pin versions (e.g. `express@<version>`)',
      ],
      // Worded by the first command with an unpinned package, as the user wrote its subcommand.
      [
        'npm i express && npm install lodash',
        '`npm i express lodash` does not pin versions (e.g. `express@<version>`)',
      ],
      [
        'npm install express \\\n  && echo ok | npm install -g typescript',
        '`npm install express typescript` does not pin versions (e.g. `express@<version>`)',
      ],
    ].map(([run, named]) => ({
      code: `FROM node:20\nRUN ${run}`,
      errors: [{ messageId: 'unpinned' as const, line: 2, message: `${named}: rebuilds install whatever is newest.` }],
    })),
    ...packageVariableCases('FROM node:20', 'npm install -g', (p) => `${p}@<version>`),
  ],
});
