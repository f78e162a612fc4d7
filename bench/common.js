// Helpers the standalone benchmarks share: reading `--name value` options, taking medians, finding the corpus, one
// analyze in a child process.
/* global URL, performance */
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `--help`/`-h` on any benchmark: its header comment (what it measures, its usage), then exit, instead of reading the
// flag as an image name or starting a run of many minutes. Here because every benchmark imports this module first.
if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
  const header = readFileSync(process.argv[1], 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('#!') && !line.startsWith('/*'));
  const end = header.findIndex((line) => !line.startsWith('//'));
  console.log(
    header
      .slice(0, end === -1 ? header.length : end)
      .map((line) => line.replace(/^\/\/ ?/, ''))
      .join('\n'),
  );
  process.exit(0);
}

/** The real-image corpus, found as the tests find it: $BALLAST_CORPUS, else the .corpus link setup-tests.sh makes. */
export const corpusDir = process.env.BALLAST_CORPUS || join(fileURLToPath(new URL('..', import.meta.url)), '.corpus');

/** Removes `name value` from `args` and returns the value (or `fallback` when absent). */
export function takeOption(args, name, fallback) {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `--quick`: prove the benchmark runs (tiny inputs, one run), timings not meaningful. */
export const quick = process.argv.includes('--quick');

/**
 * Records result rows for bench/run.js (which sets BENCH_REPORT to a file): each row is
 * { name, measuredMs, baselineMs?, baseline?, ratio?, peakRssMB?, target, pass, note? }. `target` is the text
 * printed; `pass` is true/false, or null where no target applies. Standalone runs print the rows themselves.
 */
export function report(rows) {
  const file = process.env.BENCH_REPORT;
  if (file) appendFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/**
 * This process's peak RSS in MB (children report their own). On Linux from /proc/self/status (VmHWM): getrusage's
 * maxRSS of a spawned process starts at its parent's RSS when it forked, which a large parent would hide this
 * process's own peak under.
 */
export function maxRssMB() {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs `fn` once: its result, wall time and CPU time (all threads of this process) in ms. */
export async function timed(fn) {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await fn();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  return { result, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/**
 * One `analyze` (the compiled service) of `image` with `options` in a fresh process, so its peak RSS is its own:
 * bench/analyze.js's child mode. Returns what the child reports: { ms, cpuMs, maxRssMB, layers, layersRead, files,
 * uncompressedBytes }.
 */
export function analyzeInChild(image, options) {
  const script = fileURLToPath(new URL('./analyze.js', import.meta.url));
  const child = spawnSync(process.execPath, [script, '--child', image, JSON.stringify(options)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`analyze ${image} failed: ${child.stderr}`);
  return JSON.parse(child.stdout);
}
