// Helpers for the tests that install ballast the way users do (npm pack, npm install -g, npx, pre-commit, a container
// build): a clean clone of this checkout, and child processes with a user's environment instead of jest's.
import { spawn } from 'node:child_process';
import { chmod, copyFile, lstat, mkdir, readlink, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * The environment a user's shell would give a child: without the `npm_*` variables `npm test` exports (an inherited
 * `npm_config_local_prefix` would point npm at this checkout instead of the directory it runs in) and jest's NODE_ENV.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'NODE_ENV' || key === 'INIT_CWD' || key === 'JEST_WORKER_ID') continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

/**
 * Runs a command to completion (killed after timeoutMs), collecting its output; never throws on a non-zero exit. Its
 * stdin is `input` when given, else /dev/null.
 */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? userEnv(),
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(
        new Error(`${command} could not start (${error.message}); scripts/setup-tests.sh installs what the tests run`),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** Like run, but a non-zero exit throws with the command's output, for setup steps. */
export async function runOk(
  command: string,
  args: string[],
  options: Parameters<typeof run>[2] = {},
): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

const gitIdentity = {
  GIT_AUTHOR_NAME: 'ballast test',
  GIT_AUTHOR_EMAIL: 'test@ballast.invalid',
  GIT_COMMITTER_NAME: 'ballast test',
  GIT_COMMITTER_EMAIL: 'test@ballast.invalid',
};

/** A git environment that ignores the machine's git config and commits as a fixed test identity. */
export function gitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return userEnv({ ...gitIdentity, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', ...extra });
}

/**
 * Copies this checkout as it is on disk (every file git tracks or would track, so no node_modules or dist, and
 * uncommitted changes included) into `dest`, commits it in a fresh repository and returns the commit: what a user's
 * clean clone at a commit holds, whatever state the checkout under test is in.
 */
export async function snapshotRepo(dest: string): Promise<string> {
  const listed = await runOk('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    env: gitEnv(),
  });
  for (const path of new Set(listed.stdout.split('\0').filter(Boolean))) {
    const from = join(repoRoot, path);
    const stat = await lstat(from).catch(() => undefined);
    if (!stat) continue; // tracked but deleted in the working tree
    const to = join(dest, path);
    await mkdir(dirname(to), { recursive: true });
    if (stat.isSymbolicLink()) await symlink(await readlink(from), to);
    else if (stat.isFile()) {
      await copyFile(from, to);
      await chmod(to, stat.mode & 0o777);
    }
  }
  const git = (...args: string[]) => runOk('git', args, { cwd: dest, env: gitEnv() });
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-q', '--no-gpg-sign', '-m', 'snapshot of the checkout under test');
  return (await git('rev-parse', 'HEAD')).stdout.trim();
}

/** The median of a few numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
