// pip's command line as pip reads it. pip parses with Python's optparse, which takes any unique prefix of a long option
// (`--no-cache` is --no-cache-dir, `--cache /x` is --cache-dir /x), so the rules that read pip's options need its option
// names to know what a word means.
import { readOptions, type ReadOption } from '../dockerfile/shell.js';

// Each option's long names (its first the name it is read as) and letter, and whether it takes a value. Taken from
// pip 23.2.1 (its parsers' `_get_all_options()`): the general options, which every subcommand reads too, and the
// options of the subcommands the rules read.
type PipOption = readonly [names: string, takesValue: boolean];

const GENERAL: PipOption[] = [
  ['--help -h', false],
  ['--debug', false],
  ['--isolated', false],
  ['--require-virtualenv --require-venv', false],
  ['--python', true],
  ['--verbose -v', false],
  ['--version -V', false],
  ['--quiet -q', false],
  ['--log --log-file --local-log', true],
  ['--no-input', false],
  ['--keyring-provider', true],
  ['--proxy', true],
  ['--retries', true],
  ['--timeout --default-timeout', true],
  ['--exists-action', true],
  ['--trusted-host', true],
  ['--cert', true],
  ['--client-cert', true],
  ['--cache-dir', true],
  ['--no-cache-dir', false],
  ['--disable-pip-version-check', false],
  ['--no-color', false],
  ['--no-python-version-warning', false],
  ['--use-feature', true],
  ['--use-deprecated', true],
];

// Options install, wheel and download share.
const INDEX: PipOption[] = [
  ['--index-url --pypi-url -i', true],
  ['--extra-index-url', true],
  ['--no-index', false],
  ['--find-links -f', true],
];
const BUILD: PipOption[] = [
  ['--requirement -r', true],
  ['--constraint -c', true],
  ['--no-deps --no-dependencies', false],
  ['--pre', false],
  ['--src --source --source-dir --source-directory', true],
  ['--no-binary', true],
  ['--only-binary', true],
  ['--prefer-binary', false],
  ['--require-hashes', false],
  ['--progress-bar', true],
  ['--no-build-isolation', false],
  ['--use-pep517', false],
  ['--no-use-pep517', false],
  ['--check-build-dependencies', false],
  ['--ignore-requires-python', false],
  ['--global-option', true],
  ['--no-clean', false],
  ...INDEX,
];
const PLATFORM: PipOption[] = [
  ['--platform', true],
  ['--python-version', true],
  ['--implementation', true],
  ['--abi', true],
];

const SUBCOMMANDS: Record<string, PipOption[]> = {
  install: [
    ...BUILD,
    ...PLATFORM,
    ['--editable -e', true],
    ['--dry-run', false],
    ['--target -t', true],
    ['--user', false],
    ['--no-user', false],
    ['--root', true],
    ['--prefix', true],
    ['--upgrade -U', false],
    ['--upgrade-strategy', true],
    ['--force-reinstall', false],
    ['--ignore-installed -I', false],
    ['--break-system-packages', false],
    ['--config-settings -C', true],
    ['--compile', false],
    ['--no-compile', false],
    ['--no-warn-script-location', false],
    ['--no-warn-conflicts', false],
    ['--root-user-action', true],
    ['--report', true],
    // pip before 23.1 (its value is no package there).
    ['--install-option', true],
  ],
  wheel: [
    ...BUILD,
    ['--wheel-dir -w', true],
    ['--editable -e', true],
    ['--no-verify', false],
    ['--config-settings -C', true],
    ['--build-option', true],
  ],
  download: [...BUILD, ...PLATFORM, ['--dest --destination-dir --destination-directory -d', true]],
  cache: [['--format', true]],
};

interface OptionTable {
  /** Every long name and letter, to the name it is read as (the option's first long name). */
  names: Map<string, string>;
  longs: string[];
  values: Set<string>;
}

function table(options: PipOption[]): OptionTable {
  const names = new Map<string, string>();
  const values = new Set<string>();
  for (const [written, takesValue] of options) {
    const words = written.split(' ').map((w) => w.replace(/^-+/, ''));
    for (const word of words) names.set(word, words[0]);
    if (takesValue) values.add(words[0]);
  }
  return { names, longs: options.flatMap(([w]) => w.split(' ').filter((n) => n.startsWith('--'))), values };
}

const GENERAL_TABLE = table(GENERAL);
const TABLES = new Map(Object.entries(SUBCOMMANDS).map(([name, own]) => [name, table([...GENERAL, ...own])]));

/**
 * The name an option written `--name` (`long`) or `-l` is read as, as optparse reads it: a long one by its exact name,
 * else by the one long name it is a prefix of (`--no-cache`, `--no-cache-d`); either way as the option's first long
 * name (`--pypi-url` and `-i` give index-url). Undefined when pip knows none, or when a long one is a prefix of several
 * (`--no-c`: --no-cache-dir, --no-clean, --no-color, --no-compile, and `--no-dep`, of two names of one option too): pip
 * fails on those.
 */
function nameIn(options: OptionTable, written: string, long: boolean): string | undefined {
  if (!long) return written.length === 1 ? options.names.get(written) : undefined;
  if (options.longs.includes(`--${written}`)) return options.names.get(written);
  const matches = options.longs.filter((l) => l.startsWith(`--${written}`));
  return matches.length === 1 ? options.names.get(matches[0].slice(2)) : undefined;
}

const reading = (options: OptionTable, name = (w: string, long: boolean) => nameIn(options, w, long)) => ({
  short: (read: string) => options.values.has(read),
  long: (read: string) => options.values.has(read),
  name,
});

/** A pip command line: its subcommand and every option with the name pip reads it as. */
export interface PipArgs {
  /** The subcommand (`install`) and its index in the arguments; undefined when there is none. */
  subcommand?: { name: string; at: number };
  /**
   * The options, before and after the subcommand, each named as pip reads it (`--no-cache` and `--no-cache-dir` give
   * no-cache-dir; `-r`, `--requirem` give requirement); one pip knows no such option for keeps the name written.
   */
  options: ReadOption[];
  /** Indexes of the arguments after the subcommand that are no option or option value (the packages). */
  positionals: number[];
}

/**
 * pip's arguments (those after `pip`, or `python -m pip`) read as pip reads them: the general options up to the first
 * other word, which is the subcommand (pip's main parser), then the rest with the general options and that
 * subcommand's, anywhere among the packages (optparse allows it). A value-taking option takes the next word
 * (`--cache /x`) unless written `--cache=/x`. A subcommand not in the table is read with the general options only.
 */
export function readPipArgs(args: string[]): PipArgs {
  const at = readOptions(args, { ...reading(GENERAL_TABLE), stopAtPositional: true }).positionals[0];
  const own = at === undefined ? GENERAL_TABLE : (TABLES.get(args[at]) ?? GENERAL_TABLE);
  // pip's subcommand parser reads the general options before the subcommand again, with its own options as well: a
  // prefix unique among the general options but not among all of them (`--pro`: --proxy, --progress-bar, --prefix...)
  // makes it fail.
  const both = (written: string, long: boolean): string | undefined => {
    const general = nameIn(GENERAL_TABLE, written, long);
    return general === nameIn(own, written, long) ? general : undefined;
  };
  const head = readOptions(at === undefined ? args : args.slice(0, at), reading(GENERAL_TABLE, both));
  if (at === undefined) return { options: head.options, positionals: [] };
  const tail = readOptions(args.slice(at + 1), reading(own));
  return {
    subcommand: { name: args[at], at },
    options: [...head.options, ...tail.options.map((o) => ({ ...o, from: o.from + at + 1 }))],
    positionals: tail.positionals.map((i) => i + at + 1),
  };
}
