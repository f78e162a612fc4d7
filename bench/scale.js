#!/usr/bin/env node
/* global URL, performance */
// Scale benchmark: `analyze` (the compiled dist/, no cache) of synthetic images of 10k, 100k and 1M small files over
// 20 layers (bench/synthetic.js, generated with tar-stream into a temp dir). For each: time, peak RSS, and RSS per
// tar entry above the process baseline (the child's RSS once the analyze modules are loaded, before the walk).
// Targets at 1M: within 60 s, <= 300 bytes per entry; the table shows whether time and memory grow linearly.
// `--one-layer`: the files are empty and all in one layer (over a small base), so the per-layer state (the layer's
// entry list, dive's tree of the layer) is the whole image's at once; recorded, no target of its own.
// `--child LAYOUT` analyzes an existing layout alone and prints its figures as JSON (run it with --expose-gc).
//
//   node bench/scale.js [--sizes 10000,100000,1000000] [--one-layer] [--quick]
//   node --expose-gc bench/scale.js --child LAYOUT
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { maxRssMB, quick, report, takeOption, timed } from './common.js';
import { buildSyntheticImage } from './synthetic.js';

const args = process.argv.slice(2).filter((a) => a !== '--quick' && a !== '--one-layer');
const oneLayer = process.argv.includes('--one-layer');
const root = fileURLToPath(new URL('..', import.meta.url));

if (args[0] === '--child') {
  const { analyze } = await import(join(root, 'dist/src/services/analyze.js'));
  // Settle what start-up allocated, so the baseline is the loaded process, not its garbage.
  globalThis.gc?.();
  const baselineMB = process.memoryUsage().rss / 2 ** 20;
  const { result, ms, cpuMs } = await timed(() => analyze({ image: args[1], noCache: true }));
  process.stdout.write(
    JSON.stringify({
      ms,
      cpuMs,
      baselineMB,
      maxRssMB: maxRssMB(),
      finalFiles: result.summary.finalFiles,
      files: result.summary.files,
    }),
  );
  process.exit(0);
}

const sizes = quick ? [2000] : takeOption(args, '--sizes', '10000,100000,1000000').split(',').map(Number);
const rows = [];
const work = mkdtempSync(join(tmpdir(), 'ballast-bench-scale-'));
try {
  // CPU time beside wall time: on a loaded machine wall time mostly measures the wait for a core.
  console.log('  files      entries  layers   generate      analyze   analyze CPU   peak RSS   baseline   bytes/entry');
  for (const files of sizes) {
    const dir = join(work, String(files));
    const g0 = performance.now();
    const image = await buildSyntheticImage(dir, { files, layers: 20, oneLayer });
    const genMs = performance.now() - g0;
    const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', dir], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    rmSync(dir, { recursive: true, force: true });
    if (child.status !== 0) throw new Error(`analyze of ${files} files failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout);
    const perEntry = ((r.maxRssMB - r.baselineMB) * 2 ** 20) / image.entries;
    console.log(
      `${String(files).padStart(7)} ${String(image.entries).padStart(12)} ${String(image.layers).padStart(7)} ${(genMs / 1000).toFixed(1).padStart(8)} s ${(r.ms / 1000).toFixed(1).padStart(10)} s ${(r.cpuMs / 1000).toFixed(1).padStart(11)} s ${r.maxRssMB.toFixed(0).padStart(7)} MB ${r.baselineMB.toFixed(0).padStart(7)} MB ${perEntry.toFixed(0).padStart(12)}`,
    );
    const big = files >= 1_000_000 && !oneLayer;
    rows.push({
      bench: 'scale',
      name: `analyze ${files.toLocaleString('en')} ${oneLayer ? 'empty files in one layer' : `files / ${image.layers} layers`}`,
      measuredMs: r.ms,
      peakRssMB: r.maxRssMB,
      value: `${(r.ms / 1000).toFixed(1)} s (cpu ${(r.cpuMs / 1000).toFixed(1)} s), ${perEntry.toFixed(0)} B/entry`,
      target: big ? '<= 60 s, <= 300 B/entry' : oneLayer ? 'none (recorded)' : '(linear growth)',
      pass: big ? r.ms <= 60_000 && perEntry <= 300 : null,
      note: big ? undefined : oneLayer ? 'recorded' : 'table row',
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
report(rows);
