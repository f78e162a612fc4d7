#!/usr/bin/env node
/* global URL */
// `npm run bench [-- --quick] [-- --only analyze,scale]`: runs every benchmark (each in its own process, on the
// compiled dist/), then prints one table: per measurement the ratio against its baseline measured in the same run
// (machines here are shared and noisy: never compare absolute times across runs), the peak RSS (the maximum over
// runs), the target and PASS/MISS. --quick runs each on tiny inputs once, to prove the benchmarks still run: its
// timings mean nothing and it fails only when a benchmark fails to run. bench/README.md records full runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { takeOption } from './common.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = takeOption(args, '--only', undefined)?.split(',');
const BENCHES = ['analyze', 'registry', 'scale', 'diff', 'lint', 'explore-keys'];

if (!existsSync(join(root, 'dist/src/services/analyze.js'))) {
  console.error('bench: dist/ is missing; run `npm run build` first');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'ballast-bench-'));
const reportFile = join(work, 'rows.jsonl');
const failed = [];
console.log(`ballast benchmarks${quick ? ' (--quick: tiny inputs, one run; timings not meaningful)' : ''}`);
console.log(
  `machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
for (const bench of BENCHES.filter((b) => !only || only.includes(b))) {
  console.log(`\n== ${bench}`);
  const started = Date.now();
  const child = spawnSync(process.execPath, [join(root, 'bench', `${bench}.js`), ...(quick ? ['--quick'] : [])], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_REPORT: reportFile },
  });
  if (child.status !== 0) failed.push(`${bench} (exit ${child.status ?? child.signal})`);
  console.log(`== ${bench}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const rows = existsSync(reportFile)
  ? readFileSync(reportFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : [];
rmSync(work, { recursive: true, force: true });

const cell = (r) => [
  `${r.bench}: ${r.name}`,
  // Two significant digits below 0.01 (a warm cache answers in a thousandth of the cold time): never a bare 0.00x.
  [r.ratio === undefined ? '' : `${r.ratio < 0.01 ? r.ratio.toPrecision(2) : r.ratio.toFixed(2)}x`, r.value ?? '']
    .filter(Boolean)
    .join(', '),
  r.peakRssMB === undefined ? '' : `${r.peakRssMB.toFixed(0)} MB`,
  r.target ?? '',
  r.pass === null || r.pass === undefined ? (r.note ?? 'n/a') : quick ? 'ran' : r.pass ? 'PASS' : 'MISS',
];
const table = [['benchmark', 'ratio / value', 'peak RSS', 'target', quick ? 'result' : 'PASS/MISS'], ...rows.map(cell)];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
console.log('');
for (const row of table)
  console.log(
    row
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
if (failed.length) {
  console.error(`\nbench: failed to run: ${failed.join(', ')}`);
  process.exit(1);
}
