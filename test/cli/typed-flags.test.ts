// Which flags a command line types, as the commands decide it before oclif parses (a typed on/off flag wins over its
// BALLAST_* variable; an oclif error names a typed flag by its flag, one nobody typed by its variable). Each row is
// checked against the real commands' flags and against oclif's own parser, so `typedIn` accepts exactly the
// spellings oclif does: `-fjson`, `-f=json`, short switches bundled (`-Vfjson`), aliases (`--type` for `--only`),
// `--no-NAME` only for a flag that allows it, no long-flag prefixes (`--form`), nothing after `--`.
import { Parser } from '@oclif/core';
import { commands } from '../../src/commands/index.js';
import { switchesWithValues, typedIn, type FlagDefinitions } from '../../src/flag-sources.js';

type CommandName = keyof typeof commands;

// [command, argv (after the command), the flags typed, whether oclif refuses the line]
const rows: [CommandName, string[], string[], boolean][] = [
  ['lint', ['-f', 'json', 'Dockerfile'], ['format'], false],
  ['lint', ['-fjson', 'Dockerfile'], ['format'], false],
  ['lint', ['-f=json', 'Dockerfile'], ['format'], false],
  ['lint', ['--format=json', 'Dockerfile'], ['format'], false],
  ['lint', ['-Vfjson', 'Dockerfile'], ['verbose', 'format'], false],
  ['lint', ['-Vf', 'json', 'Dockerfile'], ['verbose', 'format'], false],
  ['lint', ['-VV', 'Dockerfile'], ['verbose'], false],
  ['lint', ['-Vc', 'x.yaml', '-t', 'error'], ['verbose', 'config', 'failure-threshold'], false],
  // A value may start with '-' (even be `--`, which then ends nothing), unless it reads as one of the command's
  // flags: then it is that flag, and oclif refuses the line (`Flag --output expects a value`).
  ['lint', ['--output', '-x', 'Dockerfile'], ['output'], false],
  ['lint', ['-o', '--', '-fjson', 'Dockerfile'], ['output', 'format'], false],
  ['lint', ['-o', '-ccc', 'Dockerfile'], ['output', 'config'], true],
  ['lint', ['--output', '-fjson', 'Dockerfile'], ['output', 'format'], true],
  ['lint', ['-f', 'json', '--', '-c', '--config'], ['format'], false],
  ['lint', ['--form', 'json', 'Dockerfile'], [], true],
  ['lint', ['--verb', 'Dockerfile'], [], true],
  // `-fV` is --format V (not a format): a short option takes the rest of its word.
  ['lint', ['-fV'], ['format'], true],
  ['diff', ['a.tar', 'b.tar', '--type', 'size'], ['only'], false],
  ['diff', ['a.tar', 'b.tar', '--type=size,layer', '--no-cache'], ['only', 'no-cache'], false],
  ['diff', ['a.tar', 'b.tar', '-ofile.md'], ['output'], false],
  ['bases', ['img', '--no-families'], ['families'], false],
  ['bases', ['img', '--deep'], ['deep'], false],
  ['bases', ['img', '--no-deep'], [], true],
  ['bases', ['img', '--dee'], [], true],
  ['bases', ['img', '-c', 'x.yaml', '-fDockerfile'], ['config', 'dockerfile'], false],
  ['ci', ['img', '-o=out.xml', '--format', 'junit'], ['output', 'format'], false],
  ['ci', ['img', '--fail-on', 'warning', '--ci'], ['fail-on', 'ci'], false],
];

async function oclifTyped(command: CommandName, argv: string[]): Promise<string[] | 'error'> {
  const ctor = commands[command];
  try {
    const parsed = await Parser.parse(argv, {
      flags: ctor.flags,
      args: ctor.args,
      strict: ctor.strict,
      context: {},
    } as never);
    return [...new Set(parsed.raw.flatMap((t) => (t.type === 'flag' ? [t.flag] : [])))];
  } catch {
    return 'error';
  }
}

describe('the flags a command line types', () => {
  it.each(rows)('%s %j: %j', async (command, argv, typed, refused) => {
    const flags = commands[command].flags as unknown as FlagDefinitions;
    expect([...typedIn(argv, flags)].sort()).toEqual([...typed].sort());
    const oclif = await oclifTyped(command, argv);
    if (refused) expect(oclif).toBe('error');
    else expect(oclif === 'error' ? oclif : oclif.sort()).toEqual([...typed].sort());
  });
});

// On/off flags given a value (`--deep=false`), as the commands rewrite them before oclif parses: on is the flag alone,
// off is `--no-NAME` where the flag has it, else dropped and returned in `off`; the words oclif reads as an option's
// value or after `--` are left alone, and the last spelling of a flag wins.
// [command, argv, the argv oclif gets, the flags set off, the on/off values oclif then reads]
const switchRows: [CommandName, string[], string[], string[], Record<string, boolean | undefined>][] = [
  ['bases', ['img', '--deep=false'], ['img'], ['deep'], { deep: undefined }],
  ['bases', ['img', '--deep=TRUE'], ['img', '--deep'], [], { deep: true }],
  ['bases', ['img', '--families=false'], ['img', '--no-families'], [], { families: false }],
  ['bases', ['img', '--families=1'], ['img', '--families'], [], { families: true }],
  ['bases', ['img', '--no-families=false'], ['img', '--families'], [], { families: true }],
  ['bases', ['img', '--no-families=yes'], ['img', '--no-families'], [], { families: false }],
  ['bases', ['img', '--deep', '--deep=off'], ['img'], ['deep'], { deep: undefined }],
  ['bases', ['img', '--deep', '--deep=on', '--deep=off'], ['img'], ['deep'], { deep: undefined }],
  ['bases', ['img', '--deep=on', '--deep=off', '--deep'], ['img', '--deep'], [], { deep: true }],
  ['bases', ['img', '--deep=off', '--deep'], ['img', '--deep'], [], { deep: true }],
  ['bases', ['img', '--base', '--deep=false'], ['img', '--base', '--deep=false'], [], { deep: undefined }],
  ['bases', ['img', '--', '--deep=false'], ['img', '--', '--deep=false'], [], { deep: undefined }],
  ['lint', ['-V=no', 'Dockerfile'], ['Dockerfile'], ['verbose'], { verbose: undefined }],
  ['lint', ['-V=on', '-f=json', 'Dockerfile'], ['-V', '-f=json', 'Dockerfile'], [], { verbose: true }],
  ['lint', ['-Vo', '--fix=false', 'Dockerfile'], ['-Vo', '--fix=false', 'Dockerfile'], [], { fix: undefined }],
  ['lint', ['--no-fail=n', 'Dockerfile'], ['Dockerfile'], ['no-fail'], { 'no-fail': undefined }],
  ['diff', ['a', 'b', '--no-verify=true'], ['a', 'b', '--no-verify'], [], { 'no-verify': true }],
];

describe('on/off flags given a value', () => {
  it.each(switchRows)('%s %j: %j, off %j', async (command, argv, rewritten, off, values) => {
    const flags = commands[command].flags as unknown as FlagDefinitions;
    expect(switchesWithValues(argv, flags)).toEqual({ argv: rewritten, off });
    const ctor = commands[command];
    const parsed = await Parser.parse(rewritten, {
      flags: ctor.flags,
      args: ctor.args,
      strict: ctor.strict,
      context: {},
    } as never);
    for (const [name, value] of Object.entries(values))
      expect((parsed.flags as Record<string, unknown>)[name]).toBe(value);
  });

  it.each([['--deep=maybe'], ['--deep='], ['--no-families=2']])('%s is a usage error naming the flag', (word) => {
    const flags = commands.bases.flags as unknown as FlagDefinitions;
    expect(() => switchesWithValues(['img', word], flags)).toThrow(`${word} is neither on nor off`);
  });
});
