// The lint service: find the Dockerfiles, load settings and rules once, lint every file in one process, optionally apply
// fixes, and return one Report. No printing and no process.exit: the command renders and sets the exit code.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { loadDockerfileRules } from '../../rules/index.js';
import { globToRegExp } from '../config/glob.js';
import { loadLintSettings, type LintSettings } from '../config/load.js';
import { SourceError, UsageError } from '../errors.js';
import { lintText } from '../lint/engine.js';
import { fixUntilStable, unifiedDiff, writeFileAtomic } from '../lint/fixer.js';
import { buildReport, SEVERITY_RANK, type Report, type Severity, type TargetResult } from '../report/types.js';

export interface LintOptions {
  /** Files or directories; '-' reads stdin. Empty: ./Dockerfile (or ./Containerfile). */
  files: string[];
  cwd: string;
  readStdin?: () => Promise<string>;
  /** Name reported for stdin input. */
  stdinFilename?: string;
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
  version?: string;
}

export interface LintResult {
  report: Report;
  /** 0 clean, 1 findings at or above failOn. */
  exitCode: 0 | 1;
  failOn: Severity | 'none';
  configFile?: string;
  /** With fixDryRun: unified diffs of what --fix would change. */
  diffs: string[];
  /** With fix: number of edits applied. */
  fixedCount: number;
}

const DOCKERFILE_NAME = /^(Dockerfile|Containerfile)([.-].+)?$|\.(Dockerfile|dockerfile|Containerfile|containerfile)$/;
const SKIP_DIRS = new Set(['node_modules', '.git', 'vendor', 'dist', 'build', '.venv', '__pycache__']);

/** Expands directories to the Dockerfiles under them (Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile). */
export function findDockerfiles(paths: string[], cwd: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(join(dir, entry.name));
      } else if (entry.isFile() && DOCKERFILE_NAME.test(entry.name) && !entry.name.endsWith('.dockerignore')) {
        out.push(join(dir, entry.name));
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
    } catch {
      throw new SourceError(`cannot read ${path}: no such file or directory`, { code: 'not-found', hint: 'pass the path of a Dockerfile, a directory, or - for stdin' });
    }
    if (stats.isDirectory()) walk(full);
    else out.push(full);
  }
  return out;
}

export async function lint(options: LintOptions): Promise<LintResult> {
  const paths = options.files.length > 0 ? options.files : defaultFiles(options.cwd);
  const files = findDockerfiles(paths, options.cwd);
  if (files.length === 0) {
    throw new UsageError(`no Dockerfiles found in ${paths.join(', ')}`, {
      code: 'no-input',
      hint: 'ballast looks for Dockerfile, Containerfile, Dockerfile.* and *.Dockerfile; pass a file path to lint another name',
    });
  }
  const allRules = await loadDockerfileRules();
  const metas = allRules.map((r) => r.meta);
  const firstDir = files.find((f) => f !== '-');
  const settings = options.settings ?? (await loadLintSettings({ cwd: firstDir ? dirname(firstDir) : options.cwd, configPath: options.config, rules: metas }));
  const severities = { ...settings.severities };
  for (const key of options.ignore ?? []) {
    const codes = metas.filter((m) => m.code === key.toUpperCase() || m.name === key || m.sources.some((s) => s.id.toUpperCase() === key.toUpperCase() && s.relation === 'same'));
    if (codes.length === 0) throw new UsageError(`--ignore ${key}: no such rule`, { code: 'unknown-rule', hint: 'run `ballast rules` to list codes and names' });
    for (const meta of codes) severities[meta.code] = 'off';
  }
  const rules = allRules.filter((r) => severities[r.meta.code] !== 'off');
  const ignored = settings.ignorePaths.map(globToRegExp);
  const targets: TargetResult[] = [];
  const diffs: string[] = [];
  let fixedCount = 0;
  for (const file of files) {
    if (file !== '-' && ignored.some((re) => re.test(relative(settings.baseDir, file)))) continue;
    const display = file === '-' ? (options.stdinFilename ?? '-') : relative(options.cwd, file) || basename(file);
    const text = file === '-' ? await readStdin(options) : readDockerfile(file, display);
    const contextDir = options.context ? resolve(options.cwd, options.context) : file === '-' ? undefined : dirname(file);
    const lintOne = (source: string) =>
      lintText(source, display, rules, {
        severities,
        ruleOptions: settings.ruleOptions,
        readContextFile: contextReader(contextDir),
        pragmas: settings.pragmas,
        hadolintPragmas: settings.hadolintPragmas,
      }).findings;
    if ((options.fix || options.fixDryRun) && file !== '-') {
      const fixed = fixUntilStable(text, lintOne, options.unsafeFixes);
      if (fixed.text !== text) {
        if (options.fixDryRun) diffs.push(unifiedDiff(display, text, fixed.text));
        else {
          writeFileAtomic(file, fixed.text);
          fixedCount += fixed.fixed;
        }
      }
      targets.push({ target: display, findings: lintOne(options.fixDryRun ? text : fixed.text), stats: { lines: text.split('\n').length } });
      continue;
    }
    targets.push({ target: display, findings: lintOne(text), stats: { lines: text.split('\n').length } });
  }
  const failOn = options.failOn ?? settings.failOn;
  const report = buildReport(targets, rules.map((r) => r.meta), options.version ?? '0.0.0');
  const failing = failOn !== 'none' && targets.some((t) => t.findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]));
  return { report, exitCode: failing ? 1 : 0, failOn, configFile: settings.source, diffs, fixedCount };
}

function defaultFiles(cwd: string): string[] {
  for (const name of ['Dockerfile', 'Containerfile']) if (existsSync(join(cwd, name))) return [name];
  throw new UsageError('no Dockerfile given and none in the current directory', { code: 'no-input', hint: 'pass a Dockerfile path, a directory, or - to read stdin' });
}

function readDockerfile(file: string, display: string): string {
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch (error) {
    throw new SourceError(`cannot read ${display}: ${(error as NodeJS.ErrnoException).code === 'EISDIR' ? 'is a directory' : (error as Error).message}`, { code: 'read', cause: error });
  }
  // A NUL byte in the first KB means this is not a text file: say so instead of reporting nonsense.
  if (buffer.subarray(0, 1024).includes(0)) {
    throw new SourceError(`${display} is not a text file`, { code: 'binary-input', hint: 'pass a Dockerfile (text), not an image or archive; `ballast analyze` reads images' });
  }
  return buffer.toString('utf8').replace(/^\uFEFF/, '');
}

async function readStdin(options: LintOptions): Promise<string> {
  if (!options.readStdin) throw new UsageError('reading - (stdin) is not available here', { code: 'no-stdin' });
  return options.readStdin();
}

function contextReader(dir: string | undefined): (name: string) => string | undefined | null {
  if (!dir) return () => null;
  return (name) => {
    const path = join(dir, name);
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };
}

export type { LintSettings };
