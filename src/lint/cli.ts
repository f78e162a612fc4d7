// A start-up fast path for `ballast lint`: the same flags and behaviour as the oclif command (src/commands/lint.ts), parsed
// with node:util, so pre-commit's one-file runs do not pay for loading oclif and every other command. bin/run.js may
// route `lint` here; `--help` and anything unusual still go through oclif.
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { BallastError, cannotWrite, formatError, UsageError } from '../errors.js';
import { failedReportLine, noteText, noteWidth } from '../note.js';
import { refuseOverwrites, writeOutputFile, type ReadPath } from '../output-file.js';
import { configCandidates } from '../config/load.js';
import { isDockerfileName } from './dockerfile-names.js';
import { printable, printableAs, printableLintReport, TEXT_FORMATS } from '../report/printable.js';
import { loadReporter, partOfBatches, reportRoot } from '../reporters/index.js';
import { lint, type LintResult } from '../services/lint.js';
import { FIX_STYLES, type FixStyle } from './autofix.js';
import { FAIL_ON_LEVELS, findingFails, type Report } from '../report/types.js';
import { failOnRuleHint, notAnOption } from '../fail-on-rule.js';
import { didYouMeanAll, didYouMeanValue, unknownFlagsText } from '../flag-suggest.js';
import {
  fileFlagValue,
  flagSources,
  jsonChosen,
  jsonWithFormat,
  outputFlagNamed,
  switchesWithValues,
  typedIn,
  type FlagDefinitions,
} from '../flag-sources.js';
import {
  HADOLINT_FLAG_TYPES,
  HADOLINT_THRESHOLDS,
  LINT_HELP_HINT,
  hadolintEnvLayer,
  hadolintFailOn,
  hadolintFlagLayer,
  hadolintVerbose,
  lintFormatOf,
  lintRunOutput,
  REPORT_ONLY_FORMATS,
} from './hadolint-cli.js';
import { findingsAtOrAbove } from '../report/finding-order.js';
import { listed } from '../report/lists.js';
import { lintFormatNames } from '../report/lint-formats.js';
import { colorEnabled } from '../report/color.js';

export interface LintCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string | Uint8Array>;
  cwd: string;
  env: NodeJS.ProcessEnv;
  color: boolean;
  /** The columns of the terminal stderr is on; undefined when it is not one (notes then wrap to COLUMNS only). */
  stderrColumns?: number;
}

const FAIL_ON: readonly string[] = FAIL_ON_LEVELS;

/** The variables read in place of lint's flags, so errors can name the one that set a value. */
const VARIABLES = {
  format: { env: 'BALLAST_FORMAT' },
  'fail-on': { env: 'BALLAST_FAIL_ON' },
  output: { env: 'BALLAST_OUTPUT' },
  config: { env: 'BALLAST_CONFIG' },
};

/**
 * A flag's variable as the oclif command reads it: set and not empty. Empty is unset, as for analyze and ci: a CI file's
 * `BALLAST_FORMAT: ${{ inputs.format }}` with the input left blank was refused as no format on this path only.
 */
function variable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name] || undefined;
}

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  config: { type: 'string', short: 'c' },
  'fail-on': { type: 'string' },
  ignore: { type: 'string', multiple: true },
  context: { type: 'string' },
  fix: { type: 'boolean' },
  'fix-dry-run': { type: 'boolean' },
  'unsafe-fixes': { type: 'boolean' },
  'fix-style': { type: 'string' },
  'stdin-filename': { type: 'string' },
  shellcheck: { type: 'string' },
  'no-shellcheck': { type: 'boolean' },
  json: { type: 'boolean' },
  ...HADOLINT_FLAG_TYPES,
} as const;

/** OPTIONS as oclif describes flags, for the reading shared with the oclif command (`--fix=false`). */
const DEFINITIONS: FlagDefinitions = Object.fromEntries(
  Object.entries(OPTIONS).map(([name, o]) => [
    name,
    { type: o.type === 'boolean' ? 'boolean' : 'option', char: 'short' in o ? o.short : undefined },
  ]),
);

/** The short letters of the options that take a value (-f, -o, -c, -t). */
const SHORT_WITH_VALUE: ReadonlySet<string> = new Set(
  Object.values(OPTIONS).flatMap((o) => (o.type === 'string' && 'short' in o ? [o.short] : [])),
);

/**
 * `-f=json` and `-Vf=json` as oclif reads them: the value after `=`. node:util keeps the `=` in the value, so the fast
 * path wrote `-o=r.txt`'s report to a file named `=r.txt` and called `-f=json` an unknown format. Split into the flag
 * and its value (before a `--` only, and only when the last letter takes a value); anything else is left to the parser.
 * A value starting with `-` stays joined (`-o-n`): node:util refuses one apart from its flag as ambiguous, and
 * `-o=-n` is how a file `-n` is named.
 */
function shortValuesSplit(argv: string[]): string[] {
  const out: string[] = [];
  let i = 0;
  for (; i < argv.length && argv[i] !== '--'; i++) {
    const match = /^(-[A-Za-z]+)=([\s\S]*)$/.exec(argv[i]);
    if (match && SHORT_WITH_VALUE.has(match[1].at(-1)!))
      out.push(...(/^-./.test(match[2]) ? [match[1] + match[2]] : [match[1], match[2]]));
    else out.push(argv[i]);
  }
  return [...out, ...argv.slice(i)];
}

/** The options whose value is one of a list, with the list, as the oclif command declares them (its `options`). */
const CHOICES: Record<string, readonly string[]> = {
  format: lintFormatNames,
  'fail-on': FAIL_ON,
  'fix-style': FIX_STYLES,
  'failure-threshold': HADOLINT_THRESHOLDS,
};

/** A typed value not among its option's values (CHOICES), as the oclif command words it, with its did-you-mean. */
function notAmong(name: string, value: string | undefined): UsageError | undefined {
  const choices = CHOICES[name];
  if (value === undefined || choices.includes(value)) return undefined;
  return new UsageError(notAnOption(`--${name}`, value, choices), {
    code: 'usage',
    hint: didYouMeanValue(value, choices, LINT_HELP_HINT),
  });
}

/** An option given no value, as the oclif command words it: with the values it takes when they are a list. */
function noValue(name: string): UsageError {
  const choices = CHOICES[name];
  return new UsageError(`--${name} expects ${choices ? `one of these values: ${choices.join(', ')}` : 'a value'}`, {
    code: 'usage',
    hint: LINT_HELP_HINT,
  });
}

/**
 * A word starting with `-` written apart from an option (`-f -n`, `--ignore -x`, `-Vf -n`) joined to it, as oclif
 * takes such a word for the value when it is no flag of lint: node:util refused it as ambiguous, so the two paths
 * answered `-f -n` differently (oclif: not a format). One of lint's flags there (`-f --json`) is a missing value, and a
 * file flag's such value is refused (see fileFlagValue): both are left for node:util to refuse.
 */
function dashValuesJoined(argv: string[]): string[] {
  const out = [...argv];
  for (let i = 0; i + 1 < out.length && out[i] !== '--'; i++) {
    const [word, next] = [out[i], out[i + 1]];
    if (!/^-./.test(next) || typedIn([next], DEFINITIONS).size > 0) continue;
    // The option the word ends with: `--name`, or a short letter alone or last of on/off switches (`-Vf`).
    const long = /^--([\w-]+)$/.exec(word)?.[1];
    const short = /^-([A-Za-z]*)([A-Za-z])$/.exec(word);
    const name =
      long ?? (short && [...short[1]].every((c) => !SHORT_WITH_VALUE.has(c)) ? shortName(short[2]) : undefined);
    const options: Record<string, { type: string }> = OPTIONS;
    if (name === undefined || options[name]?.type !== 'string' || fileFlagValue(name, next)) continue;
    out.splice(i, 2, long ? `${word}=${next}` : `${word}${next}`);
  }
  return out;
}

/** The options that take one value (`--format`, `-t`): node:util keeps the last of two, where oclif refuses them. */
const ONE_VALUE: ReadonlySet<string> = new Set(
  Object.entries(OPTIONS).flatMap(([name, o]) => (o.type === 'string' && !('multiple' in o) ? [name] : [])),
);

/**
 * An option that takes one value typed twice (`--format json -f tty`), in the oclif command's words (see
 * usageError): `lint -f json -f tty` printed a tty report on this path only. Read leniently, so a flag lint does not
 * know or a value missing at the end leaves this for the strict parse to refuse, after it, as oclif does.
 */
function givenTwice(args: string[]): UsageError | undefined {
  const { tokens } = parseArgs({ args, allowPositionals: true, strict: false, options: OPTIONS, tokens: true });
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || !ONE_VALUE.has(token.name)) continue;
    if (seen.has(token.name))
      return new UsageError(`--${token.name} given more than once: it takes one value`, {
        code: 'usage',
        hint: LINT_HELP_HINT,
      });
    seen.add(token.name);
  }
  return undefined;
}

/** The long name of a short letter (`f`: format). */
function shortName(letter: string): string | undefined {
  return Object.entries(OPTIONS).find(([, o]) => 'short' in o && o.short === letter)?.[0];
}

/** Runs `ballast lint ARGV...`; returns the exit code (0 clean, 1 findings at or above --fail-on, 2 error). */
export async function runLintCli(argv: string[], io: LintCliIo = defaultIo()): Promise<number> {
  try {
    // `--fix=false` as the oclif command reads it (node:util refused a value for an on/off flag).
    const switched = switchesWithValues(argv, DEFINITIONS);
    const args = dashValuesJoined(shortValuesSplit(switched.argv));
    // Before the strict parse, as oclif refuses it before a flag it does not know or a value missing at the end.
    const twice = givenTwice(args);
    if (twice) throw twice;
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        strict: true,
        options: OPTIONS,
      });
    } catch (error) {
      throw parseError(error as Error & { code?: string }, argv, io, args);
    }
    const { values, positionals } = parsed;
    for (const name of switched.off) (values as Record<string, unknown>)[name] = false;
    const sourceOf = flagSources(new Set(Object.keys(values)), VARIABLES);
    // Refused as the oclif command refuses it: --format is the typed one here, $BALLAST_FORMAT gives way to --json.
    const conflict = jsonWithFormat(values.json, values.format, 'lint');
    if (conflict) throw conflict;
    const json = jsonChosen(values.json === true, values.format, io.env);
    const ownFormat = values.format ?? variable(io.env, 'BALLAST_FORMAT');
    // Checked before anything is linted (or fixed); the config files' format, read with them, may still decide it.
    lintFormatOf(ownFormat, io.env, undefined, sourceOf('format'));
    const ownFailOn = values['fail-on'] ?? variable(io.env, 'BALLAST_FAIL_ON');
    if (ownFailOn !== undefined && !FAIL_ON.includes(ownFailOn)) {
      // The line the oclif command prints (its words; the hint on failing on a rule when a rule code was given).
      const source = sourceOf('fail-on');
      throw new UsageError(notAnOption(source, ownFailOn, FAIL_ON), {
        code: 'usage',
        hint: failOnRuleHint(source, ownFailOn) ?? didYouMeanValue(ownFailOn, FAIL_ON, LINT_HELP_HINT),
      });
    }
    const notListed =
      notAmong('failure-threshold', values['failure-threshold']) ?? notAmong('fix-style', values['fix-style']);
    if (notListed) throw notListed;
    const failOn = hadolintFailOn(values['no-fail'], values['failure-threshold'], ownFailOn);
    const hadolint = { env: hadolintEnvLayer(io.env), flags: hadolintFlagLayer(values) };
    const fixStyle = values['fix-style'];
    // `-o -` is standard output, as on the oclif path (the fast path wrote a file named `-`); `./-` names that file.
    const given = values.output ?? variable(io.env, 'BALLAST_OUTPUT');
    const output = given === '-' ? undefined : given;
    checkFixFlags(positionals, values.fix, json, output, values['fix-dry-run']);
    await refuseLintOverwrite(output, outputFlagNamed(argv, sourceOf('output')), {
      files: positionals,
      cwd: io.cwd,
      config: values.config ?? variable(io.env, 'BALLAST_CONFIG'),
    });
    const result = await lint({
      files: positionals,
      cwd: io.cwd,
      readStdin: io.readStdin,
      stdinFilename: values['stdin-filename'],
      reportPath: values['file-path-in-report'],
      log: (line) => io.stderr(`${printable(line)}\n`),
      verbose: (fromConfig) => hadolintVerbose(values.verbose, io.env, fromConfig),
      config: values.config ?? variable(io.env, 'BALLAST_CONFIG'),
      context: values.context,
      failOn: failOn as LintResult['failOn'] | undefined,
      // Like the oclif flag: repeatable, and each value may list several rules separated by commas.
      ignore: values.ignore?.flatMap((v) => v.split(',')).filter(Boolean),
      fix: values.fix,
      fixDryRun: values['fix-dry-run'],
      unsafeFixes: values['unsafe-fixes'],
      shellcheck: values['no-shellcheck'] ? false : values.shellcheck,
      env: io.env,
      hadolint,
      fixStyle: fixStyle as FixStyle | undefined,
      version: await packageVersion(),
      keepGoing: true,
    });
    const unreadable = unreadableFiles(result, io.env.BALLAST_DEBUG === '1', io.stderr);
    const { named, format, noColor, note, outputNote } = lintRunOutput(
      result.configOutput,
      {
        format: ownFormat,
        json,
        noColor: values['no-color'],
        output,
        verbose: values.verbose,
        typed: values.format !== undefined || values.json === true,
      },
      io.env,
    );
    const failure = unreadable.onlyErrors(json ? 'json' : format);
    if (failure) throw failure;
    // Wrapped as every command's notes are: this path printed each on one line at any width.
    const width = noteWidth(io.env, { isTTY: io.stderrColumns !== undefined, columns: io.stderrColumns });
    for (const notice of [...result.notices, ...[note, outputNote].filter((n) => n !== undefined)])
      io.stderr(noteText(notice, width));
    // A Codacy report is what such a run is for; with --json the report is not Codacy's, so the verdict stands.
    const exitCode = result.exitCode !== 2 && REPORT_ONLY_FORMATS.includes(named) && !json ? 0 : result.exitCode;
    if (values['fix-dry-run'])
      (dryRunDiffOnStderr(format, json, output) ? io.stderr : io.stdout)(result.diffs.join(''));
    let report: string;
    if (json) report = `${JSON.stringify(result.report, null, 2)}\n`;
    else {
      const text = (await loadReporter(format))(printableLintReport(format, result.report), {
        color: !output && io.color && !noColor && result.fixedStdin === undefined,
        cwd: io.cwd,
        root: reportRoot(io.cwd, io.env),
        summary: !partOfBatches(io.env),
      });
      // The report quotes the Dockerfile: control characters in it are shown, not obeyed by the terminal (a
      // document format, JSON or XML, has escaped them in its own syntax).
      report = printableAs(format, text.endsWith('\n') || text === '' ? text : `${text}\n`);
    }
    if (result.fixedStdin !== undefined) {
      // `lint --fix -`: stdout is the fixed file; what is left to report goes to -o FILE or stderr.
      io.stdout(result.fixedStdin);
      if (!output) {
        io.stderr(report);
        unreadable.print();
        return exitCode;
      }
    }
    if (output) {
      unreadable.print();
      try {
        await writeOutputFile(resolve(io.cwd, output), report);
      } catch (error) {
        throw cannotWrite(output, error);
      }
      if (exitCode === 1) io.stderr(failedReportLine(lintFailure(result.report), [output]));
      return exitCode;
    }
    io.stdout(report);
    unreadable.print();
    return exitCode;
  } catch (error) {
    io.stderr(`${formatError(error, io.env.BALLAST_DEBUG === '1')}\n`);
    return error instanceof BallastError ? error.exitCode : 2;
  }
}

/**
 * node:util's parse error as the oclif command words it. Its unknown-option text ("Unknown option '-x'. To specify a
 * positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"-x\"") ran to
 * two lines with an unbalanced quote and named `-x` for a file `-x.Dockerfile`; such a file gets the `--` spelling.
 * `args` are the words node:util was given.
 */
function parseError(
  error: Error & { code?: string },
  argv: string[],
  { env, cwd }: Pick<LintCliIo, 'env' | 'cwd'>,
  args: string[],
): UsageError {
  const ambiguous = error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && ambiguousValue(error.message, args);
  if (ambiguous) return ambiguous;
  const unknown = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && /^Unknown option '([^']+)'/.exec(error.message);
  if (unknown) {
    const end = argv.indexOf('--');
    const given = (end === -1 ? argv : argv.slice(0, end)).find((a) => a.startsWith(unknown[1])) ?? unknown[1];
    // `-Z=value` is a short flag and its value (which may be a secret, never to be echoed), unless a file is named so.
    const flagLike =
      /^(--[a-zA-Z][a-zA-Z0-9-]*(=.*)?|-[a-zA-Z])$/.test(given) ||
      (/^-[a-zA-Z]=/.test(given) && !existsSync(resolve(cwd, given)));
    // node:util stops at the first unknown option; the others are named too, as the oclif commands name them.
    const others = unknownFlags(args);
    const all = others.length > 0 ? others : [given];
    return new UsageError(unknownFlagsText(all), {
      code: 'usage',
      hint: flagLike
        ? `${didYouMeanAll(all, Object.keys(OPTIONS)) ?? ''} ${LINT_HELP_HINT}`.trim()
        : partOfBatches(env)
          ? // pre-commit puts the hook's `args:` between its entry and the file names: a config's own args replace
            // the hook's `--`.
            "a file whose name starts with - goes after --: end the hook's `args:` in .pre-commit-config.yaml with --"
          : `a file whose name starts with - goes after --: \`ballast lint -- ${given}\``,
    });
  }
  // "Option '--ignore <value>' argument missing", as the oclif commands word it.
  const missing = /^Option '(?:-\w, )?--([\w-]+) <value>' argument missing/.exec(error.message);
  if (missing) return noValue(missing[1]);
  return new UsageError(error.message.split('\n')[0], {
    code: 'usage',
    hint: 'run `ballast lint --help` for the flags',
  });
}

/**
 * node:util's "Option '-o' argument is ambiguous." (a value starting with `-` written apart from its flag: `-o -n`),
 * which named neither the flag's long name nor a way out, as the oclif command words it: one of lint's flags in the
 * value's place is a missing value (`-o --json`), and a file flag's value starting with `-` is told how to name that
 * file (see fileFlagValue). Any other such value was joined to its flag before (see dashValuesJoined).
 */
function ambiguousValue(message: string, args: string[]): UsageError | undefined {
  const typed = /^Option '(--?)([\w-]+)' argument is ambiguous/.exec(message);
  if (!typed) return undefined;
  const name = typed[1] === '--' ? typed[2] : shortName(typed[2]);
  if (name === undefined) return undefined;
  // The first word after this flag (alone, or last of a bundle such as `-Vo`) that starts with `-`: node:util stops
  // at it.
  const flag = typed[1] === '--' ? new RegExp(`^--${name}$`) : new RegExp(`^-[A-Za-z]*${typed[2]}$`);
  const end = args.indexOf('--');
  const at = (end === -1 ? args : args.slice(0, end)).findIndex(
    (word, i) => flag.test(word) && /^-./.test(args[i + 1] ?? ''),
  );
  const value = at === -1 ? undefined : args[at + 1];
  if (value === undefined) return undefined;
  return typedIn([value], DEFINITIONS).size > 0 ? noValue(name) : fileFlagValue(name, value);
}

/**
 * The flags in `args` (node:util's words, before any `--`) that lint does not know, in order, as oclif names them: a
 * long one as typed; in a short word, from its first unknown letter on (`-Vnq` names `-nq`, after the known `-V`). A
 * value is skipped: the word after a flag that takes one, the rest of a short word after its letter (`-terror`).
 */
function unknownFlags(args: string[]): string[] {
  const options: Record<string, { type: string; short?: string }> = OPTIONS;
  const unknown: string[] = [];
  for (let i = 0; i < args.length && args[i] !== '--'; i++) {
    const long = /^--([^=]+)(=?)/.exec(args[i]);
    if (long) {
      const option = Object.hasOwn(options, long[1]) ? options[long[1]] : undefined;
      if (!option) unknown.push(args[i]);
      else if (option.type === 'string' && !long[2]) i++;
      continue;
    }
    if (!/^-[^-]/.test(args[i])) continue;
    for (let at = 1; at < args[i].length; at++) {
      const name = shortName(args[i][at]);
      if (name === undefined) {
        unknown.push(`-${args[i].slice(at)}`);
        break;
      }
      if (options[name].type === 'string') {
        if (at === args[i].length - 1) i++;
        break;
      }
    }
  }
  return unknown;
}

/**
 * Why a lint run failed on its findings: `2 findings at or above warning`, as the gate words its failOn. Files whose
 * configs fail on different severities are counted by severity (`1 finding at or above error and 2 findings at or
 * above info`).
 */
export function lintFailure(report: Report): string {
  const failing = new Map<string, number>();
  for (const target of report.targets) {
    const failOn = target.failOn ?? report.failOn;
    const count = target.findings.filter((f) => findingFails(f, failOn)).length;
    // No failOn: every finding fails, as it does at or above the lowest severity.
    const level = failOn ?? 'style';
    if (count > 0) failing.set(level, (failing.get(level) ?? 0) + count);
  }
  return listed([...failing].map(([level, count]) => findingsAtOrAbove(count, level)));
}

/** The report formats that list the paths a run could not read (JSON's `unreadable`, SARIF's invocations, ...). */
const LISTS_UNREADABLE: readonly string[] = ['json', 'sarif', 'junit', 'checkstyle', 'github'];

/**
 * The files a batch could not read, as both `lint` entries (this fast path, the oclif command) print them: one error
 * line each, with its hint, on stderr after the report; with -o before the report is written, since a report that
 * cannot be written would take them with it. `print` writes them once, however often called.
 */
export function unreadableFiles(result: LintResult, debug: boolean, stderr: (text: string) => void) {
  const lines = result.errors.map((error) => `${formatError(error, debug)}\n`);
  let printed = false;
  return {
    print(): void {
      if (printed) return;
      printed = true;
      for (const line of lines) stderr(line);
    },
    /**
     * When no file was linted, a `format` that lists the paths not read still gets its report (a CI job reading it
     * would otherwise find nothing, or the previous run's): undefined, as for a batch. Another format has nothing to
     * say: every line but the last is printed and the last error returned, for the caller to throw as the run's
     * failure (its own line, exit 2).
     */
    onlyErrors(format: string): BallastError | undefined {
      if (result.linted > 0 || result.errors.length === 0 || LISTS_UNREADABLE.includes(format)) return undefined;
      printed = true;
      for (const line of lines.slice(0, -1)) stderr(line);
      return result.errors.at(-1);
    },
  };
}

/**
 * Whether `--fix-dry-run` prints its diff on stderr: when the report is a document (JSON, SARIF, XML, Codacy's JSON
 * lines) on stdout, which a diff in front of it would leave unparseable. Otherwise it goes on stdout, before the report.
 */
export function dryRunDiffOnStderr(format: string, json: boolean | undefined, output: string | undefined): boolean {
  return !output && (Boolean(json) || !TEXT_FORMATS.includes(format));
}

/**
 * Refuses (exit 2, before anything is read or fixed) a report file that would overwrite what lint reads: a Dockerfile
 * named (`lint F -o F` replaced it with the report; with --fix, after fixing it), one a directory named would be
 * linted for, the config file read, or the --image. Another file in a linted directory is a report's usual place
 * (`lint . -o ballast.sarif`).
 */
export async function refuseLintOverwrite(
  output: string | undefined,
  flag: string,
  { files, cwd, config, image }: { files: string[]; cwd: string; config?: string; image?: string },
): Promise<void> {
  if (!output) return;
  const named = files.length > 0 ? files : ['Dockerfile', 'Containerfile'];
  const inputs: ReadPath[] = [
    ...named.map((path) => ({
      path,
      what: 'the Dockerfile',
      within: {
        holds: (inside: string) => isDockerfileName(basename(inside)),
        what: 'a Dockerfile lint reads in',
        hint: "give the report a name a Dockerfile's is not, such as ballast.txt",
        // Nothing is overwritten, but the report would be linted as a Dockerfile by the next run.
        unborn: { what: 'named as a Dockerfile lint reads in', why: 'a later lint of it would read the report as one' },
      },
    })),
    ...configCandidates(cwd, config).map((path) => ({ path, what: 'the config file' })),
    ...(image ? [{ path: image, what: 'the image', image: true }] : []),
  ];
  await refuseOverwrites([{ path: output, flag, what: 'the report' }], inputs, cwd);
}

/**
 * The fix flags' conflicts, refused before anything is linted: `--fix` on stdin prints the fixed file on stdout, so a
 * JSON result cannot go there too (only to -o FILE); and `--fix` with `--fix-dry-run`.
 */
export function checkFixFlags(
  files: string[],
  fix: boolean | undefined,
  json: boolean | undefined,
  output: string | undefined,
  dryRun?: boolean,
): void {
  // Both given, the dry run won without a word: a user who added --fix to a --fix-dry-run command line to apply the
  // diff got the diff again and an unchanged file. Refused, as eslint refuses the pair.
  if (fix && dryRun) {
    throw new UsageError(
      '--fix and --fix-dry-run ask for opposite things: --fix writes the fixes, --fix-dry-run only prints them',
      {
        code: 'usage',
        hint: 'pass one of them: --fix-dry-run to see the diff, --fix to apply it',
      },
    );
  }
  if (fix && json && !output && files.includes('-')) {
    throw new UsageError('--fix on stdin prints the fixed file on stdout, so --json cannot print there as well', {
      code: 'usage',
      hint: 'write the report to a file: --json -o report.json',
    });
  }
}

async function packageVersion(): Promise<string> {
  try {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function defaultIo(): LintCliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => buffer(process.stdin),
    cwd: process.cwd(),
    env: process.env,
    color: colorEnabled(process.stdout),
    stderrColumns: process.stderr.isTTY ? process.stderr.columns : undefined,
  };
}
