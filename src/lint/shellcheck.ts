// ShellCheck inside `ballast lint`, run the way hadolint runs it: each shell-form RUN of a POSIX shell becomes a script
// with a shebang from the SHELL in effect and the stage's ARG/ENV names (and the RUN's secret `env=` names) declared (so
// they are not SC2154), and the findings come back as SC#### at the Dockerfile line they point to. Each script is in
// its own file, so every script is analysed alone (as hadolint does), and one shellcheck process checks many of them:
// all of one Dockerfile's, or, for a run of many Dockerfiles, a share of all their scripts, a few processes at once
// (shellcheckBatch).
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { PROXY_ARGS } from '../dockerfile/build-args.js';
import { sourceLines, type Instruction, type ParsedDockerfile } from '../dockerfile/parse.js';
import { mountsOf } from '../dockerfile/mount.js';
import { binShAt, type StageModel } from '../dockerfile/stages.js';
import {
  dialectOf,
  heredocInterpreter,
  runDialect,
  scriptShell,
  type BinSh,
  type ShellDialect,
} from '../dockerfile/shell.js';
import { BallastError, UsageError } from '../errors.js';
import type { Severity } from '../report/types.js';
import { pragmaShell } from './pragmas.js';
import { splitsPackageList } from './word-splitting.js';
import { forget, removeOnExit, tempWriteError } from '../temp-files.js';

/** One RUN script as ShellCheck reads it, with the Dockerfile line of each of its lines. */
export interface ShellScript {
  instruction: Instruction;
  text: string;
  /** Script line (0-based) -> 1-based Dockerfile line. */
  lines: number[];
  /** How the RUN's shell reads the script (see runDialect). */
  dialect: ShellDialect;
  /** The script is run by BusyBox ash (see BUSYBOX_SUPPORTED), which ShellCheck 0.9 checks as POSIX sh or dash. */
  busybox?: true;
}

/** A ShellCheck comment on one of the scripts, positions already in Dockerfile lines and columns. */
export interface ShellcheckComment {
  script: number;
  code: number;
  level: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type ShellcheckRunner = (scripts: ShellScript[]) => ShellcheckComment[];

// Dialects ShellCheck knows by shebang; any other POSIX shell (ash, busybox) is checked as sh.
const DIALECTS = new Set(['sh', 'bash', 'dash', 'ksh']);
const SHELL_SHEBANG = /^#!\s*(?:\S*\/)?(?:env\s+)?(sh|bash|dash|ksh93|ksh|ash|zsh|mksh|lksh)\b/;
// ksh93's and mksh's other names, which ShellCheck does not know (SC1008, "This shebang was unrecognized", an error)
// and checks as ksh: checked as sh, their `$'...'` was SC3003.
const KSH_NAMES = new Set(['ksh93', 'mksh', 'lksh']);
// hadolint always leaves these out: sourcing files ShellCheck cannot see, and a check about `alias` scoping.
export const EXCLUDED_CODES = ['SC1090', 'SC1091', 'SC2187'];
/**
 * ShellCheck's "In POSIX sh, ... is undefined" (and "In dash, ...") findings for what BusyBox ash does, each checked with
 * BusyBox 1.35.0 (Debian 12's build, with the bash compatibility Alpine's has too): `$'...'` (SC3003), `==` in `[` (SC3014), `++` and `**` in `$((...))` (SC3018, SC3019), echo's `-e` and `-n`
 * (SC3036, SC3037), `let` (SC3039), `local` (SC3043), `source` (SC3046, SC3051), `${x:1:2}` (SC3057) and `${x//a/b}`
 * (SC3060); `set -o pipefail` (SC3040) and read's `-p`, `-t`, `-s`, `-n` and `-r` (SC3045) for those options only.
 * What ash does not have stays reported: arrays, `{a,b}`, `<<<`, `${!x}`, `${x^^}`, `declare`, `+=`, `|&`, `printf
 * %q`; so does `[[ ]]` (SC3010, SC3015): ash has it, but splits and globs an unquoted `$x` in it as `[` does (`x="a
 * b"; [[ $x == "a b" ]]` fails with `b: unknown operand`), which ShellCheck's bash reading would not warn of either.
 */
const BUSYBOX_SUPPORTED = new Set([3003, 3014, 3018, 3019, 3036, 3037, 3039, 3043, 3046, 3051, 3057, 3060]);

/** Whether ShellCheck's comment `c` on a BusyBox ash script is about something ash does (see BUSYBOX_SUPPORTED). */
function busyboxSupports(c: { code: number; message: string }): boolean {
  if (c.code === 3040) return /\bpipefail\b/.test(c.message);
  if (c.code === 3045) return /\bread -[ptsnr]\b/.test(c.message);
  return BUSYBOX_SUPPORTED.has(c.code);
}
// ShellCheck refuses these shells' scripts (SC1071, "only supports sh/bash/dash/ksh"): checked as sh, a zsh script
// would get sh's findings for what zsh does (`[[ ]]`, `$'...'`, arrays).
const UNCHECKED_SHELLS = new Set(['zsh']);

/**
 * The longest RUN script (in bytes) ShellCheck is given. Its time and memory grow faster than a script's length: a
 * chain of `apt-get install x &&` took it 4 s and 400 MB at 16 KB, 11 s and 1.3 GB at 32 KB, 36 s and 4.7 GB at 64 KB,
 * over two minutes at 256 KB (ShellCheck 0.9), and a hostile 3 MB RUN ran until its time limit. Real RUN scripts are a
 * few KB (the lint corpus's longest: 2.8 KB).
 */
export const MAX_SHELLCHECK_SCRIPT_BYTES = 16 * 1024;

/**
 * The deepest nesting of parentheses (`$(`, `(`, `((`) in a script ShellCheck is given. Its time and memory grow
 * steeply with it, well inside MAX_SHELLCHECK_SCRIPT_BYTES: `$(` nested 200 deep took it 1 s and 90 MB, 400 deep 4 s and
 * 340 MB, and a 15 KB RUN of 5000 ran into its time limit at 1 GB (ShellCheck 0.9). Real scripts nest a few levels.
 * Backticks cannot nest that deep in a script of that size: each level doubles the backslashes before them.
 */
export const MAX_SHELLCHECK_NESTING = 100;

/** How deep parentheses nest in `text`, quotes not told apart (a real script has no hundred unmatched `(` in them). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x28) deepest = Math.max(deepest, ++depth);
    else if (c === 0x29 && depth > 0) depth--;
  }
  return deepest;
}

/** The note a lint run prints for a script ShellCheck was not given. */
function tooLargeNote(file: string, script: ShellScript): string {
  const kib = (bytes: number): number => Math.ceil(bytes / 1024);
  return `ShellCheck did not check the RUN at ${file}:${script.instruction.line}: its script is ${kib(Buffer.byteLength(script.text))} KiB, over the ${kib(MAX_SHELLCHECK_SCRIPT_BYTES)} KiB limit (ShellCheck's time and memory grow faster than a script; split the RUN to have it checked)`;
}

/**
 * The RUN scripts of a Dockerfile that ShellCheck should see (ONBUILD RUN included), in file order. A script over
 * MAX_SHELLCHECK_SCRIPT_BYTES is left out, with a note naming it (as `file` names the Dockerfile) added to
 * `leftOut.notes`: left out unsaid, it would read as one ShellCheck found nothing in.
 */
export function shellScripts(
  parsed: ParsedDockerfile,
  stages: StageModel,
  leftOut?: { file: string; notes: string[] },
): ShellScript[] {
  const pragma = pragmaShell(parsed.text);
  // Whether a RUN is a POSIX script is the stage's (its base image and SHELL, below), not the escape character's: a
  // Linux Dockerfile may use `# escape=\`` for its continuations, and a Windows one may keep `\`.
  if (pragma && !/^(\/bin\/)?(sh|bash|dash|ash|ksh)$/.test(pragma)) return [];
  const lines = sourceLines(parsed).map((l) => l.replace(/\r$/, ''));
  const scripts: ShellScript[] = [];
  for (const instruction of parsed.instructions) {
    const run =
      instruction.keyword === 'RUN'
        ? instruction
        : instruction.trigger?.keyword === 'RUN'
          ? instruction.trigger
          : undefined;
    if (!run || run.form === 'exec' || stages.posixShell[instruction.index] === false) continue;
    const names = [
      ...Object.keys(stages.variablesAt[instruction.index] ?? {}),
      ...PROXY_ARGS,
      ...secretEnvNames(run),
    ].filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
    const script = scriptOf(
      run,
      lines,
      stages.shellAt[instruction.index],
      [...new Set(names)],
      parsed.escapeChar,
      binShAt(stages, run.stageIndex),
    );
    if (script && Buffer.byteLength(script.text) > MAX_SHELLCHECK_SCRIPT_BYTES)
      leftOut?.notes.push(tooLargeNote(leftOut.file, script));
    else if (script && nestingDepth(script.text) > MAX_SHELLCHECK_NESTING)
      leftOut?.notes.push(
        `ShellCheck did not check the RUN at ${leftOut.file}:${script.instruction.line}: its script nests parentheses ${nestingDepth(script.text)} deep, over the limit of ${MAX_SHELLCHECK_NESTING} (ShellCheck's time and memory grow steeply with nesting; simplify the RUN to have it checked)`,
      );
    else if (script) scripts.push(script);
  }
  return scripts;
}

/**
 * `RUN --mount=type=secret,id=tok,env=TOKEN`: the builder sets TOKEN to the secret for this RUN only, so the script
 * reads a variable it never assigns.
 */
function secretEnvNames(run: Instruction): string[] {
  return mountsOf(run).flatMap((m) => (m.type === 'secret' && m.options.env ? [m.options.env] : []));
}

function scriptOf(
  run: Instruction,
  lines: string[],
  shell: string | undefined,
  names: string[],
  escapeChar: string,
  binSh: BinSh,
): ShellScript | undefined {
  const body: string[] = [];
  const at: number[] = [];
  const heredoc = run.heredocs[0];
  if (heredoc && run.shellText === heredoc.body) {
    // `RUN <<EOF`: the heredoc body is the script.
    heredoc.body.split('\n').forEach((text, i) => {
      body.push(text.replace(/\r$/, ''));
      at.push(heredoc.line + i);
    });
  } else {
    // The argument text as written, from the line it starts on, so ShellCheck's lines and columns are the Dockerfile's.
    const raw = run.args.split('\n').map((l) => l.replace(/\r$/, ''));
    const first = run.endLine - raw.length + 1;
    const inHeredoc = (line: number): boolean =>
      run.heredocs.some((h) => line >= h.line && line <= h.line + h.body.split('\n').length);
    let continued = false;
    raw.forEach((text, i) => {
      const line = first + i;
      at.push(line);
      if (i === 0) {
        const full = lines[line - 1] ?? '';
        body.push(full.endsWith(text) ? ' '.repeat(full.length - text.length) + text : text);
      } else if (inHeredoc(line)) {
        body.push(text);
        continued = false;
        return;
      } else if (continued && (/^\s*#/.test(text) || text.trim() === '')) {
        // The builder drops comment and empty lines inside a continuation; to the shell they would end the command.
        body.push('\\');
        return;
      } else body.push(text);
      // The builder takes the escape character followed by blanks as a continuation too; the shell would read an escaped
      // blank. Under `# escape=\`` the shell needs its own `\` where the builder saw a continuation.
      continued = text.trimEnd().endsWith(escapeChar);
      if (continued) body[body.length - 1] = `${body[body.length - 1].trimEnd().slice(0, -1)}\\`;
    });
  }
  if (body.every((l) => l.trim() === '')) return undefined;
  // Only a heredoc that is the whole RUN runs by its own `#!` line (heredocInterpreter): the shell fed `RUN <<EOF bash`
  // reads the line as a comment, so the script is that shell's, whatever the line names.
  const interpreted = heredocInterpreter(run) !== undefined;
  const ownShebang = interpreted ? SHELL_SHEBANG.exec(body[0]) : null;
  if (interpreted && !ownShebang) return undefined;
  const program = (scriptShell(run, shell) ?? '/bin/sh').split(/[\\/]/).pop() ?? 'sh';
  if (!ownShebang && UNCHECKED_SHELLS.has(program)) return undefined;
  // A heredoc's own `#!/bin/sh` runs the image's `/bin/sh` as much as the default SHELL does: ash on Alpine.
  const ash = dialectOf(ownShebang ? ownShebang[1] : program, binSh) === 'ash';
  // Where `/bin/sh` is bash (Fedora, Red Hat, Amazon Linux), its scripts are bash's: checked as bash, not POSIX sh.
  const bashSh = binSh === 'bash' && (ownShebang ? ownShebang[1] : program) === 'sh';
  const prelude: string[] = [];
  if (!ownShebang)
    prelude.push(`#!/bin/${bashSh ? 'bash' : DIALECTS.has(program) ? program : KSH_NAMES.has(program) ? 'ksh' : 'sh'}`);
  // (the `#!` line is the script's first, where ShellCheck reports nothing but the shebang itself)
  const first =
    ownShebang && KSH_NAMES.has(ownShebang[1]) ? '#!/bin/ksh' : ownShebang && bashSh ? '#!/bin/bash' : body[0];
  const declare = names.length > 0 ? [`export ${names.join(' ')}`] : [];
  const text = ownShebang ? [first, ...declare, ...body.slice(1)] : [...prelude, ...declare, ...body];
  // Lines ballast adds (shebang, declarations) belong to the RUN's first line.
  const map = ownShebang
    ? [at[0], ...declare.map(() => run.line), ...at.slice(1)]
    : [...prelude.map(() => run.line), ...declare.map(() => run.line), ...at];
  return {
    instruction: run,
    text: `${text.join('\n')}\n`,
    lines: map,
    dialect: runDialect(run, shell, binSh),
    ...(ash ? { busybox: true as const } : {}),
  };
}

/** ShellCheck's levels are ours: error, warning, info and style (below info, so it passes the default --fail-on). */
export function severityOf(level: string): Severity {
  return level === 'error' ? 'error' : level === 'warning' ? 'warning' : level === 'style' ? 'style' : 'info';
}

/**
 * The shellcheck binary to use: `explicit` (a `--shellcheck PATH`, which must work) or the first on PATH; undefined when
 * there is none.
 */
export function findShellcheck(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (explicit !== undefined) {
    if (!isExecutable(explicit)) {
      throw new UsageError(`--shellcheck ${explicit}: not an executable file`, {
        code: 'shellcheck-missing',
        hint: 'pass the path of a shellcheck binary, or --no-shellcheck',
      });
    }
    return explicit;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'shellcheck');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

interface Json1 {
  comments: {
    file: string;
    line: number;
    endLine: number;
    column: number;
    endColumn: number;
    level: string;
    code: number;
    message: string;
  }[];
}

/** A comment on one script text, at the script's own lines (the same text gets the same comments in any Dockerfile). */
type TextComment = Omit<ShellcheckComment, 'script'>;

// Scripts per shellcheck process in a batch: the command line stays short (a few KB of temp file paths, within
// Windows' 32K too) and each process stays well inside its timeout, while start-up (~20 ms) is paid once per 200.
const CHUNK = 200;
// Fewer scripts than this are not split further: a process of its own costs as much as checking a few dozen.
const MIN_SHARE = 25;
// A stuck shellcheck must not hang the lint, but one process now checks up to CHUNK scripts where it used to check one
// Dockerfile's few: its time limit grows with the scripts it is given, so a big chunk on a slow (or busy) machine is
// not stopped where the same scripts in smaller runs would have passed. A script takes ShellCheck milliseconds; the
// allowance is far above that.
const TIMEOUT_BASE_MS = 60_000;
const TIMEOUT_PER_SCRIPT_MS = 1_000;

/** How long one shellcheck process checking `scripts` scripts may run before it is stopped. */
export function shellcheckTimeout(scripts: number): number {
  return TIMEOUT_BASE_MS + scripts * TIMEOUT_PER_SCRIPT_MS;
}

/** `texts` in a new temp dir, one file each, removed on Ctrl-C/exit if the caller has not removed it by then. */
function writeScripts(texts: string[]): { dir: string; files: string[] } {
  let dir: string | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), 'ballast-sc-'));
    removeOnExit(dir);
    const files = texts.map((text, i) => {
      const file = join(dir!, `${i}.sh`);
      writeFileSync(file, text);
      return file;
    });
    return { dir, files };
  } catch (error) {
    if (dir) removeDir(dir);
    throw tempWriteError(error, { what: 'the RUN scripts for ShellCheck', room: 'a few small files' });
  }
}

function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  forget(dir);
}

// --norc: findings must not depend on a .shellcheckrc that happens to be in the temp dir's parents or the home dir.
const argsFor = (files: string[]): string[] => [
  '--format=json1',
  '--norc',
  `--exclude=${EXCLUDED_CODES.join(',')}`,
  ...files,
];

interface Outcome {
  error?: Error;
  /** The time limit (ms) the process was stopped at, when it ran that long. */
  timedOut?: number;
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** What one shellcheck process gave: the comments of each of its files, or the time limit (ms) it was stopped at. */
type Checked = TextComment[][] | { timedOut: number };

/**
 * The comments of each of `files` (in their order), or the time limit it was stopped at, or the error when shellcheck
 * itself failed. A timeout is no failure of the run: a script that takes ShellCheck that long (hostile, or generated)
 * failed the whole lint with no findings at all; its scripts are left unchecked with a note, as oversized ones are.
 */
function commentsOf(binary: string, files: string[], result: Outcome): Checked {
  if (result.timedOut !== undefined) return { timedOut: result.timedOut };
  // 0: no findings, 1: findings; anything else is ShellCheck failing.
  if (result.error || (result.status !== 0 && result.status !== 1)) {
    const why =
      result.error?.message ??
      (result.signal
        ? `stopped by ${result.signal}`
        : result.stderr.trim().split('\n')[0] || `exit code ${result.status}`);
    throw new BallastError(`shellcheck (${binary}) failed: ${why}`, {
      code: 'shellcheck-failed',
      hint: 'check the shellcheck install, or pass --no-shellcheck',
    });
  }
  const parsed = json1Report(binary, result);
  const index = new Map(files.map((f, i) => [f, i]));
  const out: TextComment[][] = files.map(() => []);
  for (const c of parsed.comments) {
    const file = index.get(c.file);
    if (file === undefined) continue;
    out[file].push({
      code: c.code,
      level: c.level,
      // Some come padded (SC1072 starts with a space), which would push the message column out of line.
      message: c.message.trim(),
      line: c.line,
      column: c.column,
      endLine: c.endLine,
      endColumn: c.endColumn,
    });
  }
  return out;
}

/**
 * The report shellcheck printed. ShellCheck prints one JSON object, `{"comments":[]}` when nothing is found, whether it
 * exits 0 or 1: another binary given as --shellcheck that prints nothing (/bin/false, or `yes` refusing
 * --format=json1, both exiting 1 as ShellCheck does with findings) silently dropped every SC finding, and one that
 * printed something else failed with JSON.parse's own words ("Unexpected token 'g'"), naming neither it nor the fix.
 */
function json1Report(binary: string, result: Outcome): Json1 {
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    parsed = undefined;
  }
  const comments = (parsed as { comments?: unknown } | null | undefined)?.comments;
  if (typeof parsed === 'object' && Array.isArray(comments)) return parsed as Json1;
  const text = result.stdout.trim();
  const printed =
    text === '' ? 'printed nothing' : `printed ${JSON.stringify(text.slice(0, 40))}${text.length > 40 ? '...' : ''}`;
  const stderr = result.stderr.trim().split('\n')[0];
  throw new BallastError(
    `shellcheck (${binary}) gave no ShellCheck JSON report: it ${printed} and exited with status ${result.status}${stderr ? ` (${stderr})` : ''}`,
    {
      code: 'shellcheck-failed',
      hint: 'pass the path of ShellCheck (it must take --format=json1), or --no-shellcheck',
    },
  );
}

/** How long one shellcheck process checking a number of scripts may run (ms). */
type Timeout = (scripts: number) => number;

/** Checks `texts` with one shellcheck process, each in its own file, so each is analysed alone. */
function checkNow(binary: string, texts: string[], timeout: Timeout): Checked {
  const { dir, files } = writeScripts(texts);
  try {
    const limit = timeout(files.length);
    const result = spawnSync(binary, argsFor(files), {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      timeout: limit,
    });
    const timedOut = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' ? limit : undefined;
    return commentsOf(binary, files, { ...result, timedOut });
  } finally {
    removeDir(dir);
  }
}

/** One shellcheck process over `files` (already written), without blocking: the others of a batch run meanwhile. */
function checkLater(binary: string, files: string[], timeout: Timeout): Promise<Checked> {
  return new Promise((done, fail) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let error: Error | undefined;
    let timedOut: number | undefined;
    const child = spawn(binary, argsFor(files), { stdio: ['ignore', 'pipe', 'pipe'] });
    // Its own timer rather than spawn's `timeout`: a SIGTERM from that looks like one from anyone else.
    const limit = timeout(files.length);
    const timer = setTimeout(() => {
      timedOut = limit;
      child.kill('SIGTERM');
    }, limit);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (e) => (error = e));
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      try {
        done(
          commentsOf(binary, files, {
            error,
            timedOut,
            status,
            signal,
            stdout: Buffer.concat(stdout).toString('utf8'),
            stderr: Buffer.concat(stderr).toString('utf8'),
          }),
        );
      } catch (failure) {
        fail(failure as Error);
      }
    });
  });
}

/**
 * The comments on `scripts`, from each text's comments, at Dockerfile lines. SC2086 on a package list handed to a package
 * manager is left out: there the splitting is the point (see splitsPackageList).
 */
function placed(scripts: ShellScript[], commentsOf: (script: number) => TextComment[]): ShellcheckComment[] {
  return scripts.flatMap((script, i) => {
    const map = script.lines;
    const lineOf = (l: number): number => map[Math.min(Math.max(l - 1, 0), map.length - 1)];
    return commentsOf(i)
      .filter((c) => c.code !== 2086 || !splitsPackageList(script.text, c, script.dialect))
      .filter((c) => !script.busybox || !busyboxSupports(c))
      .map((c) => ({ ...c, script: i, line: lineOf(c.line), endLine: lineOf(c.endLine) }));
  });
}

/**
 * ShellCheck for a lint run, of one Dockerfile or many: `prefetch` the scripts of all of them first, checked in a few
 * shellcheck processes at once (one per core, at most CHUNK scripts each, the same text once), and the `runner` the
 * lint of each file is given then answers from those results. A script not prefetched (a lint without a prefetch, as
 * in the engine's tests) is checked when asked for, all the missing scripts of the call in one process. One file is a
 * batch of one: its scripts in one process, as before batches.
 * ShellCheck's start-up, not its checking, was most of a lint of many files with one process per Dockerfile.
 */
export function shellcheckBatch(
  binary: string,
  {
    jobs = availableParallelism(),
    chunk = CHUNK,
    share = MIN_SHARE,
    timeout = shellcheckTimeout,
  }: { jobs?: number; chunk?: number; share?: number; timeout?: Timeout } = {},
): {
  prefetch: (scripts: ShellScript[]) => Promise<void>;
  runner: ShellcheckRunner;
  notes: (file: string, scripts: ShellScript[]) => string[];
} {
  const known = new Map<string, TextComment[]>();
  // Script text -> the time limit (ms) of the shellcheck process that was stopped while checking it.
  const timedOut = new Map<string, number>();
  const record = (texts: string[], checked: Checked): void => {
    if (Array.isArray(checked)) checked.forEach((comments, i) => known.set(texts[i], comments));
    else
      for (const text of texts) {
        known.set(text, []);
        timedOut.set(text, checked.timedOut);
      }
  };
  const prefetch = async (scripts: ShellScript[]): Promise<void> => {
    const texts = [...new Set(scripts.map((s) => s.text))].filter((t) => !known.has(t));
    if (texts.length === 0) return;
    const { dir, files } = writeScripts(texts);
    try {
      const processes = Math.max(Math.min(jobs, Math.ceil(texts.length / share)), Math.ceil(texts.length / chunk));
      const size = Math.ceil(texts.length / processes);
      const chunks: number[] = [];
      for (let start = 0; start < texts.length; start += size) chunks.push(start);
      let next = 0;
      let failure: unknown;
      // `jobs` workers take chunks in turn; after a failure the rest are not started, the running ones are awaited so
      // the temp dir is removed after every shellcheck reading it has ended.
      const worker = async (): Promise<void> => {
        while (next < chunks.length && failure === undefined) {
          const start = chunks[next++];
          try {
            record(
              texts.slice(start, start + size),
              await checkLater(binary, files.slice(start, start + size), timeout),
            );
          } catch (error) {
            failure ??= error;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, chunks.length)) }, worker));
      if (failure !== undefined) throw failure;
    } finally {
      removeDir(dir);
    }
  };
  const runner: ShellcheckRunner = (scripts) => {
    if (scripts.length === 0) return [];
    const missing = [...new Set(scripts.map((s) => s.text))].filter((t) => !known.has(t));
    if (missing.length > 0) record(missing, checkNow(binary, missing, timeout));
    return placed(scripts, (i) => known.get(scripts[i].text)!);
  };
  // One note per file for its scripts left unchecked: unsaid, they would read as ones ShellCheck found nothing in.
  const notes = (file: string, scripts: ShellScript[]): string[] => {
    const stopped = scripts.filter((s) => timedOut.has(s.text));
    if (stopped.length === 0) return [];
    // A loop, not Math.max(...): a file may have more stopped RUNs than a call's arguments can be.
    const slowest = stopped.reduce((most, s) => Math.max(most, timedOut.get(s.text)!), 0);
    const seconds = Number((slowest / 1000).toFixed(1));
    const runs = stopped.map((s) => `${file}:${s.instruction.line}`).join(', ');
    return [
      `ShellCheck did not check the ${stopped.length === 1 ? 'RUN' : 'RUNs'} at ${runs}: it was stopped at its time limit of ${seconds} ${seconds === 1 ? 'second' : 'seconds'} (with the scripts it was checking at once; a deeply nested or very long script can take it that long: simplify or split the RUN to have it checked)`,
    ];
  };
  return { prefetch, runner, notes };
}
