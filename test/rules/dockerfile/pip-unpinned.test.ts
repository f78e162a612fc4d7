import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/pip-unpinned.js';

ruleTester.run(rule, {
  valid: [
    // With no index the versions are those of the local wheels: no registry hands a newer one to the next build.
    'FROM python:3.12\nCOPY wheels /wheels\nRUN pip install --no-index --find-links=/wheels flask',
    'FROM python:3.12\nENV PIP_NO_INDEX=1\nRUN pip install -f /wheels flask',
    // xargs puts the words it reads where its replace string stands (`{}` or what -I sets): no package is written there.
    'FROM python:3.12\nRUN xargs -I{} pip install {} < /tmp/packages.txt',
    'FROM python:3.12\nRUN xargs -I % python3 -m pip install % < /tmp/packages.txt',
    "FROM python:3.12\nRUN xargs -I % sh -c 'pip install --no-cache-dir %' < /tmp/packages.txt",
    'FROM python:3.12\nRUN pip install requests==2.32.3',
    'FROM python:3.12\nRUN pip install "requests>=2,<3"',
    'FROM python:3.12\nRUN pip install -r requirements.txt',
    'FROM python:3.12\nRUN pip install --requirement=requirements.txt',
    'FROM python:3.12\nRUN pip install -c constraints.txt requests',
    'FROM python:3.12\nRUN pip install .',
    'FROM python:3.12\nRUN pip install ./dist/app-1.0-py3-none-any.whl',
    'FROM python:3.12\nRUN pip install git+https://github.com/x/y@0123abcd',
    // A version tag pins a VCS URL as it does an npm git source (DF107); so does a commit after a `user@` host.
    'FROM python:3.12\nRUN pip install git+https://github.com/x/y.git@v1.2.0#egg=y',
    'FROM python:3.12\nRUN pip install "y @ git+https://github.com/x/y@v1"',
    'FROM python:3.12\nRUN pip install git+ssh://git@github.com/x/y.git@0123abcd',
    'FROM python:3.12\nRUN pip install -e .',
    'FROM python:3.12\nRUN pip install -e ./lib -e git+https://github.com/x/y@0123abcd#egg=y requests==2.32.3',
    'FROM python:3.12\nRUN pip install --editable=./lib -e./other',
    'FROM python:3.12\nRUN pip install --index-url https://pypi.example/simple requests==1.0',
    // pip (optparse) takes any unique prefix of a long option: the value of `--index`, `--tar` is no package, and
    // `--requirem`, `--cons` name requirement and constraint files.
    'FROM python:3.12\nRUN pip install --index https://pypi.example/simple requests==1.0',
    'FROM python:3.12\nRUN pip install --index=https://pypi.example/simple --tar deps requests==1.0',
    'FROM python:3.12\nRUN pip install --requirem requirements.txt',
    'FROM python:3.12\nRUN pip install --cons constraints.txt requests',
    'FROM python:3.12\nRUN pip --cache /tmp/pc install requests==1.0',
    'FROM python:3.12\nRUN python3 -mpip install requests==1.0',
    // Python has no `pip3` module: `python3 -m pip3` fails, and installs nothing.
    'FROM python:3.12\nRUN python3 -m pip3 install requests',
  ],
  invalid: [
    // A remote --find-links page is an index of its own.
    {
      code: 'FROM python:3.12\nRUN pip install --no-index --find-links=https://example.com/wheels/ flask',
      errors: [{ messageId: 'unpinned', line: 2 }],
    },
    { code: 'FROM python:3.12\nRUN pip install requests', errors: [{ messageId: 'unpinned', line: 2 }] },
    // An editable local project next to a registry package: the package is still unpinned.
    {
      code: 'FROM python:3.12\nRUN pip install -e ./lib requests',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`pip install requests` does not pin a version (e.g. `requests==<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    {
      code: 'FROM python:3.12\nRUN pip install --extra https://pypi.example/simple requests',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`pip install requests` does not pin a version (e.g. `requests==<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    // Python's `-mpip` and its own flags before `-m` run pip as `-m pip` does.
    ...[
      'python3 -mpip install requests',
      'python -u -m pip install requests',
      'python3 -I -W ignore -m pip install requests',
    ].map((run) => ({ code: `FROM python:3.12\nRUN ${run}`, errors: [{ messageId: 'unpinned' as const, line: 2 }] })),
    // The example pin names the package found, not another one.
    {
      code: 'FROM python:3.12\nRUN python3 -m pip install --upgrade pip',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`pip install pip` does not pin a version (e.g. `pip==<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    {
      code: 'FROM python:3.12\nRUN pip install git+https://github.com/x/y',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`pip install git+https://github.com/x/y` does not pin a version (e.g. `git+https://github.com/x/y@<commit>`): rebuilds install whatever is newest.',
        },
      ],
    },
    // The `git@` of an ssh URL names no ref, and a branch moves: both were taken as pinned (any `@` was). As DF107
    // asks of an npm git source, the commit goes in place of the branch, before the `#egg=` fragment.
    {
      code: 'FROM python:3.12\nRUN pip install git+ssh://git@github.com/x/y.git',
      errors: [
        {
          messageId: 'unpinned',
          message:
            '`pip install git+ssh://git@github.com/x/y.git` does not pin a version (e.g. `git+ssh://git@github.com/x/y.git@<commit>`): rebuilds install whatever is newest.',
        },
      ],
    },
    {
      code: 'FROM python:3.12\nRUN pip install git+https://github.com/x/y.git@main#egg=y',
      errors: [
        {
          messageId: 'unpinned',
          message:
            '`pip install git+https://github.com/x/y.git@main#egg=y` does not pin a version (e.g. `git+https://github.com/x/y.git@<commit>#egg=y`): rebuilds install whatever is newest.',
        },
      ],
    },
    {
      code: 'FROM python:3.12\nRUN pip install "y @ git+https://github.com/x/y@main"',
      errors: [{ messageId: 'unpinned' }],
    },
    // Every unpinned package is named, in one finding for the command (only the first was, as if it were alone).
    {
      code: 'FROM python:3.12\nRUN pip install requests flask==3.0.3 numpy',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`pip install requests numpy` does not pin versions (e.g. `requests==<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    // A long list is cut after three, with how many more.
    {
      code: 'FROM python:3.12\nRUN pip install --no-cache-dir a b c d e',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`pip install a b c` and 2 more do not pin versions (e.g. `a==<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    // Every install command of the RUN is read, not the first only: one finding names the packages of all of them
    // (later commands' packages went unreported).
    ...[
      ['pip install a==1 && pip install x y', '`pip install x y` does not pin versions (e.g. `x==<version>`)'],
      ['pip install x && pip install y', '`pip install x y` does not pin versions (e.g. `x==<version>`)'],
      [
        'pip install x; python3 -m pip install --no-cache-dir y || true',
        '`pip install x y` does not pin versions (e.g. `x==<version>`)',
      ],
      [
        'pip install x \\\n  && echo ok | pip install y z',
        '`pip install x y z` does not pin versions (e.g. `x==<version>`)',
      ],
      ['pip install -r req.txt && pip install x', '`pip install x` does not pin a version (e.g. `x==<version>`)'],
      ['pip install x && pip install x y==1', '`pip install x` does not pin a version (e.g. `x==<version>`)'],
      [
        'pip install a b && pip install c && pip install d e',
        '`pip install a b c` and 2 more do not pin versions (e.g. `a==<version>`)',
      ],
    ].map(([run, named]) => ({
      code: `FROM python:3.12\nRUN ${run}`,
      errors: [{ messageId: 'unpinned' as const, line: 2, message: `${named}: rebuilds install whatever is newest.` }],
    })),
  ],
});
