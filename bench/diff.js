#!/usr/bin/env node
/* global URL, performance */
// Benchmark of `ballast diff A B` (the compiled dist/, so `npm run build` first) on two images that share their
// base layers, against `ballast analyze B` (the larger image) measured in the same run. The shared layers are
// read once, so diff should cost little more than analyzing B alone: target <= 1.2x. Each run is a fresh process
// (its own peak RSS); runs alternate so machine load affects both sides alike; medians are reported.
//
//   node bench/diff.js [A B] [--runs N] [--workers N] [--quick]
//
// Both sides run without the layer result cache (it would serve every run after the first). --quick: a small
// synthetic pair sharing 2 base layers, one run.
// Default pair: $BALLAST_CORPUS/debian-base.oci (1 layer) and $BALLAST_CORPUS/big.oci (the same base + 3 layers);
// The corpus is $BALLAST_CORPUS, else the .corpus link setup-tests.sh makes. Any IMAGE arguments ballast accepts work.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { corpusDir, maxRssMB, median, quick, report, takeOption } from './common.js';
import { buildSyntheticImage } from './synthetic.js';

const args = process.argv.slice(2).filter((a) => a !== '--quick');
const opt = (name, fallback) => takeOption(args, name, fallback);
const runs = quick ? 1 : Number(opt('--runs', '3'));
const workers = opt('--workers', undefined);
const root = fileURLToPath(new URL('..', import.meta.url));
const workerCount = workers === undefined ? undefined : Number(workers);

if (args[0] === '--child') {
  // Child mode: one diff or analyze in a fresh process.
  const [, what, a, b] = args;
  const started = performance.now();
  let info;
  if (what === 'diff') {
    const { diffImages } = await import(join(root, 'dist/src/services/diff.js'));
    const r = await diffImages({ a, b, workers: workerCount, noCache: true });
    info = {
      sharedLayers: r.walk.sharedLayers,
      layersRead: r.walk.layersRead,
      changedFiles: r.files.totals.added.files + r.files.totals.removed.files + r.files.totals.changed.files,
    };
  } else {
    const { analyze } = await import(join(root, 'dist/src/services/analyze.js'));
    const r = await analyze({ image: a, workers: workerCount, noCache: true });
    info = { layers: r.summary.layers, files: r.summary.finalFiles, uncompressedBytes: r.summary.uncompressedBytes };
  }
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ ms, maxRssMB: maxRssMB(), ...info }));
  process.exit(0);
}

const corpus = corpusDir;
const work = mkdtempSync(join(tmpdir(), 'ballast-bench-diff-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const imageA = quick
  ? (await buildSyntheticImage(join(work, 'a'), { files: 2000, layers: 2 })).dir
  : (args[0] ?? join(corpus, 'debian-base.oci'));
const imageB = quick
  ? (await buildSyntheticImage(join(work, 'b'), { files: 4000, layers: 4 })).dir
  : (args[1] ?? join(corpus, 'big.oci'));
for (const image of [imageA, imageB]) {
  if (!existsSync(image)) {
    console.error(`bench/diff: ${image} does not exist (build the corpus, or pass two images)`);
    process.exit(2);
  }
}
if (!existsSync(join(root, 'dist/src/services/diff.js'))) {
  console.error('bench/diff: dist/ is missing; run `npm run build` first');
  process.exit(2);
}

function once(...childArgs) {
  const all = [fileURLToPath(import.meta.url), '--child', ...childArgs];
  if (workers !== undefined) all.push('--workers', workers);
  const child = spawnSync(process.execPath, all, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`${childArgs[0]} failed: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

const diffs = [];
const peaks = [];
const analyses = [];
let d;
let an;
for (let i = 0; i < runs; i++) {
  // Alternate which goes first, so a warm page cache favours neither side.
  if (i % 2 === 0) {
    an = once('analyze', imageB);
    d = once('diff', imageA, imageB);
  } else {
    d = once('diff', imageA, imageB);
    an = once('analyze', imageB);
  }
  diffs.push(d.ms);
  analyses.push(an.ms);
  peaks.push(d.maxRssMB);
  console.log(
    `run ${i + 1}: analyze B ${(an.ms / 1000).toFixed(2)} s (peak RSS ${an.maxRssMB.toFixed(0)} MB), diff A B ${(d.ms / 1000).toFixed(2)} s (peak RSS ${d.maxRssMB.toFixed(0)} MB)`,
  );
}
const a = median(analyses);
const x = median(diffs);
console.log(`A: ${imageA}`);
console.log(
  `B: ${imageB} (${an.layers} layers, ${(an.uncompressedBytes / 1e9).toFixed(2)} GB uncompressed, ${an.files} files)`,
);
console.log(
  `shared layers: ${d.sharedLayers}; layers read: A ${d.layersRead.a}, B ${d.layersRead.b}; changed entries: ${d.changedFiles}`,
);
console.log(`analyze B: ${(a / 1000).toFixed(2)} s`);
console.log(`diff A B:  ${(x / 1000).toFixed(2)} s  ratio ${(x / a).toFixed(2)}x (target <= 1.20x)`);
report([
  {
    bench: 'diff',
    name: 'diff base big --no-cache',
    baseline: 'analyze B --no-cache',
    baselineMs: a,
    measuredMs: x,
    ratio: x / a,
    peakRssMB: Math.max(...peaks),
    target: '<= 1.20x',
    pass: x / a <= 1.2,
  },
]);
