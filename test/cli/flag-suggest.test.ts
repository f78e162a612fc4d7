// A mistyped flag is told the flag it was probably meant to be, as git and npm do: "Nonexistent flag: --max-wasted"
// alone left the user to read the whole --help for `--max-wasted-bytes`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeFlags, didYouMean, didYouMeanAll, unknownFlagsText } from '../../src/flag-suggest.js';
import { runCli } from '../helpers/cli.js';

const CI_FLAGS = [
  'max-wasted-bytes',
  'max-wasted-percent',
  'platform',
  'lowestEfficiency',
  'no-cache',
  'format',
  'json',
];

describe('closeFlags', () => {
  it.each([
    ['--max-wasted', ['--max-wasted-bytes', '--max-wasted-percent']],
    ['--max-wasted=10MB', ['--max-wasted-bytes', '--max-wasted-percent']],
    ['--platfrom', ['--platform']],
    ['--paltform', ['--platform']],
    ['--fromat', ['--format']],
    ['--lowestefficiency', ['--lowestEfficiency']],
    ['--no-cach', ['--no-cache']],
    ['--jsno', ['--json']],
    ['--bogus', []],
    ['--js', []], // too short to tell
    ['-x', []],
    ['--verbose', []],
  ])('%s -> %j', (given, expected) => {
    expect(closeFlags(given, CI_FLAGS)).toEqual(expected);
  });

  it('names at most three, closest first', () => {
    expect(closeFlags('--max', ['max-a', 'max-bb', 'max-ccc', 'max-dddd'])).toEqual([
      '--max-a',
      '--max-bb',
      '--max-ccc',
    ]);
  });

  it('words one and several', () => {
    expect(didYouMean('--platfrom', CI_FLAGS)).toBe('did you mean `--platform`?');
    expect(didYouMean('--max-wasted', CI_FLAGS)).toBe('did you mean `--max-wasted-bytes` or `--max-wasted-percent`?');
    expect(didYouMean('--bogus', CI_FLAGS)).toBeUndefined();
  });

  it('names each of several unknown flags with its own suggestions', () => {
    expect(didYouMeanAll(['--fromat', '--bogus', '--platfrom'], CI_FLAGS)).toBe(
      'did you mean `--format` for `--fromat` and `--platform` for `--platfrom`?',
    );
    expect(didYouMeanAll(['--fromat', '--max-wasted', '--jsno'], CI_FLAGS)).toBe(
      'did you mean `--format` for `--fromat`, `--max-wasted-bytes` or `--max-wasted-percent` for `--max-wasted` and `--json` for `--jsno`?',
    );
    expect(didYouMeanAll(['--bogus', '--other'], CI_FLAGS)).toBeUndefined();
    // One flag given twice is one flag.
    expect(didYouMeanAll(['--fromat=json', '--fromat'], CI_FLAGS)).toBe('did you mean `--format`?');
  });

  it('names a flag without its value', () => {
    expect(unknownFlagsText(['--pasword=hunter2'])).toBe('Nonexistent flag: --pasword');
    expect(unknownFlagsText(['--a=1', '-x', '--a', '--b='])).toBe('Nonexistent flags: --a, -x, --b');
    // `-Z=...` is one letter and its value; `-Zq=s` may be letters run together, and is shown whole.
    expect(unknownFlagsText(['-Z=hunter2', '-Zq=s', '-Z'])).toBe('Nonexistent flags: -Z, -Zq=s');
  });
});

describe('the hint of an unknown flag', () => {
  it.each([
    [
      ['ci', 'x.tar', '--max-wasted', '10MB'],
      'did you mean `--max-wasted-bytes` or `--max-wasted-percent`? run `ballast ci --help`',
    ],
    [['analyze', 'x.tar', '--dockerfle', 'Dockerfile'], 'did you mean `--dockerfile`? run `ballast analyze --help`'],
    [['diff', 'a.tar', 'b.tar', '--no-cach'], 'did you mean `--no-cache`? run `ballast diff --help`'],
    // lint's fast path parses its own flags (src/lint/cli.ts), the oclif command its own: both suggest.
    [['lint', '--fromat', 'json', 'Dockerfile'], 'did you mean `--format`? run `ballast lint --help`'],
    // The fast path took `--FORMAT` for a file name starting with -, as oclif does not.
    [['lint', '--FORMAT', 'json', 'Dockerfile'], 'did you mean `--format`? run `ballast lint --help`'],
  ])('%j', async (args, hint) => {
    for (const env of [{}, { BALLAST_NO_FAST_PATH: '1' }]) {
      const result = await runCli(args, { env });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`(hint: ${hint}`);
      expect(result.stderr).toMatch(/^error: Nonexistent flag: [^\n]+\n$/);
    }
  });

  // Only the first unknown flag had a suggestion, and lint's fast path named only the first unknown flag at all.
  it.each([
    [['analyze', 'x.tar', '--fromat', 'json', '--dockerfle', 'Dockerfile'], '--dockerfle', '--dockerfile'],
    [['lint', '--fromat', 'json', '--verbos', 'Dockerfile'], '--verbos', '--verbose'],
    // `--x` is the value --ignore takes, not a flag.
    [['lint', '-f', 'json', '--fromat=json', '--ignore', '--x', '--verbos', 'Dockerfile'], '--verbos', '--verbose'],
  ])('%j names every unknown flag, each with its suggestion', async (args, second, meant) => {
    for (const env of [{}, { BALLAST_NO_FAST_PATH: '1' }]) {
      const result = await runCli(args, { env });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `error: Nonexistent flags: --fromat, ${second} (hint: did you mean \`--format\` for \`--fromat\` and \`${meant}\` for \`${second}\`?`,
      );
    }
  });

  // The value of a mistyped flag may be a secret a CI log would keep.
  it('is named without its value', async () => {
    for (const args of [
      ['analyze', 'x.tar', '--pasword=hunter2'],
      ['lint', '--pasword=hunter2', 'Dockerfile'],
    ])
      for (const env of [{}, { BALLAST_NO_FAST_PATH: '1' }]) {
        const result = await runCli(args, { env });
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/^error: Nonexistent flag: --pasword \(hint:/);
        expect(result.stderr).not.toContain('hunter2');
      }
  });

  it('is named without its value when it is a short flag too', async () => {
    for (const args of [
      ['analyze', 'x.tar', '-Z=hunter2'],
      ['lint', '-Z=hunter2', 'Dockerfile'],
    ])
      for (const env of [{}, { BALLAST_NO_FAST_PATH: '1' }]) {
        const result = await runCli(args, { env });
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/^error: Nonexistent flag: -Z \(hint:/);
        expect(result.stderr).not.toContain('hunter2');
      }
  });

  it("names a file called like a short flag with a value in lint's hint, only when there is one", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-flag-file-'));
    writeFileSync(join(dir, '-Z=hunter2'), 'FROM scratch\n');
    const result = await runCli(['lint', '-Z=hunter2'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('goes after --: `ballast lint -- -Z=hunter2`');
  });

  it('suggests neither a hidden flag nor a far one', async () => {
    // `ci`'s hidden `--ci` (dive's switch, a no-op here) is one letter from `--cii`.
    for (const [args, command] of [
      [['ci', 'x.tar', '--cii'], 'ci'],
      [['analyze', 'x.tar', '--verbose'], 'analyze'],
    ] as const) {
      const result = await runCli([...args]);
      expect(result.stderr).toBe(
        `error: Nonexistent flag: ${args[2]} (hint: run \`ballast ${command} --help\` for its flags and arguments)\n`,
      );
    }
  });
});

describe('an unknown command', () => {
  // `ballast analyse x.tar` said "no command analyse:x.tar": oclif joins the words it cannot place with ':'.
  it.each([
    [
      ['analyse', 'x.tar'],
      'no command analyse (hint: did you mean `ballast analyze`? run `ballast --help` for the commands)',
    ],
    [
      ['help', 'analyse'],
      'no command analyse (hint: did you mean `ballast analyze`? run `ballast --help` for the commands)',
    ],
    [
      ['lnit', 'Dockerfile'],
      'no command lnit (hint: did you mean `ballast lint`? run `ballast --help` for the commands)',
    ],
    [['frob', 'a', 'b'], 'no command frob (hint: run `ballast --help` for the commands)'],
    // An empty word (an unset variable in a script) said "command  not found" with no hint.
    [[''], 'no command "" (hint: run `ballast --help` for the commands)'],
  ])('%j', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: ${message}\n`);
  });
});

describe('a flag with three dashes', () => {
  // `---platform` was named by its variable, "Nonexistent flag: -$BALLAST_PLATFORM": the `--platform` inside it was
  // taken for the flag its variable had set.
  it('is named as typed', async () => {
    const result = await runCli(['analyze', 'x.tar', '---platform', 'linux/arm64'], {
      env: { BALLAST_PLATFORM: 'linux/amd64' },
    });
    expect(result.stderr).toBe(
      'error: Nonexistent flag: ---platform (hint: did you mean `--platform`? run `ballast analyze --help` for its flags and arguments)\n',
    );
  });
});
