// oclif's flag and argument errors in ballast's form, shared by main.ts (the line printed) and `ci` (its reports).
import { Errors } from '@oclif/core';
import { BallastError, UsageError } from '../errors.js';
import { failOnRuleHint } from '../fail-on-rule.js';
import { closeWords, didYouMeanAll, didYouMeanValue, flagName, unknownFlagsText } from '../flag-suggest.js';

/**
 * Where the web page is, for a ci asked for HTML (`--format html`, `--output html=...`, `-o report.html`): a team sharing
 * the gate's findings looked for it in ci, whose reports are for CI systems and logs; the page is analyze's.
 */
export const CI_HTML_HINT =
  "ci has no HTML report: the web page is analyze's (ballast analyze IMAGE --format html -o report.html, with the same --dockerfile)";

/**
 * oclif's flag and argument errors in ballast's form: one line and a hint. Their text spans lines, ends in "See more
 * help with --help", may open with "The following error occurred:" and, for a missing argument, explains at length
 * how flags with several values take arguments.
 */
export function usageError(error: unknown, argv: string[], commands: () => readonly string[] = () => []): unknown {
  if (!(error instanceof Errors.CLIError) || error instanceof BallastError) return error;
  const unknown = /^command (\S*) not found\.?$/i.exec(error.message); // `help X` says "Command X not found."
  if (unknown) {
    // oclif joins the words it could not place with its topic separator: `ballast analyse x.tar` is "analyse:x.tar".
    // `ballast ""` (an empty variable as the command) names nothing: shown as the empty word it is.
    const name = unknown[1].split(':')[0] || '""';
    const close = closeWords(name, commands()).map((c) => `\`ballast ${c}\``);
    return new UsageError(`no command ${name}`, {
      code: 'usage',
      hint: `${close.length > 0 ? `did you mean ${close.join(' or ')}? ` : ''}run \`ballast --help\` for the commands`,
    });
  }
  const lines = error.message.split('\n').map((l) => l.trim());
  const command = argv.find((a) => !a.startsWith('-'));
  const hint = `run \`ballast ${command ? `${command} ` : ''}--help\` for its flags and arguments`;
  // A flag last on the line without its value: oclif's one line ("Flag --x expects a value", or "expects one of these
  // values: …" for a flag with options) has no hint.
  const noValue = /^Flag (--?\S+) (expects (?:a value|one of these values: .+))$/.exec(lines[0]);
  if (noValue && lines.length === 1)
    return new UsageError(`${noValue[1]} ${noValue[2]}`, {
      code: 'usage',
      // `diff A B -o` from container-diff, where -o sorts by size: here it is the report file.
      hint:
        command === 'diff' && noValue[1] === '--output' && argv.includes('-o') ? `${CONTAINER_DIFF_O}; ${hint}` : hint,
    });
  // oclif's one line for a flag given twice that takes one value ("Flag --format can only be specified once").
  const twice = /^Flag (--?\S+) can only be specified once$/.exec(lines[0]);
  if (twice && lines.length === 1)
    return new UsageError(`${twice[1]} given more than once: it takes one value`, { code: 'usage', hint });
  if (lines.at(-1) !== 'See more help with --help') return error;
  const missing = /^Missing \d+ required args?:$/.exec(lines[0]);
  if (missing) {
    // "image  the image to analyze": each missing argument, then its description.
    const names = lines
      .slice(1)
      .filter((l) => /^\S+ {2,}\S/.test(l))
      .map((l) => l.split(/ {2,}/)[0].toUpperCase());
    return new UsageError(`missing ${names.join(' and ') || 'an argument'}`, { code: 'usage', hint });
  }
  // The words oclif could not place, as given: its message joins them as they are, so an empty word or one of blanks
  // (`ci IMG $'\n'`) showed as nothing; they are named quoted, and looked up in argv as given.
  const unexpected = unexpectedArgs(error);
  const text = lines
    .slice(0, -1)
    .filter((l) => l !== '' && !/^The following errors? occurred:$/.test(l))
    .join(' ')
    // "Parsing --workers Expected an integer greater than or equal to 0 but received: -1": the flag, then what it takes.
    // A value set by the variable is named by it (`Parsing $BALLAST_WORKERS …`, see BaseCommand's namedBySource).
    // An empty value (`--timeout ''`, `--top=`) leaves "received:" at the end of the line: said as empty.
    .replace(
      /^Parsing (--?\S+|\$BALLAST_\w+) Expected (.+) but received:(?: (.*))?$/,
      (_, flag: string, takes: string, given: string | undefined) =>
        `${flag} expects ${takes}, not ${given ? given : 'an empty value'}`,
    );
  // A rule code given to --fail-on is told how to make that rule fail the run (fail-on-rule.ts).
  const failOn = /^Expected (--fail-on|\$BALLAST_FAIL_ON)=(\S+) to be one of/.exec(text);
  const misspelt = unknownFlags(error);
  const suggestion = misspelt && didYouMeanAll(misspelt.given, misspelt.names);
  // Each unknown flag named without its value (see flagName).
  const named =
    misspelt && /^Nonexistent flags?:/.test(text)
      ? unknownFlagsText(misspelt.given)
      : unexpected
        ? `Unexpected argument${unexpected.length === 1 ? '' : 's'}: ${unexpected.map((a) => JSON.stringify(a)).join(', ')}`
        : text;
  // dive's and container-diff's flags: what ballast does instead. One such flag alone is named as the other tool's.
  const foreign = misspelt ? fromOtherTools(command, misspelt.given) : [];
  if (foreign.length > 0) {
    const alone = foreign.length === 1 && new Set(misspelt!.given.map(flagName)).size === 1;
    return new UsageError(alone ? `${foreign[0].flag} is ${foreign[0].tool}'s flag, not ballast's` : named, {
      code: 'usage',
      hint: `${foreign.map((f) => (alone ? f.instead : `${f.flag}: ${f.instead}`)).join('; ')}; ${hint}`,
    });
  }
  // `ci IMAGE --json out.json` from dive, whose --json takes the file to write.
  const jsonFile = unexpected?.[0] !== undefined && /^\S+\.json$/i.test(unexpected[0]) ? unexpected[0] : undefined;
  if (jsonFile && argv[argv.indexOf(jsonFile) - 1] === '--json')
    return new UsageError(named, {
      code: 'usage',
      hint: `dive's --json FILE is ${command === 'ci' ? `\`--output json=${jsonFile}\`` : `\`--json -o ${jsonFile}\``} here (--json alone prints to stdout); ${hint}`,
    });
  // A value that is none of a flag's options (`--fail-on warnings`, `BALLAST_FORMAT=jsonn`): the closest one, as a
  // config file's typo is told.
  const option = /^Expected \S+?=(.*) to be one of: (.+)$/.exec(text);
  // dive's `--source docker-archive IMAGE.tar`: here the archive is named by the argument itself.
  const archive =
    /^Expected (--source|\$BALLAST_SOURCE)=docker-archive to be one of/.test(text) &&
    "dive's --source docker-archive is the image argument here: a plain path (app.tar) or docker-archive://PATH; " +
      hint;
  const html =
    command === 'ci' && /^Expected (--format|\$BALLAST_FORMAT)=html to be one of/i.test(text)
      ? `${CI_HTML_HINT}; ${hint}`
      : undefined;
  // `ci api.tar worker.tar`: a team gating several images is told how, not only that the second word is too many.
  const images =
    command === 'ci' && unexpected
      ? `ci checks one image a run: run it once for each image (ci.images in .ballast.yaml sets budgets per image); ${hint}`
      : undefined;
  // `diff A B -tj file`: the j went to -t as its value, so `file` is one argument too many.
  const extra = unexpected?.[0];
  const bundle =
    command === 'diff' && extra !== undefined ? bundledAfterValue(argv, argv.indexOf(extra) - 1) : undefined;
  return new UsageError(named, {
    code: 'usage',
    hint:
      (bundle && `${bundle}; ${hint}`) ??
      images ??
      html ??
      (archive || undefined) ??
      (failOn && failOnRuleHint(failOn[1], failOn[2])) ??
      (suggestion ? `${suggestion} ${hint}` : option ? didYouMeanValue(option[1], option[2].split(', '), hint) : hint),
  });
}

/**
 * What the word at `at` (`-tj`) means when its letters after diff's -t are -j's, which a user bundling `-t` and `-j`
 * may have meant as both flags: a short flag that takes a value takes the rest of its word, as getopt (and
 * container-diff's flag parser) read it, so `-tj` is `-t j`. Undefined for any other word.
 */
export function bundledAfterValue(argv: string[], at: number): string | undefined {
  const word = argv[at];
  if (word === undefined || (argv.indexOf('--') !== -1 && argv.indexOf('--') < at)) return undefined;
  const letters = /^-t(j+)$/.exec(word)?.[1];
  if (!letters) return undefined;
  return `${word} is -t ${letters}: -t takes the rest of its word as its value; for --json and -t SECTION write -jt SECTION (or -j -t SECTION)`;
}

/** What container-diff's -o (sort by size) is here. */
const CONTAINER_DIFF_O =
  "-o is --output here, the report file; container-diff's -o (--order) is not needed: diff lists files and packages biggest first";

/** Not needed: what container-diff's -q (--quiet) would hush. */
const QUIET =
  'not needed: the progress bar shows only on a terminal, and notes go to stderr (`2>/dev/null` hides them)';

/**
 * Flags of the tools ballast stands in for (dive, container-diff) that it has under another name or does not need, by
 * command: a command line moved over is told what to type instead, not only "Nonexistent flag". Those that mean the
 * same here are accepted instead (diff's -j and -t, ci's --ci and dive's rule flags, `--source docker`).
 */
const FROM_OTHER_TOOLS: Record<string, Record<string, { tool: 'dive' | 'container-diff'; instead: string }>> = {
  analyze: {
    '-j': { tool: 'dive', instead: 'write the JSON report with `--json -o FILE` (--json alone prints it)' },
    '--ci': { tool: 'dive', instead: "dive's CI mode is `ballast ci IMAGE`" },
    '--ci-config': { tool: 'dive', instead: '`ballast ci IMAGE --ci-config FILE` reads it' },
    '--lowestEfficiency': { tool: 'dive', instead: '`ballast ci IMAGE` takes it' },
    '--highestWastedBytes': { tool: 'dive', instead: '`ballast ci IMAGE` takes it' },
    '--highestUserWastedPercent': { tool: 'dive', instead: '`ballast ci IMAGE` takes it' },
  },
  ci: {
    '-j': { tool: 'dive', instead: 'write the JSON report with `--output json=FILE` (--json alone prints it)' },
  },
  explore: {
    '-j': { tool: 'dive', instead: '`ballast analyze IMAGE --json -o FILE` writes the analysis as JSON' },
  },
  diff: {
    '--order': { tool: 'container-diff', instead: 'not needed: diff lists files and packages biggest first' },
    '-n': { tool: 'container-diff', instead: 'use --no-cache' },
    '-q': { tool: 'container-diff', instead: QUIET },
    '--quiet': { tool: 'container-diff', instead: QUIET },
    '-w': { tool: 'container-diff', instead: 'write the report with -o FILE' },
    '-c': { tool: 'container-diff', instead: 'set BALLAST_CACHE_DIR to choose the cache folder' },
    '--cache-dir': { tool: 'container-diff', instead: 'set BALLAST_CACHE_DIR to choose the cache folder' },
    '-s': { tool: 'container-diff', instead: 'not needed: layers are read as streams, and nothing is extracted' },
    '--save': { tool: 'container-diff', instead: 'not needed: layers are read as streams, and nothing is extracted' },
  },
};

/** The unknown flags `given` to `command` that are dive's or container-diff's, each once (FROM_OTHER_TOOLS). */
function fromOtherTools(
  command: string | undefined,
  given: readonly string[],
): { flag: string; tool: string; instead: string }[] {
  const table = FROM_OTHER_TOOLS[command ?? ''] ?? {};
  return [...new Set(given.map(flagName))].flatMap((flag) =>
    Object.hasOwn(table, flag) ? [{ flag, ...table[flag] }] : [],
  );
}

/** The words of oclif's "Unexpected argument" error (its `args`), undefined for any other error. */
function unexpectedArgs(error: Errors.CLIError): string[] | undefined {
  const { args } = error as Errors.CLIError & { args?: unknown };
  if (!/^Unexpected arguments?:/.test(error.message) || !Array.isArray(args)) return undefined;
  const words = args.filter((a): a is string => typeof a === 'string');
  return words.length > 0 ? words : undefined;
}

/** oclif's parse errors carry the command's flag definitions; an unknown flag's error names the flags it did not know. */
interface ParseErrorFields {
  flags?: unknown;
  parse?: { input?: { flags?: Record<string, { name?: string; hidden?: boolean; allowNo?: boolean }> } };
}

/** The unknown flags oclif found, and the command's visible flags they may have been meant to be. */
function unknownFlags(error: Errors.CLIError): { given: string[]; names: string[] } | undefined {
  const { flags: unknown, parse } = error as Errors.CLIError & ParseErrorFields;
  const defined = parse?.input?.flags;
  if (!Array.isArray(unknown) || defined === undefined) return undefined;
  const given = unknown.filter((g): g is string => typeof g === 'string');
  if (given.length === 0) return undefined;
  const names = Object.entries(defined)
    .filter(([, f]) => !f.hidden)
    .flatMap(([key, f]) => [f.name ?? key, ...(f.allowNo ? [`no-${f.name ?? key}`] : [])]);
  return { given, names };
}
