// ShellCheck inside `ballast lint`, run the way hadolint runs it: each shell-form RUN of a POSIX shell becomes a script
// with a shebang from the SHELL in effect and the stage's ARG/ENV names (and the RUN's secret `env=` names) declared (so
// they are not SC2154), and the findings come back as SC#### at the Dockerfile line they point to. One shellcheck
// process per Dockerfile checks all its scripts, each in its own file, so every script is analysed alone (as hadolint
// does) without a process per RUN.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { sourceLines, type Instruction, type ParsedDockerfile } from '../dockerfile/parse.js';
import type { StageModel } from '../dockerfile/stages.js';
import { BallastError, UsageError } from '../errors.js';
import type { Severity } from '../report/types.js';
import { pragmaShell } from './pragmas.js';
import { tempWriteError } from '../temp-files.js';

/** One RUN script as ShellCheck reads it, with the Dockerfile line of each of its lines. */
export interface ShellScript {
  instruction: Instruction;
  text: string;
  /** Script line (0-based) -> 1-based Dockerfile line. */
  lines: number[];
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

// BuildKit's predefined proxy ARGs are always available to RUN.
const PROXY_NAMES = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'FTP_PROXY',
  'ftp_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
];
// Dialects ShellCheck knows by shebang; any other POSIX shell (ash, busybox) is checked as sh.
const DIALECTS = new Set(['sh', 'bash', 'dash', 'ksh']);
const SHELL_SHEBANG = /^#!\s*(?:\S*\/)?(?:env\s+)?(sh|bash|dash|ksh|ash|zsh|mksh)\b/;
// hadolint always leaves these out: sourcing files ShellCheck cannot see, and a check about `alias` scoping.
export const EXCLUDED_CODES = ['SC1090', 'SC1091', 'SC2187'];

/** The RUN scripts of a Dockerfile that ShellCheck should see (ONBUILD RUN included), in file order. */
export function shellScripts(parsed: ParsedDockerfile, stages: StageModel): ShellScript[] {
  const pragma = pragmaShell(parsed.text);
  // A Dockerfile with another escape character is a Windows one; its RUN text is not a POSIX script.
  if ((pragma && !/^(\/bin\/)?(sh|bash|dash|ash|ksh)$/.test(pragma)) || parsed.escapeChar !== '\\') return [];
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
      ...PROXY_NAMES,
      ...secretEnvNames(run),
    ].filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
    const script = scriptOf(run, lines, stages.shellAt[instruction.index], [...new Set(names)]);
    if (script) scripts.push(script);
  }
  return scripts;
}

/**
 * `RUN --mount=type=secret,id=tok,env=TOKEN`: the builder sets TOKEN to the secret for this RUN only, so the script
 * reads a variable it never assigns.
 */
function secretEnvNames(run: Instruction): string[] {
  const names: string[] = [];
  for (const flag of run.flagList) {
    if (flag.name !== 'mount') continue;
    // The builder reads mount option names (and the type) in any case.
    const options = new Map(Object.entries(flag.options).map(([k, v]) => [k.toLowerCase(), v]));
    const env = options.get('env');
    if (options.get('type')?.toLowerCase() === 'secret' && env) names.push(env);
  }
  return names;
}

function scriptOf(
  run: Instruction,
  lines: string[],
  shell: string | undefined,
  names: string[],
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
      // The builder takes `\` followed by blanks as a continuation too; the shell would read an escaped blank.
      continued = /\\\s*$/.test(text);
      if (continued) body[body.length - 1] = body[body.length - 1].replace(/\s+$/, '');
    });
  }
  if (body.every((l) => l.trim() === '')) return undefined;
  const ownShebang = SHELL_SHEBANG.exec(body[0]);
  if (body[0].startsWith('#!') && !ownShebang) return undefined;
  const program = (run.heredocShell ?? shell ?? '/bin/sh').split(/[\\/]/).pop() ?? 'sh';
  const prelude: string[] = [];
  if (!ownShebang) prelude.push(`#!/bin/${DIALECTS.has(program) ? program : 'sh'}`);
  const declare = names.length > 0 ? [`export ${names.join(' ')}`] : [];
  const text = ownShebang ? [body[0], ...declare, ...body.slice(1)] : [...prelude, ...declare, ...body];
  // Lines ballast adds (shebang, declarations) belong to the RUN's first line.
  const map = ownShebang
    ? [at[0], ...declare.map(() => run.line), ...at.slice(1)]
    : [...prelude.map(() => run.line), ...declare.map(() => run.line), ...at];
  return { instruction: run, text: `${text.join('\n')}\n`, lines: map };
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

/** A runner that checks all scripts of one Dockerfile with one `shellcheck --format=json1` process. */
export function shellcheckRunner(binary: string): ShellcheckRunner {
  return (scripts) => {
    if (scripts.length === 0) return [];
    let dir: string | undefined;
    let files: string[];
    try {
      dir = mkdtempSync(join(tmpdir(), 'ballast-sc-'));
      files = scripts.map((script, i) => {
        const file = join(dir!, `${i}.sh`);
        writeFileSync(file, script.text);
        return file;
      });
    } catch (error) {
      if (dir) rmSync(dir, { recursive: true, force: true });
      throw tempWriteError(error, { what: 'the RUN scripts for ShellCheck', room: 'a few small files' });
    }
    try {
      // --norc: findings must not depend on a .shellcheckrc that happens to be in the temp dir's parents or the home dir.
      const result = spawnSync(
        binary,
        ['--format=json1', '--norc', `--exclude=${EXCLUDED_CODES.join(',')}`, ...files],
        {
          encoding: 'utf8',
          maxBuffer: 256 * 1024 * 1024,
          // A stuck shellcheck must not hang the lint: it gets a minute per Dockerfile.
          timeout: 60_000,
        },
      );
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
      const parsed = JSON.parse(result.stdout || '{"comments":[]}') as Json1;
      const index = new Map(files.map((f, i) => [f, i]));
      return parsed.comments.flatMap((c) => {
        const script = index.get(c.file);
        if (script === undefined) return [];
        const map = scripts[script].lines;
        const lineOf = (l: number): number => map[Math.min(Math.max(l - 1, 0), map.length - 1)];
        return [
          {
            script,
            code: c.code,
            level: c.level,
            message: c.message,
            line: lineOf(c.line),
            column: c.column,
            endLine: lineOf(c.endLine),
            endColumn: c.endColumn,
          },
        ];
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
