// The lint service: find the Dockerfiles, load the rules once and each directory's settings once, lint every file in
// one process, optionally apply fixes, and return one Report. No printing and no process.exit: the command renders and
// sets the exit code.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { loadDockerfileRules } from '../../rules/index.js';
import { globToRegExp } from '../config/glob.js';
import {
  ballastCodesFor,
  codesFor,
  lintSettingsResolver,
  type ConfigOutput,
  type LintSettings,
} from '../config/load.js';
import { climbsOut } from '../host-path.js';
import { BallastError, isPermissionDenied, READ_PERMISSION_HINT, restate, SourceError, UsageError } from '../errors.js';
import { parseDockerfile, type ParsedDockerfile } from '../dockerfile/parse.js';
import { dockerfileText } from '../dockerfile/text.js';
import { isDockerfileName } from '../lint/dockerfile-names.js';
import { lintText } from '../lint/engine.js';
import {
  contextReaders,
  lineCount,
  lintFile,
  readDockerfile,
  type FileConfig,
  type FileLint,
  type FileTask,
} from '../lint/lint-file.js';
import { lintOnThreads, lintThreads, lintWorkersAvailable } from '../lint/lint-threads.js';
import { pragmaNotes } from '../lint/pragmas.js';
import { findShellcheck, shellcheckBatch, shellScripts, type ShellScript } from '../lint/shellcheck.js';
import { analyzeStages, type StageModel } from '../dockerfile/stages.js';
import {
  changesSomething,
  checkWritable,
  eolOf,
  fixDockerfile,
  fixSteps,
  mergeLinesInto,
  writeFileAtomic,
  type FixStep,
} from '../lint/fixer.js';
import { unifiedDiff } from '../lint/unified-diff.js';
import { estimateFix } from '../lint/estimate.js';
import type { AnalyzeResult } from './analyze.js';
import { withHadolintLayer, type HadolintLayer } from '../lint/hadolint-cli.js';
import {
  buildReport,
  findingFails,
  type AppliedFix,
  type Finding,
  type Report,
  type Severity,
  type TargetResult,
} from '../report/types.js';
import { printablePath } from '../report/printable.js';

export interface LintOptions {
  /** Files or directories; '-' reads stdin. Empty: ./Dockerfile (or ./Containerfile). */
  files: string[];
  cwd: string;
  /** stdin's bytes (checked to be text, as a file's are) or its text. */
  readStdin?: () => Promise<string | Uint8Array>;
  /** Name reported for stdin input. */
  stdinFilename?: string;
  /**
   * Name reported for every Dockerfile, stdin or a file (hadolint's --file-path-in-report: a file linted at a path of
   * the job's own, in a container or a temp copy, reported as the repository names it). Errors still name the path read.
   */
  reportPath?: string;
  /** Told each Dockerfile linted or skipped and the config it was linted with (hadolint's --verbose, on stderr). */
  log?: (line: string) => void;
  /**
   * Whether `log` is told, given the `verbose` of the run's config file (undefined: none, or the configs disagree), as
   * hadolint ranks its sources. Without it `log` is always told.
   */
  verbose?: (fromConfig: boolean | undefined) => boolean;
  config?: string;
  /** Settings already loaded (the ci gate loads them once for lint and image rules); skips the config search. */
  settings?: LintSettings;
  /** Build context directory for .dockerignore checks (default: each Dockerfile's directory). */
  context?: string;
  failOn?: Severity | 'none';
  /** Extra rule codes/names/hadolint ids to turn off. */
  ignore?: string[];
  fix?: boolean;
  fixDryRun?: boolean;
  unsafeFixes?: boolean;
  /** ShellCheck: a binary path, `false` to skip, undefined to use `shellcheck` from PATH when there is one. */
  shellcheck?: string | false;
  /** How long one shellcheck process may run (ms) for a number of scripts: the default is a minute and more. */
  shellcheckTimeout?: (scripts: number) => number;
  env?: NodeJS.ProcessEnv;
  /** hadolint's HADOLINT_* variables (below each config file) and its flags (above it), as hadolint merges them. */
  hadolint?: { env?: HadolintLayer; flags?: HadolintLayer };
  /** How the size/cache fixes clean up (default 'cleanup'): append to the RUN, or mount a BuildKit cache. */
  fixStyle?: 'cleanup' | 'cache-mount';
  version?: string;
  /** An image built from the (one) Dockerfile: each fix gets an estimate of the bytes it saves, measured there. */
  image?: string;
  /**
   * With fixDryRun: also return the fixes one at a time, with the files after each (lint --fix --verify builds them to
   * measure each fix). Nothing is written.
   */
  fixPlan?: boolean;
  /**
   * Lint the other files when one cannot be read (missing, not text, not a regular file): its error goes in `errors`
   * instead of failing the run. Without it (and always with --fix, which writes nothing unless every file was read)
   * the first such error is thrown.
   */
  keepGoing?: boolean;
  /**
   * Tests: with many files linted on worker threads, the main thread starts on them once the workers have loaded, so
   * the workers lint some on any machine (otherwise it starts at once, and a slow worker may find none left).
   */
  workersFirst?: boolean;
}

export interface LintResult {
  report: Report;
  /**
   * Whether --fix could apply a finding's fix (the fixer's own test, changesSomething, on the files this lint read):
   * what the report's counts call fixable. A report built again over these findings (ci's) counts with it too.
   */
  canFix: (finding: Finding) => boolean;
  /** 0 clean, 1 findings at or above failOn, 2 a file could not be read (with keepGoing). */
  exitCode: 0 | 1 | 2;
  /** With keepGoing: one error for each file that could not be read, in the order given. */
  errors: BallastError[];
  /** How many files were linted (not skipped by ignorePaths, not unreadable). */
  linted: number;
  /** Undefined when the Dockerfiles' configs set different ones: each report target then carries its own. */
  failOn?: Severity | 'none';
  /** The config file used, when one was used for every Dockerfile. */
  configFile?: string;
  /** With fixDryRun: unified diffs of what --fix would change. */
  diffs: string[];
  /** With fix: number of edits applied. */
  fixedCount: number;
  /** With fix on stdin: the fixed file (the command prints it instead of writing a file). */
  fixedStdin?: string;
  /** Notes for the person running it (stderr), e.g. that ShellCheck was not found. */
  notices: string[];
  /** With fixPlan: the steps (one Dockerfile only; the last file's). */
  fixSteps?: FixStep[];
  /** The output settings of the configs (a .hadolint.yaml's format, no-color, verbose) as they apply to the run. */
  configOutput: RunConfigOutput;
  /**
   * Set when the files were linted on more than one thread (lint-threads.ts): how many ran, and how many files each
   * linted (the main thread first). The report is the same either way.
   */
  threads?: { threads: number; linted: number[] };
}

/**
 * A config's `format`, `no-color` and `verbose` apply to the whole run, so they are read only where every Dockerfile
 * linted has the same value (normally: one config file for all). Where they differ, `disagree` names each config file
 * and its value, and the run does not pick one of them.
 */
export interface RunConfigOutput {
  agreed: ConfigOutput;
  disagree: { key: keyof ConfigOutput; values: { config: string; value: string | boolean | undefined }[] }[];
}

const OUTPUT_KEYS: (keyof ConfigOutput)[] = ['format', 'noColor', 'verbose'];

/** The output settings `settings` (one per Dockerfile) agree on, and those they do not. */
export function runConfigOutput(settings: LintSettings[], cwd: string): RunConfigOutput {
  const configs = [...new Set(settings)];
  const result: RunConfigOutput = { agreed: {}, disagree: [] };
  for (const key of OUTPUT_KEYS) {
    const values = new Set(configs.map((s) => s.output?.[key]));
    if (values.size === 1) {
      const [value] = values;
      if (value !== undefined) Object.assign(result.agreed, { [key]: value });
    } else
      result.disagree.push({
        key,
        values: configs.map((s) => ({
          config: s.source ? shownPath(s.source, cwd) : 'no config file',
          value: s.output?.[key],
        })),
      });
  }
  return result;
}

const NO_DOCKERFILES_HINT =
  'ballast looks for Dockerfile, Containerfile, Dockerfile.* and *.Dockerfile; pass a file path to lint another name';

const SKIP_DIRS = new Set(['node_modules', '.git', 'vendor', 'dist', 'build', '.venv', '__pycache__']);

/** One config as the run applies it: its severities with --ignore on top, the rules left on, the failOn in force. */
interface Applied {
  settings: LintSettings;
  severities: LintSettings['severities'];
  rules: Awaited<ReturnType<typeof loadDockerfileRules>>;
  ignored: RegExp[];
  failOn: Severity | 'none';
}

/**
 * Expands directories to the Dockerfiles under them (Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile; not
 * documents named after them, see dockerfile-names.ts). A file named on the command line is linted whatever its name.
 */
export function findDockerfiles(
  paths: string[],
  cwd: string,
  /** Told each input not read, the path as shown, and how many Dockerfiles were found before it (its place). */
  onError: (error: BallastError, path: string, before: number) => void = (error) => {
    throw error;
  },
): string[] {
  const out: string[] = [];
  // The same file reached twice (`Dockerfile .`, `./Dockerfile Dockerfile`, a symlink and its target) was linted and
  // reported twice, every finding counted double: each real file is linted once, under the path it first came by.
  const seen = new Set<string>();
  let matched = 0;
  const add = (file: string): void => {
    matched++;
    let real = file;
    try {
      real = realpathSync(file);
    } catch {
      // Gone since it was listed: reading it will say so.
    }
    if (seen.has(real)) return;
    seen.add(real);
    out.push(file);
  };
  let walkFailed = false;
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      walkFailed = true;
      // A folder this user may not list (or that went away) is one unreadable input of the batch, named as the user
      // would: Node's "EACCES: permission denied, scandir '/abs/path'" had no hint and stopped every other file.
      const code = (error as NodeJS.ErrnoException).code ?? '';
      const denied = isPermissionDenied(error);
      const shown = shownFile(dir, cwd);
      onError(
        new SourceError(
          `cannot read the directory ${printablePath(shown)}: ${denied ? 'permission denied' : code || (error as Error).message}`,
          {
            code: 'read',
            cause: error,
            hint: denied ? READ_PERMISSION_HINT : 'check the path, and that this user may list that directory',
          },
        ),
        shown,
        out.length,
      );
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(join(dir, entry.name));
      } else if (entry.isFile() && isDockerfileName(entry.name)) {
        add(join(dir, entry.name));
      }
    }
  };
  for (const path of paths) {
    if (path === '-') {
      out.push('-');
      continue;
    }
    const full = resolve(cwd, path);
    let stats;
    try {
      stats = statSync(full);
    } catch (error) {
      // A file below a folder this user may not search exists: "no such file" would send them looking for it.
      const denied = isPermissionDenied(error);
      onError(
        denied
          ? new SourceError(`cannot read ${printablePath(path)}: permission denied`, {
              code: 'read',
              cause: error,
              hint: READ_PERMISSION_HINT,
            })
          : new SourceError(`cannot read ${printablePath(path)}: no such file or directory`, {
              code: 'not-found',
              hint: 'pass the path of a Dockerfile, a directory, or - for stdin',
            }),
        path,
        out.length,
      );
      continue;
    }
    if (stats.isDirectory()) {
      const found = matched;
      walkFailed = false;
      walk(full);
      // A folder given that holds no Dockerfile is an input not linted: a CI job pointed at the wrong folder passed in
      // silence while its Dockerfiles went unchecked. (A folder that could not be listed has had its error already;
      // one whose Dockerfiles were all named before it has some.)
      if (matched === found && !walkFailed)
        onError(
          new UsageError(`no Dockerfiles found in ${printablePath(path)}`, {
            code: 'no-input',
            hint: NO_DOCKERFILES_HINT,
          }),
          path,
          out.length,
        );
    } else add(full);
  }
  return out;
}

export async function lint(options: LintOptions): Promise<LintResult> {
  const paths = options.files.length > 0 ? options.files : defaultFiles(options.cwd);
  // stdin can be read once: a second `-` read nothing and was linted as an empty file, and with --fix its empty text
  // was the fixed file printed, so `lint --fix - - > Dockerfile.new` wrote an empty Dockerfile.
  if (paths.filter((p) => p === '-').length > 1)
    throw new UsageError('- (stdin) is given more than once', {
      code: 'usage',
      hint: 'pass - once: stdin can be read only once',
    });
  // --fix changes files only when every one of them was read, so it stops at the first that cannot be.
  const keepGoing = options.keepGoing === true && !options.fix;
  // Each input not read, with its place among the Dockerfiles: an input found unreadable while they were looked for
  // (missing, a folder) goes before the Dockerfile found next, one that fails when read at that Dockerfile's place,
  // so the error lines follow the order the files were given (or found) in.
  const failures: { error: BallastError; path: string; place: number }[] = [];
  const unreadable = (error: unknown, path: string, place: number): void => {
    // Under --fix the run ends here, before any report: say that the files that were read were not fixed either.
    if (options.fix && error instanceof BallastError) throw notFixed(error);
    if (!keepGoing || !(error instanceof BallastError)) throw error;
    failures.push({ error, path, place });
  };
  const files = findDockerfiles(paths, options.cwd, (error, path, before) => unreadable(error, path, 2 * before));
  // The inputs not read in the order given (or found): a sorted copy, which the error lines and the report are both
  // built from.
  const notRead = () => [...failures].sort((a, b) => a.place - b.place);
  if (files.length === 0) {
    if (failures.length > 0) return unreadOnly(notRead(), options);
    throw new UsageError(`no Dockerfiles found in ${paths.join(', ')}`, {
      code: 'no-input',
      hint: NO_DOCKERFILES_HINT,
    });
  }
  if (options.context) checkContextDir(resolve(options.cwd, options.context), options.context);
  const allRules = await loadDockerfileRules();
  const metas = allRules.map((r) => r.meta);
  const codes = new Set(metas.map((m) => m.code));
  const knownCode = (code: string) => codes.has(code);
  // --ignore turns rules off whatever each file's config says: checked once, before any file is read.
  const ignoredCodes: string[] = [];
  for (const key of options.ignore ?? []) {
    // The names a .ballast.yaml's rules: take, ShellCheck codes among them (hadolint's --ignore SC2086).
    const codes = ballastCodesFor(key, metas);
    if (codes.length === 0)
      throw new UsageError(`--ignore ${key}: no such rule`, {
        code: 'unknown-rule',
        hint: 'run `ballast rules` to list codes and names',
      });
    ignoredCodes.push(...codes);
  }
  // So are the severity flags (--error, --warning, --info, --style): a code none of them names was skipped in silence,
  // and `--error DL3008` mistyped as `--error DL3800` left the run failing on nothing new without a word. (The
  // HADOLINT_OVERRIDE_* variables, and the config files, may name ids only hadolint has: those are skipped still.)
  for (const [id, level] of options.hadolint?.flags?.overrides ?? []) {
    if (codesFor(id, metas).length === 0)
      throw new UsageError(`--${level} ${id}: no such rule`, {
        code: 'unknown-rule',
        hint: 'run `ballast rules` to list codes and names',
      });
  }
  // Each Dockerfile gets the config found upward from its own directory (stdin: from the cwd); --config, or settings
  // given by the caller, apply to all. Every config is read before the first file is, so a broken one in a later
  // directory fails the run before --fix has written anything.
  const configNotes: string[] = [];
  const settingsFor = options.settings
    ? () => Promise.resolve(options.settings!)
    : lintSettingsResolver({
        cwd: options.cwd,
        configPath: options.config,
        rules: metas,
        env: options.env,
        onNote: (note) => configNotes.push(note),
      });
  const fileSettings = await Promise.all(files.map((f) => settingsFor(f === '-' ? options.cwd : dirname(f))));
  const configOutput = runConfigOutput(fileSettings, options.cwd);
  const log = options.verbose && !options.verbose(configOutput.agreed.verbose) ? undefined : options.log;
  // What each config means for the run, worked out once per config (a thousand files share a handful).
  const applied = new Map<LintSettings, Applied>();
  const applySettings = (settings: LintSettings): Applied => {
    let done = applied.get(settings);
    if (!done) {
      const original = settings;
      if (options.hadolint?.env) settings = withHadolintLayer(settings, options.hadolint.env, metas, true);
      if (options.hadolint?.flags) settings = withHadolintLayer(settings, options.hadolint.flags, metas, false);
      const severities = { ...settings.severities };
      for (const code of ignoredCodes) severities[code] = 'off';
      done = {
        settings,
        severities,
        rules: allRules.filter((r) => severities[r.meta.code] !== 'off'),
        ignored: settings.ignorePaths.map(globToRegExp),
        failOn: options.failOn ?? settings.failOn,
      };
      applied.set(original, done);
    }
    return done;
  };
  // Nothing is written before every file has been linted, and the files a fix edits are read from `pending` first.
  const contextOf = contextReaders();
  const targets: TargetResult[] = [];
  const diffs: string[] = [];
  let fixedCount = 0;
  let fixedStdin: string | undefined;
  const notices: string[] = [...configNotes];
  // They only change what --fix and --fix-dry-run do: given alone, a user who meant to fix would get a report and an
  // unchanged file without a word (ruff and eslint read them the same way; eslint refuses the run).
  const fixOnly = [options.unsafeFixes && '--unsafe-fixes', options.fixStyle !== undefined && '--fix-style'].filter(
    (flag): flag is string => typeof flag === 'string',
  );
  if (fixOnly.length > 0 && !options.fix && !options.fixDryRun)
    notices.push(
      `${fixOnly.join(' and ')} ${fixOnly.length > 1 ? 'take' : 'takes'} effect only with --fix or --fix-dry-run: nothing was fixed`,
    );
  let steps: FixStep[] | undefined;
  // --fix writes nothing until every file has been linted and fixed, and every file to write has been checked: a
  // read-only Dockerfile, or one that cannot be read, fails the run with all the user's files as they were. Path ->
  // the text to write; a later Dockerfile of the same build context reads the .dockerignore written here.
  // A context file (.dockerignore) is merged into what is on disk at write time instead (`merge`): another ballast
  // process may fix a Dockerfile of the same directory at once.
  const pending = new Map<string, { text: string; read: string | undefined; merge?: boolean }>();
  const toWrite = (path: string, text: string, read: string | undefined, merge?: boolean) =>
    pending.set(path, { text, read: pending.has(path) ? pending.get(path)!.read : read, merge });
  // A dry run's edits to context files, kept so that a later Dockerfile of the same context reads them as --fix would
  // have left them (the second of two did not create .dockerignore again), and that file's diff (at `diff` in `diffs`)
  // is one, from the file on disk to the last edit.
  const dryContext = new Map<string, { diff: number; original: string | undefined; text: string }>();
  const imageAnalysis = options.image ? await analyzeForEstimates(options, files) : undefined;
  const withEstimates = (findings: Finding[]): Finding[] =>
    options.image
      ? findings.map((f) => (f.fix ? { ...f, fix: { ...f.fix, estimate: estimateFix(f, imageAnalysis) } } : f))
      : findings;
  const shellcheckBinary = options.shellcheck === false ? undefined : findShellcheck(options.shellcheck, options.env);
  if (options.shellcheck === undefined && !shellcheckBinary)
    notices.push(
      'shellcheck was not found on PATH: RUN scripts were not checked for SC findings (install shellcheck, or pass --no-shellcheck to silence this)',
    );
  // ShellCheck's start-up, not its checking, was most of a lint of many files with one shellcheck per Dockerfile: each
  // file's final lint waits until every file has been read (and fixed), then the scripts of all of them are checked
  // in a few shellcheck processes at once, and each lint takes its SC findings from those.
  const batch = shellcheckBinary
    ? shellcheckBatch(shellcheckBinary, { timeout: options.shellcheckTimeout })
    : undefined;
  const shellcheck = batch?.runner;
  const finals: {
    shown: string;
    lint: () => Finding[];
    scripts: () => ShellScript[];
    lines: number;
    failOn: Severity | 'none';
    fixed?: AppliedFix[];
    wouldFix?: AppliedFix[];
  }[] = [];
  // The scripts of the files read so far, checked before any file's final lint.
  const prefetch = () => batch!.prefetch(finals.flatMap((entry) => entry.scripts()));
  const failOns = new Set<Severity | 'none'>();
  // Findings of the final lints whose fixes --fix would not apply: not counted fixable.
  const cannotFix = new Set<Finding>();
  // A file named outside the working directory is shown as it was named (`/dev/zero`, not `../../dev/zero`).
  const given = new Map(paths.filter((p) => p !== '-').map((p) => [resolve(options.cwd, p), p]));
  const contextDirOf = (file: string) =>
    options.context ? resolve(options.cwd, options.context) : file === '-' ? undefined : dirname(file);
  // A context file as the run names files: from the working directory, as the Dockerfile and the diff are; outside
  // it, as the Dockerfile was named (`/tmp/x/.dockerignore` beside `/tmp/x/Dockerfile`, not `../x/.dockerignore`).
  const contextPathOf = (contextDir: string | undefined, file: string) => (name: string) => {
    if (!contextDir) return name;
    const path = join(contextDir, name);
    const rel = relative(options.cwd, path);
    if (!climbsOut(rel)) return rel || name;
    const named = given.get(file);
    return named !== undefined && !isAbsolute(named) ? rel : path;
  };
  // Many files linted as they stand (no --fix, stdin or --image) and without ShellCheck's batch (whose processes use the
  // other cores already, and whose findings go in before each file's suppressions and sort) are linted on every core
  // first (lint-threads.ts); the loop below then lays each file's lint out in file order as it would have made it. A
  // file no thread linted (one that cannot be read, a rule that throws) is read and linted by the loop as before.
  const threads = lintThreads(files.length, options.env ?? process.env);
  const early: (FileLint | undefined)[] = [];
  let threaded: LintResult['threads'];
  if (
    threads > 1 &&
    !options.fix &&
    !options.fixDryRun &&
    !options.image &&
    !batch &&
    !files.includes('-') &&
    lintWorkersAvailable()
  ) {
    const tasks: FileTask[] = [];
    const taskFiles: number[] = [];
    const configs: FileConfig[] = [];
    const configRules: Applied['rules'][] = [];
    const configIds = new Map<Applied, number>();
    for (const [index, file] of files.entries()) {
      const done = applySettings(fileSettings[index]);
      if (done.ignored.some((re) => re.test(relative(done.settings.baseDir, file)))) continue;
      let config = configIds.get(done);
      if (config === undefined) {
        configIds.set(done, (config = configs.length));
        const { ruleOptions, pragmas, hadolintPragmas } = done.settings;
        configs.push({ severities: done.severities, ruleOptions, pragmas, hadolintPragmas });
        configRules.push(done.rules);
      }
      const display = shownFile(file, options.cwd, given.get(file));
      taskFiles.push(index);
      tasks.push({
        file,
        shown: options.reportPath ?? display,
        display: printablePath(display),
        contextDir: contextDirOf(file),
        config,
      });
    }
    const young = Number((options.env ?? process.env).BALLAST_LINT_WORKER_YOUNG_MB ?? 0);
    const { lints, ...used } = await lintOnThreads(
      tasks,
      configs,
      options.fixStyle,
      threads,
      (task) =>
        lintFile(
          task,
          configs[task.config],
          configRules[task.config],
          knownCode,
          contextOf(task.contextDir),
          options.fixStyle,
        ),
      { workersFirst: options.workersFirst, youngGenerationMb: young > 0 ? young : undefined },
    );
    lints.forEach((lint, t) => (early[taskFiles[t]] = lint));
    threaded = used;
  }
  try {
    for (const [index, file] of files.entries()) {
      const { settings, severities, rules, ignored, failOn } = applySettings(fileSettings[index]);
      const display = file === '-' ? (options.stdinFilename ?? '-') : shownFile(file, options.cwd, given.get(file));
      if (file !== '-' && ignored.some((re) => re.test(relative(settings.baseDir, file)))) {
        log?.(`skipping ${display}: it matches ignorePaths in ${shownPath(settings.source, options.cwd)}`);
        continue;
      }
      failOns.add(failOn);
      log?.(
        `linting ${display} with ${settings.source ? `config ${shownPath(settings.source, options.cwd)}` : 'no config file (the defaults)'}`,
      );
      const shown = options.reportPath ?? display;
      const linted = early[index];
      if (linted) {
        // Linted above on one of the threads: taken as the lint below would have made it.
        for (const note of linted.notes) notices.push(note);
        for (const at of linted.cannotFix) cannotFix.add(linted.findings[at]);
        nameContextFiles(linted.findings, contextPathOf(contextDirOf(file), file));
        targets.push(targetOf({ shown, lines: linted.lines, failOn }, linted.findings));
        continue;
      }
      let read;
      try {
        read = file === '-' ? await readStdin(options, display) : readDockerfile(file, printablePath(display));
      } catch (error) {
        unreadable(error, display, 2 * index + 1);
        continue;
      }
      const { text, bom } = read;
      // Bytes that are no UTF-8 are read as U+FFFD: written back, every one of them would be changed, on lines no fix
      // touched too (and the dry run's patch would not apply). The file is left to the user to convert; lint reports.
      if ((options.fix || options.fixDryRun) && read.notUtf8Line !== undefined) {
        unreadable(
          new SourceError(
            `cannot fix ${printablePath(display)}${file === '-' ? ' (stdin)' : ''}: line ${read.notUtf8Line} is not valid UTF-8`,
            {
              code: 'not-utf8',
              hint: `save it as UTF-8 (from Latin-1: \`iconv -f latin1 -t utf-8\`) and fix it then; ballast lint without --fix reports its problems as it is`,
            },
          ),
          display,
          2 * index + 1,
        );
        continue;
      }
      const contextDir = contextDirOf(file);
      // Fixes may edit build-context files (.dockerignore): the edited versions are read from here until written.
      const editedContext = new Map<string, string>();
      const { readDisk, contextEntry } = contextOf(contextDir);
      const readStanding = (name: string) =>
        (contextDir && pending.get(join(contextDir, name))?.text) ?? readDisk(name);
      const readContext = (name: string) =>
        (contextDir && dryContext.get(join(contextDir, name))?.text) ?? readStanding(name);
      const readContextFile = (name: string) => editedContext.get(name) ?? readContext(name);
      const contextPath = contextPathOf(contextDir, file);
      // The final lint of this file (with ShellCheck, when it runs), after the other files' when they are batched.
      const finish = (source: string, read = readContextFile, fixed?: AppliedFix[], wouldFix?: AppliedFix[]): void => {
        // Parsed once, for the scripts ShellCheck is sent first and then for the lint (the scripts kept with it, so the
        // lint asks ShellCheck about those rather than working them out again). With --fix this is the fixed text,
        // parsed here afresh: the fix passes parsed the text as each of them found it.
        let parse: { parsed: ParsedDockerfile; stages: StageModel; scripts?: ShellScript[] } | undefined;
        const parsed = () => {
          if (!parse) {
            const tree = parseDockerfile(source, shown);
            parse = { parsed: tree, stages: analyzeStages(tree) };
          }
          return parse;
        };
        const entry = {
          shown,
          lint: () => {
            const findings = withEstimates(lintOne(source, true, read, parsed()));
            // The fixer's own test, on the text and context files this lint read: a fix it would not apply is no
            // fixable problem (without a build context, one that edits a .dockerignore cannot be applied).
            for (const f of findings)
              if (f.fix && !changesSomething(source, f, contextDir ? read : undefined)) cannotFix.add(f);
            nameContextFiles(findings, contextPath);
            return findings;
          },
          scripts: () => {
            const tree = parsed();
            return (tree.scripts ??= shellScripts(tree.parsed, tree.stages, { file: shown, notes: notices }));
          },
          lines: lineCount(text),
          failOn,
          fixed,
          wouldFix,
        };
        if (batch) finals.push(entry);
        else targets.push(targetOf(entry, entry.lint()));
      };
      // ShellCheck offers no fixes here: the fix passes run without it, and only the final lint of each file runs it.
      const lintOne = (
        source: string,
        withShellcheck = true,
        read = readContextFile,
        parsed?: { parsed: ParsedDockerfile; stages: StageModel; scripts?: ShellScript[] },
      ) => {
        const linted = lintText(source, shown, rules, {
          parsed,
          severities,
          ruleOptions: settings.ruleOptions,
          readContextFile: read,
          contextEntry,
          pragmas: settings.pragmas,
          hadolintPragmas: settings.hadolintPragmas,
          shellcheck: withShellcheck ? shellcheck : undefined,
          fixStyle: options.fixStyle,
        });
        // Empty when the scripts were worked out above (entry.scripts, which noted the ones left out).
        // One by one, not push(...): a note per RUN or pragma may be more than a call's arguments can be.
        for (const note of linted.notes) notices.push(note);
        // Said once, of the file as it ends up (the final lint): the fix passes lint texts whose lines move.
        if (withShellcheck && settings.pragmas !== false)
          for (const note of pragmaNotes(linted.parsed, knownCode, settings.hadolintPragmas !== false))
            notices.push(note);
        return linted.findings;
      };
      if (options.fix || options.fixDryRun) {
        const lintForFix = (source: string) => lintOne(source, false);
        if (options.fixPlan && options.fixDryRun)
          steps = fixSteps(text, (source, read) => lintOne(source, false, read), readContext, options.unsafeFixes);
        const {
          contextFixed: contextFixes,
          fixes,
          ...fixed
        } = fixDockerfile(
          text,
          lintForFix,
          contextDir
            ? { read: readContextFile, write: (name, edited) => void editedContext.set(name, edited) }
            : undefined,
          options.unsafeFixes,
        );
        // Before this file's edits are recorded below: a context file that neither the disk nor an earlier Dockerfile's
        // fixes have is one this file's fixes create.
        const created = new Set([...editedContext.keys()].filter((name) => readContext(name) == null));
        const applied = (): AppliedFix[] => appliedFixes(fixes, shown, contextPath, created);
        for (const [name, edited] of editedContext) {
          const path = join(contextDir!, name);
          // A .dockerignore the fix creates is a file creation in the patch (`--- /dev/null`).
          if (options.fixDryRun) {
            const earlier = dryContext.get(path);
            const original = earlier ? earlier.original : (readDisk(name) ?? undefined);
            const diff = unifiedDiff(contextPath(name), original, edited);
            if (earlier) diffs[earlier.diff] = diff;
            dryContext.set(path, { diff: earlier?.diff ?? diffs.push(diff) - 1, original, text: edited });
          } else toWrite(path, edited, readDisk(name) ?? undefined, true);
        }
        if (!options.fixDryRun) fixedCount += contextFixes;
        // The diff is of the bytes --fix would write (BOM, CRLF), so that it applies to the file as it is.
        const mark = bom ? '\uFEFF' : '';
        const written = mark + asWritten(text, fixed.text);
        if (file === '-') {
          // stdin has no file to write: --fix gives the fixed text back for the command to print.
          if (options.fixDryRun) diffs.push(unifiedDiff(display, mark + text, written));
          else {
            fixedStdin = written;
            fixedCount += fixed.fixed;
          }
        } else if (fixed.text !== text) {
          if (options.fixDryRun) diffs.push(unifiedDiff(display, mark + text, written));
          else {
            toWrite(file, written, mark + text);
            fixedCount += fixed.fixed;
          }
        }
        // The report describes the files as they stand: a dry run changed nothing on disk.
        if (options.fixDryRun) editedContext.clear();
        if (batch && !options.fixDryRun) {
          // Deferred, the final lint reads the context files as they stand now, not as later files' fixes leave them.
          const now = new Map(pending);
          finish(
            fixed.text,
            (name) =>
              editedContext.get(name) ?? (contextDir && now.get(join(contextDir, name))?.text) ?? readDisk(name),
            applied(),
          );
          // The report is of the file as it stands, with the fixes the dry run made to get its diff: what --fix would do.
        } else if (options.fixDryRun) finish(text, readStanding, undefined, applied());
        else finish(fixed.text, undefined, applied());
        continue;
      }
      finish(text);
    }
  } catch (error) {
    // Unbatched, each file's scripts were checked as the file was linted: with shellcheck failing on file 1 and file 5
    // unreadable, a run without --keep-going stopped at file 1's error. The scripts of the files before the failure
    // are checked before it is passed on, so the error reported is still the first in file order.
    if (batch && finals.length > 0) await prefetch();
    throw error;
  }
  if (batch && finals.length > 0) {
    await prefetch();
    for (const entry of finals) {
      targets.push(targetOf(entry, entry.lint()));
      for (const note of batch!.notes(entry.shown, entry.scripts())) notices.push(note);
    }
  }
  for (const [path, { read, merge }] of pending) {
    checkWritable(path);
    // Another program (an editor, a formatter) may have saved the file while it was linted: the fix is of the text read.
    if (!merge && readIfThere(path) !== read)
      throw new SourceError(`cannot write ${relative(options.cwd, path) || path}: it changed after ballast read it`, {
        code: 'write',
        hint: 'no file was changed; run --fix again to fix the file as it is now',
      });
  }
  for (const [path, { text, read, merge }] of pending)
    if (merge) mergeLinesInto(path, read, text);
    else writeFileAtomic(path, text);
  const canFix = (f: Finding) => !cannotFix.has(f);
  const report = buildReport(targets, metas, options.version ?? '0.0.0', canFix);
  const inOrder = notRead();
  const errors = inOrder.map((f) => f.error);
  if (errors.length > 0) report.unreadable = unreadableEntries(inOrder);
  // The report alone says what the dry run's fixes were chosen with: the hint under them repeats those flags.
  if (options.fixDryRun && options.unsafeFixes) report.unsafeFixes = true;
  // Each file fails by its own config's failOn (a directory's config decides for its Dockerfiles; --fail-on for all).
  // When they all agree the report says it once, as before; otherwise each target carries its own.
  // With every file skipped (ignorePaths) the first config decides, with the hadolint variables and flags laid over it.
  const failOn =
    failOns.size <= 1
      ? ([...failOns][0] ?? (fileSettings.length > 0 ? applySettings(fileSettings[0]).failOn : options.failOn))
      : undefined;
  report.failOn = failOn;
  if (failOn !== undefined) for (const target of targets) delete target.failOn;
  const failing = targets.some((t) => t.findings.some((f) => findingFails(f, t.failOn ?? failOn)));
  const sources = new Set(fileSettings.map((s) => s.source));
  return {
    report,
    canFix,
    // A file that could not be read outranks findings: the run did not check everything it was given.
    exitCode: errors.length > 0 ? 2 : failing ? 1 : 0,
    errors,
    linted: targets.length,
    failOn,
    configFile: sources.size === 1 ? fileSettings[0].source : undefined,
    diffs,
    fixedCount,
    fixedStdin,
    notices,
    fixSteps: steps,
    configOutput,
    threads: threaded,
  };
}

/**
 * The fixer reads and writes context files by their name in the context; the report names them from the working
 * directory, as fixed[] does, so that a script applying the edits from there writes the right file.
 */
function nameContextFiles(findings: Finding[], contextPath: (name: string) => string): void {
  for (const f of findings)
    if (f.fix?.edits.some((e) => e.context))
      f.fix = {
        ...f.fix,
        edits: f.fix.edits.map((e) => (e.context ? { ...e, file: contextPath(e.file) } : e)),
      };
}

/** The same error, its hint saying first that --fix changed no file (it writes only once every file was read). */
function notFixed(error: BallastError): BallastError {
  const said = 'no file was changed: --fix writes only when every Dockerfile could be read';
  return restate(error, { hint: error.hint ? `${said}; ${error.hint}` : said });
}

/** The inputs not read as the report lists them: the path as shown, for the formats that file errors by path. */
function unreadableEntries(failures: { error: BallastError; path: string }[]): Report['unreadable'] {
  return failures.map(({ error, path }) => ({
    path,
    code: error.code,
    message: error.message,
    ...(error.hint ? { hint: error.hint } : {}),
  }));
}

/** The result of a run where no path given could be read: nothing was linted, every error is reported. */
function unreadOnly(failures: { error: BallastError; path: string }[], options: LintOptions): LintResult {
  const report = buildReport([], [], options.version ?? '0.0.0');
  report.unreadable = unreadableEntries(failures);
  return {
    report,
    // Nothing was linted: there is no fix to apply.
    canFix: () => false,
    exitCode: 2,
    errors: failures.map((f) => f.error),
    linted: 0,
    failOn: options.failOn,
    diffs: [],
    fixedCount: 0,
    notices: [],
    configOutput: { agreed: {}, disagree: [] },
  };
}

/** Analyzes the --image with the one Dockerfile, so its layers line up with the instructions the fixes change. */
async function analyzeForEstimates(options: LintOptions, files: string[]): Promise<AnalyzeResult> {
  if (files.length !== 1 || files[0] === '-')
    throw new UsageError(
      `--image measures fixes for one Dockerfile, and ${files.length === 1 ? 'stdin' : files.length} was given`,
      {
        code: 'usage',
        hint: 'pass the path of the one Dockerfile the image was built from',
      },
    );
  const { analyze } = await import('./analyze.js');
  // Every wasted file, not the top 20: a deleted path's bytes count wherever they rank.
  // `command` names lint in hints that show a command line (`ballast lint --image /dev/stdin Dockerfile < image.tar`).
  return analyze({ image: options.image!, dockerfile: files[0], top: Number.MAX_SAFE_INTEGER, command: 'lint' });
}

function defaultFiles(cwd: string): string[] {
  for (const name of ['Dockerfile', 'Containerfile']) if (existsSync(join(cwd, name))) return [name];
  throw new UsageError('no Dockerfile given and none in the current directory', {
    code: 'no-input',
    hint: 'pass a Dockerfile path, a directory, or - to read stdin',
  });
}

/** --context names the build context: a directory. Anything else would lint as if it had no .dockerignore. */
function checkContextDir(dir: string, given: string): void {
  let stats;
  try {
    stats = statSync(dir);
  } catch {
    throw new UsageError(`--context ${given}: no such directory`, {
      code: 'not-found',
      hint: 'pass the build context directory (the one `docker build` is given)',
    });
  }
  if (!stats.isDirectory())
    throw new UsageError(`--context ${given} is not a directory`, {
      code: 'usage',
      hint: 'pass the build context directory (the one `docker build` is given)',
    });
}

/** A Dockerfile's entry in the report: its findings, and with --fix the fixes applied to it (absent otherwise). */
function targetOf(
  entry: { shown: string; lines: number; failOn: Severity | 'none'; fixed?: AppliedFix[]; wouldFix?: AppliedFix[] },
  findings: Finding[],
): TargetResult {
  const target: TargetResult = { target: entry.shown, findings, stats: { lines: entry.lines }, failOn: entry.failOn };
  if (entry.fixed) target.fixed = entry.fixed;
  if (entry.wouldFix) target.wouldFix = entry.wouldFix;
  return target;
}

/**
 * The fixes --fix applied (or --fix-dry-run would) to a Dockerfile (named `shown`) and its build-context files (named by
 * `contextPath`): the first fix to edit a context file in `created` is the one that created it (`created`), and a fix
 * that edits one already there says so (`edited`).
 */
function appliedFixes(
  fixes: Finding[],
  shown: string,
  contextPath: (name: string) => string,
  created: Set<string>,
): AppliedFix[] {
  const left = new Set(created);
  return fixes.map((f) => {
    const context = f.fix!.edits.find((e) => e.context)?.file;
    const made = context !== undefined && left.delete(context);
    return {
      code: f.code,
      rule: f.rule,
      title: f.fix!.title,
      applicability: f.fix!.applicability,
      file: f.fix!.edits[0]?.context ? contextPath(f.fix!.edits[0].file) : shown,
      ...(context === undefined ? {} : made ? { created: contextPath(context) } : { edited: contextPath(context) }),
    };
  });
}

/**
 * The fixed text in the original's line endings: fixes write `\n`, so in a file written with CRLF throughout every
 * line they add or join ends in CRLF too. A file with mixed endings keeps what it has.
 */
function asWritten(original: string, fixed: string): string {
  return eolOf(original) === '\r\n' ? fixed.replace(/(^|[^\r])\n/g, '$1\r\n') : fixed;
}

/** A path as the user would type it from where ballast ran: relative below it, else absolute. */
function shownPath(path: string | undefined, cwd: string): string {
  if (!path) return 'the defaults';
  return shownFile(path, cwd);
}

/**
 * A file (or folder) as errors and reports name it: relative below the working directory; elsewhere as the user named
 * it (`given`), else absolute. A relative path that climbs out (`../../dev/zero`) is neither what was typed nor a
 * name that reads well.
 */
function shownFile(path: string, cwd: string, given?: string): string {
  const rel = relative(cwd, path);
  if (rel === '') return basename(path);
  return climbsOut(rel) ? (given ?? path) : rel;
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function readStdin(options: LintOptions, display: string): Promise<ReturnType<typeof dockerfileText>> {
  if (!options.readStdin)
    throw new UsageError('reading - (stdin) is not available here', {
      code: 'no-stdin',
      hint: 'pass the Dockerfile by its path',
    });
  const input = await options.readStdin();
  // Nothing on stdin is nothing to lint, not an empty Dockerfile to fail with DF100: above all `docker run --rm IMAGE`
  // without -i, whose default command is `lint -` (hadolint's image's habit), where stdin is /dev/null. Blanks alone
  // are nothing too: `echo "$DOCKERFILE" | ballast lint -` with the variable unset pipes one newline, which was a DF100
  // finding (exit 1) where the same mistake without the newline was exit 2. (hadolint finds nothing in either.)
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  if (/^[ \t\r\n\f\v]*$/.test(text))
    throw new UsageError(
      `${printablePath(display)} (stdin) is ${input.length === 0 ? 'empty' : 'blank'}: there is no Dockerfile to lint`,
      {
        code: 'no-input',
        hint: 'pipe one in: `ballast lint - < Dockerfile`, or with the container image `docker run --rm -i IMAGE < Dockerfile` (`--help` lists the other commands)',
      },
    );
  // Piped bytes are read as a file's are: `cat logo.png | ballast lint -` was linted as a Dockerfile, and a UTF-8 byte
  // order mark was part of the first line (its findings one column to the right).
  return dockerfileText(typeof input === 'string' ? Buffer.from(input) : input, `${printablePath(display)} (stdin)`);
}

export type { LintSettings };

/** Re-exported from where it moved (lint-file.ts: the worker threads read context files too). */
export { MAX_IGNORE_FILE_BYTES } from '../lint/lint-file.js';
