// `npm run bench -- --quick` (the compiled dist/, so `npm run build` first) proves every benchmark still runs: each on
// tiny synthetic images or files, once. No timing is asserted (CI machines are shared); only that every benchmark
// ran to completion and reported its rows, with a number and a target each.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;
const runJs = fileURLToPath(new URL('../../bench/run.js', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runJs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 540_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run bench -- --quick', () => {
  it('runs every benchmark and prints a row with a target for each measurement', async () => {
    const r = await run(['--quick']);
    expect(r.stderr).not.toMatch(/failed to run/);
    expect(r.code).toBe(0);
    const table = r.stdout.slice(r.stdout.lastIndexOf('benchmark '));
    const rows = table.split('\n').slice(1).filter(Boolean);
    const names = rows.map((row) => row.split(/\s{2,}/)[0]);
    expect(names).toEqual([
      'analyze: analyze big --no-cache',
      'analyze: analyze big --no-cache --verify-diff-ids',
      'analyze: analyze big.zstd --no-cache',
      'analyze: analyze big, second run (result + layer cache)',
      'analyze: analyze big, second run, layer cache only',
      'analyze: analyze big after its base (layer cache)',
      'registry: analyze big from a registry, cold cache',
      'registry: analyze big from a registry, --no-cache',
      'scale: analyze 2,000 files / 20 layers',
      'diff: diff base big --no-cache',
      'lint: lint 50 Dockerfiles in one process',
      // (bench/lint.js measures lint with ShellCheck where a shellcheck is on PATH, as scripts/setup-tests.sh installs)
      ...(hasShellcheck ? ['lint: lint 50 Dockerfiles with ShellCheck'] : []),
      expect.stringMatching(/^lint: lint corpus \(\d+ files\)$/),
      'lint: cold start, one file, fast path',
      'lint: cold start, one file, oclif path',
      "explore-keys: key -> frame 80x24, worst kind's p95",
      "explore-keys: key -> frame 200x60, worst kind's p95",
    ]);
    // Every ratio is a positive number; the shared-base run read only the layers its base does not have.
    for (const ratio of table.matchAll(/ (\d+\.\d+)x/g)) expect(Number(ratio[1])).toBeGreaterThan(0);
    expect(table).toMatch(/read 3 of 5 layers/);
  }, 600_000);
});

describe('a benchmark asked for --help', () => {
  // Before, `node bench/analyze.js --help` started a run of several minutes and explore-keys read the flag as an image.
  it.each(['analyze', 'diff', 'explore-keys', 'lint', 'registry', 'run', 'scale'])(
    '%s prints its header comment and exits 0 at once',
    (name) => {
      const file = fileURLToPath(new URL(`../../bench/${name}.js`, import.meta.url));
      const r = spawnSync(process.execPath, [file, '--help'], { encoding: 'utf8', timeout: 15_000 });
      expect([r.status, r.signal, r.stderr]).toEqual([0, null, '']);
      const firstLine = readFileSync(file, 'utf8')
        .split('\n')
        .find((line) => line.startsWith('// '))!
        .slice(3);
      expect(r.stdout.split('\n')[0]).toBe(firstLine);
      expect(r.stdout).not.toMatch(/^\/\//m);
    },
  );
});
