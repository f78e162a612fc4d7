// What every command shares: printing a rendered report (or nothing under --json), colour, exit codes.
import { closeSync, openSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Command, Errors, type Interfaces } from '@oclif/core';
import { versioned } from '../reporters/json.js';
import { columnsFromEnv, defaultFormatNote, noteText, noteWidth } from '../note.js';
import { cannotWrite, formatError, UsageError } from '../errors.js';
import { configCandidates } from '../config/load.js';
import { isFifo, makeParentsSync, refuseOverwrites, writeOutputFile, type ReadPath } from '../output-file.js';
import {
  asTyped,
  fileFlagValue,
  flagSources,
  isFlagWithValue,
  jsonChosen,
  jsonSpeltOut,
  jsonWithFormat,
  outputFlagNamed,
  switchesWithValues,
  switchValue,
  typedIn,
  type FlagDefinitions,
  type SourceOf,
} from '../flag-sources.js';
import { colorEnabled } from '../report/color.js';
import { printableAs } from '../report/printable.js';
import { writePiecesToStdout } from '../stdout-pieces.js';

// oclif's FlagOutput and ArgOutput, which it does not export.
type Output = { [name: string]: unknown };

export abstract class BaseCommand extends Command {
  static enableJsonFlag = true;

  /**
   * Whether `--format json` (or $BALLAST_FORMAT=json) is this command's --json: set by the commands whose other
   * formats are reports of the result (analyze, diff, bases), so the one spelling works for every command that has a
   * --format. ci, explore and lint write their own JSON for it and leave this off.
   */
  static formatIsJson = false;

  /**
   * Whether the command's --json result carries `schemaVersion` (all but lint and rules: see JSON_SCHEMA_VERSION).
   */
  static versionedJson = false;

  protected override toSuccessJson(result: unknown): unknown {
    const versionedJson = (this.ctor as typeof BaseCommand).versionedJson;
    return versionedJson && typeof result === 'object' && result !== null && !Array.isArray(result)
      ? versioned(result)
      : result;
  }

  /**
   * Notes for people go to stderr, never into the result on stdout, wrapped to COLUMNS or stderr's terminal (noteText).
   */
  protected notice = (message: string): void => {
    process.stderr.write(noteText(message, noteWidth(process.env, process.stderr)));
  };

  /**
   * Notes a report file (-o) whose extension names another of the command's --format values than the report written
   * there (`defaultFormatNote`): `analyze img -o report.html` wrote text there with no word. `format` is the --format
   * value in effect. A format typed on the command line (--format, --json) is what the user meant: no note. One set by
   * a variable for the whole job ($BALLAST_FORMAT, $BALLAST_CONTENT_TYPE) was not chosen for this file, so it is noted,
   * naming the variable, unless the file's name fits it. `ask` and `spell` say how the command asks for another format.
   */
  protected noteDefaultFormat(
    output: string | undefined,
    format: string,
    ask = 'pass',
    spell = (format: string) => (format === 'json' ? '--format json (or --json)' : `--format ${format}`),
    elsewhere?: Record<string, string>,
  ): void {
    const flag = this.ctor.flags?.format as { env?: string; options?: readonly string[] } | undefined;
    if (!output || !flag?.options || this.typedFormat !== undefined || this.jsonTyped()) return;
    const json = this.jsonEnabled();
    // Under --json's variable the report is JSON whatever $BALLAST_FORMAT says (unless that says json too).
    const name =
      json && process.env[flag.env ?? '']?.toLowerCase() !== 'json'
        ? 'BALLAST_CONTENT_TYPE'
        : flag.env && process.env[flag.env]
          ? flag.env
          : undefined;
    const setBy = name ? `$${name}=${process.env[name]}` : undefined;
    const note = defaultFormatNote(output, flag.options, json ? 'json' : format, setBy, ask, spell, elsewhere);
    if (note) this.notice(note);
  }

  /**
   * Whether a text report is coloured. One written to a file (`-o FILE`) never is, whatever stdout is: the file is
   * read later, by a person in an editor or by a CI step, not by the terminal that ran the command.
   */
  protected color(output?: string): boolean {
    return !output && colorEnabled(process.stdout);
  }

  /**
   * The width a text report is laid out to: COLUMNS when set (as `COLUMNS=80 ballast analyze img | less` or a CI log
   * of a known width asks, and as GNU tools read it), else the terminal's on stdout; a file (`-o FILE`) gets the
   * reporters' default, the same as `> FILE` gives, not a layout cut to whatever terminal happened to run the command.
   */
  protected width(output?: string): number | undefined {
    return columnsFromEnv() ?? (output ? undefined : process.stdout.columns);
  }

  /**
   * Prints a rendered text report unless --json is set (oclif prints the returned result then, to `output` when
   * given). With `output`, writes it to that file instead. A render may hand its text over in pieces (a large JSON
   * document): each piece is written as it comes, so the whole text never sits in memory. `format` names what the
   * text is: a text format is made printable, a document (JSON, SARIF, XML, HTML) is written as its reporter made it.
   */
  protected async emit(render: () => string | Iterable<string>, output?: string, format = 'text'): Promise<void> {
    if (this.jsonEnabled()) {
      // `--json -o FILE` writes the JSON there, as the other formats are written: oclif prints it after run().
      if (output) this.jsonFile = output;
      return;
    }
    const text = render();
    if (typeof text !== 'string') {
      const pieces = (function* () {
        yield* text;
        yield '\n';
      })();
      if (output) return this.write(output, pieces);
      return writePiecesToStdout(pieces);
    }
    // Reports quote the image's names and history: control characters in them are shown, not obeyed.
    const safe = printableAs(format, text);
    if (output) return this.write(output, safe.endsWith('\n') ? safe : `${safe}\n`);
    this.log(safe);
  }

  /**
   * --json with a --format typed beside it that is not JSON asks for two reports: refused (exit 2) before any image
   * is opened (see `jsonWithFormat`). $BALLAST_FORMAT is a default nobody typed on this command line: --json wins
   * over it.
   */
  protected refuseJsonWithFormat(): void {
    const conflict = jsonWithFormat(this.jsonEnabled(), this.typedFormat, this.id ?? '');
    if (conflict) throw conflict;
  }

  /**
   * Whether the result is printed as JSON (`jsonChosen`): oclif's own answer (--json, or $BALLAST_CONTENT_TYPE=json)
   * unless a --format typed on this command line wins over the variable; --json typed beside such a --format is
   * refused.
   */
  override jsonEnabled(): boolean {
    if (this.formatJson) return true;
    if (!super.jsonEnabled()) return false;
    return jsonChosen(this.jsonTyped(), this.typedFormat, process.env);
  }

  /** Whether --json is on the command line (before `--`), not only set by $BALLAST_CONTENT_TYPE. */
  protected jsonTyped(): boolean {
    const end = this.argv.indexOf('--');
    return (end === -1 ? this.argv : this.argv.slice(0, end)).includes('--json');
  }

  /**
   * Refuses (exit 2) a report file that would overwrite what the command reads: its images, its Dockerfile, the
   * config file it would read (`--config`, else the one found upward). Called before anything is read.
   */
  protected async refuseOverwrite(output: string | undefined, inputs: ReadPath[], config?: string): Promise<void> {
    if (!output) return;
    const configs = configCandidates(process.cwd(), config).map((path) => ({ path, what: 'the config file' }));
    await refuseOverwrites([{ path: output, flag: this.outputFlag(), what: 'the report' }], [...inputs, ...configs]);
  }

  /** How errors name the report file's flag: as typed (`-o` or `--output`), or its variable when that set it. */
  protected outputFlag(): string {
    return outputFlagNamed(this.argv, this.sourceOf('output'));
  }

  /** The --format typed on the command line (not its variable's), once parsed. */
  protected typedFormat?: string;

  /** `--format json` (typed or by its variable) on a command whose --format json is --json (`formatIsJson`). */
  private formatJson = false;

  /** The file --json goes to instead of stdout (-o). */
  private jsonFile?: string;

  private async write(output: string, data: string | Iterable<string>): Promise<void> {
    try {
      await writeOutputFile(output, data);
    } catch (error) {
      throw cannotWrite(output, error);
    }
  }

  /**
   * oclif colours --json output by first cutting the text into one token object per string, number and brace; for
   * a large result (explore on a 45k-file image prints 10 MB) that costs more memory than the analysis itself.
   * Colour is for a person at a terminal, so only a terminal pays for it; a pipe or a file gets the same text as is.
   */
  override logJson(json: unknown): void {
    if (!this.jsonFile && process.stdout.isTTY && this.color()) return super.logJson(json);
    // In pieces (the same text as JSON.stringify(json, null, 2)): the whole document is never one string either.
    // json-ext is required here, not imported up front: loading it is some 10 ms of every command's start, most of
    // which print no JSON (`ballast lint --help`, a text report).
    const { stringifyChunked } = createRequire(import.meta.url)(
      '@discoveryjs/json-ext',
    ) as typeof import('@discoveryjs/json-ext');
    const pieces = stringifyChunked(json, null, 2);
    if (this.jsonFile && isFifo(this.jsonFile)) {
      // A named pipe waits for its reader: written on the event loop (see writeOutputFile), where a synchronous write
      // would hold the process past Ctrl-C. oclif does not wait for logJson, so its failure is printed here.
      const path = this.jsonFile;
      const text = (function* () {
        yield* pieces;
        yield '\n';
      })();
      void writeOutputFile(path, text).catch((error: unknown) => {
        process.exitCode = 2;
        process.stderr.write(`${formatError(cannotWrite(path, error), false)}\n`);
      });
      return;
    }
    if (this.jsonFile) return writeInPieces(this.jsonFile, pieces);
    // oclif does not wait for logJson: main waits for these writes (stdoutPiecesWritten).
    void writePiecesToStdout(
      (function* () {
        yield* pieces;
        yield '\n';
      })(),
    );
  }

  /**
   * How errors and reports name where a flag's value came from: `--name` when the command line has the flag (which
   * wins over its variable), else its variable (`$BALLAST_TOP`), so a value nobody typed is traced to the environment
   * that set it. Set by `parse`.
   */
  protected sourceOf: SourceOf = asTyped;

  /**
   * Whether `-o -` was given: `parse` drops the flag, stdout being where the report goes anyway, but explore prints
   * rather than opening its view when -o is given. Set by `parse`.
   */
  protected outputIsStdout = false;

  /**
   * oclif's parse, with every repeatable flag set by its variable turned into a list (see `envList`), on/off flags
   * given a value (`--deep=false`) read as that value (see `switchesWithValues`), and `sourceOf` set. oclif names a
   * flag in its own errors (`Expected --format=x to be one of`) even when its variable set it: those errors name the
   * variable instead.
   */
  protected override async parse<F extends Output, B extends Output, A extends Output>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const definitions = options?.flags ?? this.ctor.flags ?? {};
    // oclif adds --json to the command's flags itself.
    const named = {
      ...(this.ctor.enableJsonFlag ? { json: { type: 'boolean' } } : {}),
      ...definitions,
    } as FlagDefinitions;
    const given = argv ?? this.argv;
    const switched = switchesWithValues(given, named);
    // A command whose --json has a letter (`diff -j`, container-diff's): oclif's jsonEnabled() looks for the word
    // `--json`, so the letter is spelt out, also where it is bundled (`-jt file`).
    switched.argv = jsonSpeltOut(switched.argv, named);
    // oclif reads --json from this.argv (jsonEnabled), so `--json=false` must be gone from there too.
    if (!argv) this.argv = switched.argv;
    const typed = typedIn(given, named);
    const switches = switchesFromEnv(definitions, typed);
    let parsed: Interfaces.ParserOutput<F, B, A>;
    try {
      parsed = await super.parse(options, switched.argv);
      // A value written joined to its flag (`--output=--format=json`, `-o=-n`, `-o-n`, last of a bundle: `-Vo=-n`) is
      // the value the user meant.
      const joined = (flag: string, value: string): boolean => {
        const char = named[flag]?.char;
        const short = char === undefined ? [] : [`${char}=${value}`, `${char}${value}`];
        return given.some(
          (w) =>
            w === `--${flag}=${value}` ||
            short.some((end) => w.endsWith(end) && /^-[A-Za-z]*$/.test(w.slice(0, -end.length))),
        );
      };
      const flagTokens = parsed.raw.flatMap((t) => (t.type === 'flag' ? [t as { flag: string; input: string }] : []));
      // Refused as oclif refuses a flag written alone there (`-o --json`), so the error reads the same.
      const taken = flagTokens.find((t) => isFlagWithValue(t.input, named) && !joined(t.flag, t.input));
      if (taken) throw new Errors.CLIError(`Flag --${taken.flag} expects a value`);
      // `diff A B -o -n`, `analyze X -o --type=file`: oclif takes a word it does not know as a flag for the value, and
      // the report went to a file named `-n`. A file flag's value that looks like a flag is refused unless joined.
      const refused = flagTokens
        .map((t) => (joined(t.flag, t.input) ? undefined : fileFlagValue(t.flag, t.input)))
        .find((e) => e !== undefined);
      if (refused) throw refused;
    } catch (error) {
      throw namedBySource(error, flagSources(typed, named));
    }
    const typedFlags = new Set([
      ...parsed.raw.flatMap((token) => (token.type === 'flag' ? [token.flag] : [])),
      ...switched.off,
    ]);
    this.sourceOf = flagSources(typedFlags, named);
    const flags = parsed.flags as Record<string, unknown>;
    if (typedFlags.has('format') && typeof flags.format === 'string') this.typedFormat = flags.format;
    if ((this.ctor as typeof BaseCommand).formatIsJson && flags.format === 'json') this.formatJson = true;
    for (const [name, flag] of Object.entries(definitions)) {
      if (flag.type === 'option' && flag.multiple && flag.env && typeof flags[name] === 'string')
        flags[name] = envList(flags[name]);
    }
    Object.assign(flags, switches);
    // `-o -` is standard output, as for every other tool (it wrote a file named `-`); `./-` names that file. ci's
    // repeatable --output (FORMAT=PATH) is a list, not this.
    if (flags.output === '-') {
      flags.output = undefined;
      this.outputIsStdout = true;
    }
    // Typed off (`--deep=false`): off whatever the flag's variable says, as `--no-NAME` would be.
    for (const name of switched.off) flags[name] = false;
    return parsed;
  }

  // Failures are printed once, as one line, by main.ts.
  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    throw error;
  }
}

/**
 * The on/off flags set by their variable and not typed. oclif reads such a variable as on for 1/true/yes/y and as
 * off for anything else, so `BALLAST_NO_CACHE=on` quietly used the cache and `BALLAST_DEEP=on` skipped the deep walk:
 * `on`/`off` are read as they read, and any other value is an error rather than a silent off. (Empty is unset.)
 */
function switchesFromEnv(definitions: Record<string, unknown>, typed: Set<string>): Record<string, boolean> {
  const values: Record<string, boolean> = {};
  for (const [name, flag] of Object.entries(definitions as Record<string, { type?: string; env?: string }>)) {
    const text = flag.type === 'boolean' && flag.env && !typed.has(name) ? process.env[flag.env] : undefined;
    if (!text) continue;
    const value = switchValue(text);
    if (value !== undefined) values[name] = value;
    else
      throw new UsageError(`$${flag.env}=${text} is neither on nor off`, {
        code: 'usage',
        hint: `set it to 1, true, yes or on (0, false, no or off), or unset it; --${name} on the command line wins over it`,
      });
  }
  return values;
}

/** oclif's error about a flag set by its variable, naming the variable (`Parsing $BALLAST_TOP Expected an integer`). */
function namedBySource(error: unknown, sourceOf: SourceOf): unknown {
  if (!(error instanceof Errors.CLIError)) return error;
  // A flag typed with three dashes (`---top`) is another word, named as typed.
  error.message = error.message.replace(/(?<![\w-])--([a-z][\w-]*)(?![\w-])/g, (flag, name: string) =>
    sourceOf(name).startsWith('$') ? sourceOf(name) : flag,
  );
  return error;
}

/** oclif calls logJson without waiting for it, so the file is written synchronously, a piece at a time. */
function writeInPieces(path: string, pieces: Iterable<string>): void {
  let fd: number | undefined;
  try {
    makeParentsSync(path);
    fd = openSync(path, 'w');
    for (const piece of pieces) writeSync(fd, piece);
    writeSync(fd, '\n');
  } catch (error) {
    throw cannotWrite(path, error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The values of a repeatable flag given by its BALLAST_* variable. oclif hands a variable over as one string, where
 * the command expects the list it gets from repeated flags; one variable carries several values separated by commas
 * or newlines (`BALLAST_IGNORE_RULE=IM001,DF003`, as `--ignore-rule IM001,DF003`). A comma inside {braces} is part of
 * a glob (`**\/*.{pyc,pyo}`), and `\,` is a comma inside a value.
 */
export function envList(value: string): string[] {
  const values: string[] = [];
  let current = '';
  let braces = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && value[i + 1] === ',') {
      current += ',';
      i++;
    } else if (c === '\n' || (c === ',' && braces === 0)) {
      values.push(current);
      current = '';
    } else {
      if (c === '{') braces++;
      else if (c === '}' && braces > 0) braces--;
      current += c;
    }
  }
  values.push(current);
  return values.map((v) => v.trim()).filter(Boolean);
}
