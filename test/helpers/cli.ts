// Runs the real `ballast` executable (the compiled dist/, so `npm run build` first) as a user would.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  input?: string | Uint8Array;
  cwd?: string;
  /** Killed with SIGKILL after this long (a hang fails the test instead of stalling it). */
  timeoutMs?: number;
  /** A command the CLI runs under, e.g. `['setpriv', '--reuid=nobody', ...]`. */
  wrapper?: string[];
}

/** Starts the CLI without waiting for it, so a test can signal it or watch what it writes meanwhile. */
export function startCli(
  args: string[],
  options: CliOptions = {},
): { child: ChildProcess; done: Promise<CliResult & { signal: NodeJS.Signals | null }> } {
  const [command, ...rest] = [...(options.wrapper ?? []), process.execPath, bin, ...args];
  const child = spawn(command, rest, {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  child.stdin!.end(options.input ?? '');
  return { child, done };
}

export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const { code, stdout, stderr } = await startCli(args, options).done;
  return { code, stdout, stderr };
}

/** No CI system's variables but those a test sets, whatever machine (or CI) runs the tests: pass as `env`. */
export const NO_CI = {
  GITHUB_ACTIONS: '',
  GITHUB_WORKSPACE: '',
  GITLAB_CI: '',
  CI_PROJECT_DIR: '',
  BUILD_SOURCESDIRECTORY: '',
};

/**
 * Runs the CLI with stdout and stderr on a terminal `columns` wide (util-linux's `script` gives it one), as a person's
 * shell has: `output` is what the terminal showed, both streams together. `env` replaces the environment when given.
 */
export function runOnTerminal(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; columns?: number; timeoutMs?: number } = {},
): { code: number | null; output: string } {
  if (spawnSync('script', ['--version']).status !== 0) {
    throw new Error(
      "no `script` (util-linux, Debian's bsdutils): run scripts/setup-tests.sh (apt-get install bsdutils)",
    );
  }
  const quoted = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = spawnSync('script', ['-qfec', `stty cols ${options.columns ?? 100} rows 24; ${quoted}`, '/dev/null'], {
    cwd: options.cwd,
    env: options.env ?? { ...process.env, NO_COLOR: '1', TERM: 'xterm' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * A run of the CLI on input that may hang or fill the heap: a hang is killed after 30 s and fails the caller's check
 * (code null), and the heap cap makes a whole read of /dev/zero fail fast.
 */
export const boundedRun = (args: string[], cwd: string): Promise<CliResult> =>
  runCli(args, {
    cwd,
    timeoutMs: 30_000,
    env: { NODE_OPTIONS: '--max-old-space-size=256', BALLAST_WORKERS: '0' },
  });

/** The run was refused as the product refuses bad input: exit 2, nothing on stdout, one error line with a hint. */
export function expectRefused(run: CliResult, pattern: RegExp): void {
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: .+ \(hint: .+\)$/);
  expect(lines[0]).toMatch(pattern);
}
