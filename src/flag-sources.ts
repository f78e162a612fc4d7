// Where a flag's value came from, as errors and reports name it. Shared by the oclif commands (BaseCommand.sourceOf)
// and lint's own argument parser, which does not load oclif.
import { UsageError } from './errors.js';

/** Names a flag by where its value was set: `--top`, or `$BALLAST_TOP` when only the variable set it. */
export type SourceOf = (name: string) => string;

/** The name of a flag when nothing says otherwise: services called without a command (tests, the API) use it. */
export const asTyped: SourceOf = (name) => `--${name}`;

/** A command's flags (oclif's definitions): each one's BALLAST_* variable, and how it may be typed. */
export type FlagDefinitions = Record<
  string,
  { env?: string; char?: string; type?: string; allowNo?: boolean; aliases?: string[]; charAliases?: string[] }
>;

/**
 * Names a flag's value by where it was set: `--name` when the command line has the flag (`typed`; it wins over the
 * variable) or the flag has no variable, else its variable (`$BALLAST_TOP`), so a value nobody typed is traced to
 * the environment that set it.
 */
export function flagSources(typed: Set<string>, definitions: FlagDefinitions): SourceOf {
  return (name) => {
    const env = definitions[name]?.env;
    return typed.has(name) || !env ? `--${name}` : `$${env}`;
  };
}

/**
 * Which of the command's flags one word names, as oclif 4 finds it: `--name`, an alias, `--no-name` where the flag
 * allows it (`negated`), or the letter after a single `-` (`-V`, `-Vfjson`). No name: no flag of the command.
 */
function flagFinder(
  definitions: FlagDefinitions,
): (arg: string) => { name?: string; long: boolean; negated?: boolean } {
  const aliases = new Map<string, string>();
  for (const [name, flag] of Object.entries(definitions))
    for (const alias of [...(flag.aliases ?? []), ...(flag.charAliases ?? [])]) aliases.set(alias, name);
  return (arg) => {
    if (arg.startsWith('--')) {
      const word = arg.slice(2);
      if (definitions[word]) return { name: word, long: true };
      if (aliases.has(word)) return { name: aliases.get(word), long: true };
      if (word.startsWith('no-')) {
        const name = definitions[word.slice(3)] ? word.slice(3) : aliases.get(word.slice(3));
        const flag = name === undefined ? undefined : definitions[name];
        if (flag?.type === 'boolean' && flag.allowNo) return { name, long: true, negated: true };
      }
      return { long: true };
    }
    if (!arg.startsWith('-') || arg.length < 2) return { long: false };
    const c = arg[1];
    const name = aliases.get(c) ?? Object.keys(definitions).find((k) => definitions[k].char === c);
    return { name, long: false };
  };
}

/**
 * Whether `word` is one of the command's flags with a value joined to it (`--type=file`, `-f=x`): oclif takes such a
 * word as the value of the option before it (`diff A B -o --type=file` wrote the report to a file named `--type=file`),
 * where a flag written alone is refused as no value.
 */
export function isFlagWithValue(word: string, definitions: FlagDefinitions): boolean {
  const given = /^(--[^=]+|-[^-=])=/.exec(word);
  return given !== null && flagFinder(definitions)(given[1]).name !== undefined;
}

/**
 * The flags whose value names a file or directory, and what is done with it, for the hint: a value that looks like a
 * flag is refused there (see fileFlagValue).
 */
const FILE_FLAGS: ReadonlyMap<string, string> = new Map([
  ['output', 'write a file'],
  ['save-baseline', 'write a file'],
  ['dockerfile', 'read a file'],
  ['config', 'read a file'],
  ['context', 'use a directory'],
]);

/**
 * The error for a file flag given a word starting with `-` as its value, written apart from it (`analyze X -o -q`,
 * `diff A B -o -n`, `-o --type=file`, `-o -5`): the parser took the word the user meant as a flag for the file to
 * write, and the report went to a file named `-n`. Undefined for any other flag or value. A value joined to its flag
 * (`-o=-n`, `--output=--quiet`) or written as a path (`./-n`) is that file, and is not asked about here; `-` alone is
 * standard output.
 */
export function fileFlagValue(flag: string, value: string): UsageError | undefined {
  // Any such word, not only one like a flag: oclif and node:util disagree on which words are flags (oclif takes `-5`
  // as a value, node:util refuses it), and lint's two paths must answer alike.
  const use = FILE_FLAGS.get(flag);
  if (!use || !/^-./.test(value)) return undefined;
  return new UsageError(`--${flag} expects a value`, {
    code: 'usage',
    hint: `to ${use} named ${value}, write ./${value}`,
  });
}

/**
 * The flags a command line types, read as oclif 4's parser reads it (so a typed flag is never taken for one left to
 * its variable, nor the other way round): `--name`, `--name=value`, an alias, `--no-name` only where the flag allows
 * it, never a prefix (`--form` is no flag); `-c value`, `-cvalue`, `-c=value`; on/off switches bundled (`-Vfjson` is
 * -V then -f json); an option's next word is its value unless that word is itself a flag; nothing after `--`.
 * Needed before oclif parses (and when it refuses the line), where its own record of the flags is not there.
 */
export function typedIn(argv: string[], definitions: FlagDefinitions): Set<string> {
  const find = flagFinder(definitions);
  const typed = new Set<string>();
  const words = [...argv];
  // One flag word; false when it is no flag of the command. `--name=value` and `-c=value` as oclif splits them.
  const flagWord = (arg: string): boolean => {
    const { name, long } = find(arg);
    if (name === undefined) {
      const eq = arg.indexOf('=');
      if (eq === -1) return false;
      words.unshift(arg.slice(eq + 1));
      const found = flagWord(arg.slice(0, eq));
      if (!found) words.shift();
      return found;
    }
    typed.add(name);
    if (definitions[name].type === 'boolean') {
      if (!long && arg.length > 2) words.unshift(`-${arg.slice(2)}`);
    } else if ((long || arg.length < 3) && words.length > 0 && find(words[0]).name === undefined) {
      words.shift();
    }
    return true;
  };
  while (words.length > 0) {
    const word = words.shift()!;
    if (word === '--') break;
    if (word.startsWith('-') && word !== '-') flagWord(word);
  }
  return typed;
}

/**
 * `argv` with the letter of --json (diff's `-j`, container-diff's) written `--json` before any `--`, alone or bundled
 * with other short switches: `-jt file` is `--json -t file`, `-Vj` is `--json -V`. oclif's jsonEnabled() looks for the
 * word `--json`, so a bundled -j set the flag and still printed text. A word with a letter that is no flag of the
 * command is left for oclif to refuse; letters after an option's are its value (`-tj` is --type j).
 */
export function jsonSpeltOut(argv: string[], definitions: FlagDefinitions): string[] {
  const char = definitions.json?.char;
  if (!char) return argv;
  const find = flagFinder(definitions);
  const end = argv.indexOf('--');
  return argv.flatMap((word, at) => {
    if ((end !== -1 && at >= end) || !/^-[^-]/.test(word)) return [word];
    // The switches bundled at the start of the word, up to an option's letter (the rest is its value) or the end.
    let option = 1;
    for (; option < word.length; option++) {
      const { name } = find(`-${word[option]}`);
      if (name === undefined) return [word];
      if (definitions[name].type !== 'boolean') break;
    }
    const switches = word.slice(1, option);
    if (!switches.includes(char)) return [word];
    const rest = switches.replaceAll(char, '') + word.slice(option);
    return rest ? ['--json', `-${rest}`] : ['--json'];
  });
}

/**
 * How an on/off value is spelt, on a command line (`--deep=yes`) and in a variable (`BALLAST_DEEP=on`): git's words
 * for a boolean setting, and y/n, which oclif read in a variable.
 */
export const SWITCH_ON: readonly string[] = ['1', 'true', 'yes', 'y', 'on'];
export const SWITCH_OFF: readonly string[] = ['0', 'false', 'no', 'n', 'off'];

/** An on/off value read (blanks around it and case do not matter): true, false, or undefined for anything else. */
export function switchValue(text: string): boolean | undefined {
  const value = text.trim().toLowerCase();
  return SWITCH_ON.includes(value) ? true : SWITCH_OFF.includes(value) ? false : undefined;
}

/**
 * A command line with every on/off flag given a value (`--deep=false`, `--no-families=true`, `-V=off`) spelt as the
 * parsers read it. oclif split `--deep=false` into --deep and an argument `false`, so `--deep=false` turned deep ON (and
 * the `false` became an image, a Dockerfile, or "Unexpected argument"); node:util, lint's fast path, refused it. CI
 * files write `--deep=${{ inputs.deep }}`, which expands to exactly that. A value that means on (SWITCH_ON) is
 * the flag alone; one that means off is `--no-NAME` where the flag has that form, else the word is
 * dropped and the flag listed in `off`, for the caller to set false after parsing (so it still wins over the flag's
 * BALLAST_* variable, as `--no-NAME` does). Anything else is a usage error naming the flag. Words are read as
 * `typedIn` reads them: an option's value (`--base --deep=false`) and whatever follows `--` are left as they are; the
 * last of several spellings of one flag wins, as in oclif.
 */
export function switchesWithValues(argv: string[], definitions: FlagDefinitions): { argv: string[]; off: string[] } {
  const find = flagFinder(definitions);
  const isSwitch = (name: string | undefined): name is string =>
    name !== undefined && definitions[name].type === 'boolean';
  const out: string[] = [];
  const off = new Set<string>();
  // Where each on/off flag without a `--no-NAME` form stands alone in `out` (`--json`): a later `--json=false` drops
  // those words, so the line means what its last spelling says to a reader of the words too. oclif's jsonEnabled()
  // looks for `--json` in the words, not at the parsed flag: `--json --json=false` printed JSON.
  const alone = new Map<string, number[]>();
  const standsAlone = (name: string, at: number) => alone.set(name, [...(alone.get(name) ?? []), at]);
  const dropped = new Set<number>();
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      out.push(word);
      continue;
    }
    const given = /^(--[^=]+|-[^-=])=([\s\S]*)$/.exec(word);
    const flag = given ? find(given[1]) : undefined;
    if (given && flag && isSwitch(flag.name)) {
      const [, typed, text] = given;
      const value = switchValue(text);
      if (value === undefined) throw notOnOrOff(typed, text);
      off.delete(flag.name);
      // `--no-families=false` is `--families`: the value says whether what the word says holds.
      if (value) {
        if (!flag.negated && !definitions[flag.name].allowNo) standsAlone(flag.name, out.length);
        out.push(typed);
      } else if (flag.negated) out.push(`--${typed.slice('--no-'.length)}`);
      else if (definitions[flag.name].allowNo) out.push(`--no-${flag.long ? typed.slice(2) : flag.name}`);
      else {
        off.add(flag.name);
        for (const at of alone.get(flag.name) ?? []) dropped.add(at);
        alone.delete(flag.name);
      }
      continue;
    }
    const named = find(word);
    if (named.long && isSwitch(named.name) && !named.negated && !definitions[named.name].allowNo)
      standsAlone(named.name, out.length);
    out.push(word);
    // An option takes the next word unless its value is in this one (`--base=x`, `-fjson`, `-f=json`); short switches
    // may be bundled before it (`-Vf json`).
    const letters = word.startsWith('--') ? [word] : [...word.slice(1)].map((c) => `-${c}`);
    let takesNext = false;
    for (const [at, letter] of letters.entries()) {
      const { name } = find(letter);
      if (name === undefined) break;
      if (isSwitch(name)) {
        off.delete(name);
        continue;
      }
      takesNext = at === letters.length - 1;
      break;
    }
    if (takesNext && i + 1 < argv.length && find(argv[i + 1]).name === undefined) out.push(argv[++i]);
  }
  // Dropped at the end, so the positions recorded stay right.
  return { argv: out.filter((_, at) => !dropped.has(at)), off: [...off] };
}

/**
 * --json with a --format typed beside it that is not JSON asks for two reports: refused (exit 2) before anything is
 * read, rather than JSON written where a SARIF upload, a markdown comment or an HTML page was asked for. Shared by the
 * oclif commands and lint's fast path, so both print the same line. `undefined` when there is no conflict: no --json,
 * no --format typed (a $BALLAST_FORMAT default gives way to --json), or `--format json`, which agrees with --json.
 */
export function jsonWithFormat(
  json: boolean | undefined,
  typedFormat: string | undefined,
  command: string,
): UsageError | undefined {
  if (!json || typedFormat === undefined || typedFormat === 'json') return undefined;
  return new UsageError(`--json and --format ${typedFormat} ask for two reports`, {
    code: 'usage',
    hint: `use one of them: drop --json for the ${typedFormat} report, or --format for JSON; see \`ballast ${command} --help\``,
  });
}

/**
 * Whether a command prints its result as JSON: --json typed, or $BALLAST_CONTENT_TYPE=json, a default for the whole
 * job (as $BALLAST_FORMAT is) that a --format typed on this command line wins over (`--format sarif` writes SARIF).
 * One decision for the oclif commands and lint's fast path, which once printed text for that variable.
 */
export function jsonChosen(jsonTyped: boolean, typedFormat: string | undefined, env: NodeJS.ProcessEnv): boolean {
  if (jsonTyped) return true;
  return env.BALLAST_CONTENT_TYPE?.toLowerCase() === 'json' && (typedFormat ?? 'json') === 'json';
}

/** The error for an on/off flag typed with another value (`--deep=maybe`). */
function notOnOrOff(flag: string, text: string): UsageError {
  return new UsageError(`${flag}=${text} is neither on nor off`, {
    code: 'usage',
    hint: `write ${flag}=true or ${flag}=false (or 1/0, yes/no, on/off), or ${flag} alone for on`,
  });
}

/**
 * `--debug` before `--`, read as every on/off flag is: alone or `=true` on, `=false` off (what `--debug=${{ ... }}`
 * in a CI file expands to; oclif knows no --debug and called `--debug=false` a nonexistent flag), the last one winning.
 * `on`: whether to print stack traces, the flag winning over $BALLAST_DEBUG; `argv` is the line without the flag;
 * `error` for a value neither on nor off.
 */
export function debugFlag(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): { on: boolean; argv: string[]; error?: UsageError } {
  const end = argv.indexOf('--');
  let on: boolean | undefined;
  let error: UsageError | undefined;
  const rest = argv.filter((word, at) => {
    if ((end !== -1 && at >= end) || !(word === '--debug' || word.startsWith('--debug='))) return true;
    const text = word.slice('--debug='.length);
    const value = word === '--debug' ? true : switchValue(text);
    if (value === undefined) error ??= notOnOrOff('--debug', text);
    else on = value;
    return false;
  });
  return { on: on ?? env.BALLAST_DEBUG === '1', argv: rest, error };
}

/**
 * How errors name the report file's flag: its variable when that set it (`source`, from a `SourceOf`), else as typed
 * (`-o` or `--output`).
 */
export function outputFlagNamed(argv: string[], source: string): string {
  if (source.startsWith('$')) return source;
  return argv.some((a) => a === '--output' || a.startsWith('--output=')) ? '--output' : '-o';
}
