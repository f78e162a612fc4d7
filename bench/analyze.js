#!/usr/bin/env node
/* global URL, performance */
// Benchmark of `ballast analyze` (the compiled dist/, so `npm run build` first) on a big OCI layout, against a
// baseline measured in the same run: gunzipping all of the image's layer blobs with Node's zlib, one layer after
// the other on one thread. Prints wall times, their ratio and analyze's peak RSS. Runs alternate so machine
// load affects both sides alike; the median of each side is reported.
//
//   node bench/analyze.js [OCI_LAYOUT_DIR] [--runs N] [--workers N] [--verify-diff-ids]
//
// Default image: big.oci of the real-image corpus: $BALLAST_CORPUS, else the .corpus link scripts/setup-tests.sh makes.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusDir, median, takeOption } from './common.js';
import { createGunzip } from 'node:zlib';

const args = process.argv.slice(2);
const opt = (name, fallback) => takeOption(args, name, fallback);
const runs = Number(opt('--runs', '3'));
const workers = opt('--workers', undefined);
const verifyDiffIds = args.includes('--verify-diff-ids');
if (verifyDiffIds) args.splice(args.indexOf('--verify-diff-ids'), 1);
const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = corpusDir;
const image = args[0] ?? join(corpus, 'big.oci');

if (process.argv.includes('--child')) {
  // Child mode: one analyze run in a fresh process, so its peak RSS is its own.
  const { analyze } = await import(join(root, 'dist/src/services/analyze.js'));
  const started = performance.now();
  const result = await analyze({
    image: process.argv[process.argv.indexOf('--child') + 1],
    workers: workers === undefined ? undefined : Number(workers),
    verifyDiffIds,
  });
  const ms = performance.now() - started;
  process.stdout.write(
    JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024, files: result.summary.finalFiles, uncompressedBytes: result.summary.uncompressedBytes }),
  );
  process.exit(0);
}

if (!existsSync(join(image, 'index.json'))) {
  console.error(`bench/analyze: ${image} is not an OCI layout directory (build the corpus, or pass one)`);
  process.exit(2);
}
if (!existsSync(join(root, 'dist/src/services/analyze.js'))) {
  console.error('bench/analyze: dist/ is missing; run `npm run build` first');
  process.exit(2);
}

function layerBlobs(dir) {
  const blob = (d) => join(dir, 'blobs', ...d.split(':'));
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  let manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), 'utf8'));
  if (manifest.manifests) manifest = JSON.parse(readFileSync(blob(manifest.manifests[0].digest), 'utf8'));
  return manifest.layers.map((l) => blob(l.digest));
}

async function gunzipAll(blobs) {
  const started = performance.now();
  let bytes = 0;
  for (const path of blobs) {
    for await (const chunk of createReadStream(path).pipe(createGunzip({ chunkSize: 256 * 1024 }))) bytes += chunk.length;
  }
  return { ms: performance.now() - started, bytes };
}

function analyzeOnce() {
  const childArgs = [fileURLToPath(import.meta.url), '--child', image];
  if (workers !== undefined) childArgs.push('--workers', workers);
  if (verifyDiffIds) childArgs.push('--verify-diff-ids');
  const child = spawnSync(process.execPath, childArgs, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`analyze failed: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

const blobs = layerBlobs(image);
const base = [];
const mine = [];
let info;
for (let i = 0; i < runs; i++) {
  const g = await gunzipAll(blobs);
  base.push(g.ms);
  info = analyzeOnce();
  mine.push(info.ms);
  console.log(`run ${i + 1}: gunzip ${(g.ms / 1000).toFixed(2)} s, analyze ${(info.ms / 1000).toFixed(2)} s, peak RSS ${info.maxRssMB.toFixed(0)} MB`);
}
const b = median(base);
const a = median(mine);
console.log(`image: ${image} (${blobs.length} layers, ${(info.uncompressedBytes / 1e9).toFixed(2)} GB uncompressed, ${info.files} files)`);
console.log(`baseline (zlib gunzip, one thread): ${(b / 1000).toFixed(2)} s`);
console.log(`analyze:                            ${(a / 1000).toFixed(2)} s  ratio ${(a / b).toFixed(2)}x (target <= 1.30x)`);
console.log(`analyze peak RSS:                   ${Math.max(...[info.maxRssMB]).toFixed(0)} MB (target < 300 MB)`);
