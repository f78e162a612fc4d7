#!/usr/bin/env node
/* global URL, performance */
// Benchmarks of `ballast analyze` (the compiled dist/, so `npm run build` first), each against a baseline measured in
// the same run (runs alternate, so machine load affects both sides alike; medians of time, the MAX of peak RSS):
//
//   big        analyze big.oci, no cache            vs  zlib inflating every layer once, one after another, one
//                                                       thread: 1 MiB createReadStream reads piped into
//                                                       createGunzip({chunkSize: 1 MiB}), consumed with 'data' events
//   big+diffid the same with --verify-diff-ids       vs  the same baseline
//   zstd       analyze big.zstd.oci, no cache       vs  the same with the zstd decoder ballast uses
//   cache      a second analyze of big (warm cache) vs  the first (cold cache, which fills it); and a third with
//              only the layer cache (result cache emptied), recorded
//   shared     analyze big after debian-base (its base) was analysed with the same cache: layers read
//
//   node bench/analyze.js [--runs N] [--workers N] [--quick] [--only big|diffid|zstd|cache|shared]
//
// Images: big.oci, big.zstd.oci, debian-base.oci of the real-image corpus ($BALLAST_CORPUS, else the .corpus link).
// --quick uses small synthetic images instead (bench/synthetic.js) and one run: it proves the benchmark runs.
import {
  createReadStream,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  closeSync,
  rmSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { analyzeInChild, corpusDir, maxRssMB, median, quick, report, takeOption, timed } from './common.js';
import { buildSyntheticImage, canWriteZstd } from './synthetic.js';

const args = process.argv.slice(2).filter((a) => a !== '--quick');
const opt = (name, fallback) => takeOption(args, name, fallback);
const runs = quick ? 1 : Number(opt('--runs', '3'));
const workers = opt('--workers', undefined);
const only = opt('--only', undefined);
const root = fileURLToPath(new URL('..', import.meta.url));

if (args[0] === '--child') {
  // Child mode (common.js analyzeInChild): one analyze in a fresh process, so its peak RSS is its own. Reports the
  // layers it read.
  const [, image, options] = args;
  const { analyze } = await import(join(root, 'dist/src/services/analyze.js'));
  const read = new Set();
  const { result, ms, cpuMs } = await timed(() =>
    analyze({ image, ...JSON.parse(options), onProgress: (p) => read.add(p.layer) }),
  );
  process.stdout.write(
    JSON.stringify({
      ms,
      cpuMs,
      maxRssMB: maxRssMB(),
      layers: result.summary.layers,
      layersRead: read.size,
      files: result.summary.finalFiles,
      uncompressedBytes: result.summary.uncompressedBytes,
    }),
  );
  process.exit(0);
}

if (!existsSync(join(root, 'dist/src/services/analyze.js'))) {
  console.error('bench/analyze: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const { createZstdDecompressor, zstdBackend } = await import(join(root, 'dist/src/image/compression.js'));

function layerBlobs(dir) {
  const blob = (d) => join(dir, 'blobs', ...d.split(':'));
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  let manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), 'utf8'));
  if (manifest.manifests) manifest = JSON.parse(readFileSync(blob(manifest.manifests[0].digest), 'utf8'));
  return manifest.layers.map((l) => blob(l.digest));
}

function magic(path) {
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(4);
  readSync(fd, head, 0, 4, 0);
  closeSync(fd);
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

/** The baseline: every layer inflated once, one after another, on one thread, the plainest fast way. */
async function inflateAll(blobs) {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  let bytes = 0;
  for (const path of blobs) {
    const kind = magic(path);
    const decoder =
      kind === 'gzip' ? createGunzip({ chunkSize: 1 << 20 }) : kind === 'zstd' ? createZstdDecompressor() : undefined;
    const input = createReadStream(path, { highWaterMark: 1 << 20 });
    const output = decoder ? input.pipe(decoder) : input;
    await new Promise((resolve, reject) => {
      input.on('error', reject);
      output.on('data', (chunk) => (bytes += chunk.length));
      output.on('error', reject);
      output.on('end', resolve);
    });
  }
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, bytes };
}

const analyzeOnce = (image, options) =>
  analyzeInChild(image, { workers: workers === undefined ? undefined : Number(workers), ...options });

const rows = [];
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** Alternates baseline and analyze `runs` times; one row. */
async function versusBaseline(name, image, options, target) {
  const blobs = layerBlobs(image);
  const base = [];
  const mine = [];
  const baseCpu = [];
  const mineCpu = [];
  let peak = 0;
  let info;
  for (let i = 0; i < runs; i++) {
    const g = await inflateAll(blobs);
    base.push(g.ms);
    baseCpu.push(g.cpuMs);
    info = analyzeOnce(image, options);
    mine.push(info.ms);
    mineCpu.push(info.cpuMs);
    peak = Math.max(peak, info.maxRssMB);
    // CPU time (all threads of the process) is the load-robust figure on a shared machine; wall time is the target.
    console.log(
      `  ${name} run ${i + 1}: baseline ${s(g.ms)} (cpu ${s(g.cpuMs)}), analyze ${s(info.ms)} (cpu ${s(info.cpuMs)}), peak RSS ${info.maxRssMB.toFixed(0)} MB, load ${loadavg()[0].toFixed(1)}`,
    );
  }
  const b = median(base);
  const a = median(mine);
  const ratio = a / b;
  rows.push({
    name,
    image: `${image} (${blobs.length} layers, ${(info.uncompressedBytes / 1e9).toFixed(3)} GB uncompressed, ${info.files} files)`,
    baseline: target.baseline,
    baselineMs: b,
    measuredMs: a,
    ratio,
    value: `cpu ${(median(mineCpu) / median(baseCpu)).toFixed(2)}x`,
    peakRssMB: peak,
    target: `<= ${target.ratio.toFixed(2)}x${target.rssMB ? `, <= ${target.rssMB} MB` : ''}`,
    pass: ratio <= target.ratio && (!target.rssMB || peak <= target.rssMB),
  });
}

const work = mkdtempSync(join(tmpdir(), 'ballast-bench-analyze-'));
try {
  let big = join(corpusDir, 'big.oci');
  let zstd = join(corpusDir, 'big.zstd.oci');
  let baseImage = join(corpusDir, 'debian-base.oci');
  if (quick) {
    // The same generator at 1,000 files per layer: the base is the first 2 layers of the larger image.
    big = (await buildSyntheticImage(join(work, 'big'), { files: 5000, layers: 5 })).dir;
    baseImage = (await buildSyntheticImage(join(work, 'base'), { files: 2000, layers: 2 })).dir;
    zstd = canWriteZstd()
      ? (await buildSyntheticImage(join(work, 'zstd'), { files: 5000, layers: 5, compression: 'zstd' })).dir
      : undefined;
  }
  for (const image of [big, baseImage]) {
    if (!existsSync(join(image, 'index.json'))) {
      console.error(
        `bench/analyze: ${image} is not an OCI layout directory (build the corpus with scripts/corpus, or use --quick)`,
      );
      process.exit(2);
    }
  }
  const gzipBaseline = 'zlib gunzip of every layer, one thread';
  if (!only || only === 'big')
    await versusBaseline(
      'analyze big --no-cache',
      big,
      { noCache: true },
      { ratio: 1.0, rssMB: 220, baseline: gzipBaseline },
    );
  if (!only || only === 'diffid')
    await versusBaseline(
      'analyze big --no-cache --verify-diff-ids',
      big,
      { noCache: true, verifyDiffIds: true },
      { ratio: 1.1, baseline: gzipBaseline },
    );
  if (!only || only === 'zstd') {
    if (zstd && existsSync(join(zstd, 'index.json')))
      await versusBaseline(
        'analyze big.zstd --no-cache',
        zstd,
        { noCache: true },
        { ratio: 1.0, baseline: `${zstdBackend()} zstd decoder on every layer, one thread` },
      );
    else
      rows.push({
        name: 'analyze big.zstd --no-cache',
        target: '<= 1.00x',
        pass: null,
        note: 'skipped: no zstd image (corpus missing, or zstd-napi not installed for --quick)',
      });
  }
  if (!only || only === 'cache') {
    // The second run is answered by the result cache; the third, with the result cache emptied, shows what the
    // layer cache alone gives (every layer decoded from it, the analysis computed again).
    const cacheDir = join(work, 'cache');
    const cold = [];
    const warm = [];
    const layersOnly = [];
    let peak = 0;
    let peakLayers = 0;
    for (let i = 0; i < runs; i++) {
      rmSync(cacheDir, { recursive: true, force: true });
      const c = analyzeOnce(big, { cacheDir });
      const w = analyzeOnce(big, { cacheDir });
      rmSync(join(cacheDir, 'results'), { recursive: true, force: true });
      const l = analyzeOnce(big, { cacheDir });
      cold.push(c.ms);
      warm.push(w.ms);
      layersOnly.push(l.ms);
      peak = Math.max(peak, w.maxRssMB);
      peakLayers = Math.max(peakLayers, l.maxRssMB);
      console.log(
        `  cache run ${i + 1}: first (cold cache) ${s(c.ms)}, second ${s(w.ms)} (layers read ${w.layersRead} of ${w.layers}), layer cache only ${s(l.ms)} (layers read ${l.layersRead}), peak RSS ${w.maxRssMB.toFixed(0)} / ${l.maxRssMB.toFixed(0)} MB`,
      );
    }
    const ratio = median(warm) / median(cold);
    rows.push({
      name: 'analyze big, second run (result + layer cache)',
      baseline: 'the first analyze (cold cache)',
      baselineMs: median(cold),
      measuredMs: median(warm),
      ratio,
      peakRssMB: peak,
      target: '<= 0.10x',
      pass: ratio <= 0.1,
    });
    rows.push({
      name: 'analyze big, second run, layer cache only',
      baseline: 'the first analyze (cold cache)',
      baselineMs: median(cold),
      measuredMs: median(layersOnly),
      ratio: median(layersOnly) / median(cold),
      peakRssMB: peakLayers,
      target: 'none (recorded)',
      pass: null,
      note: 'recorded',
    });
  }
  if (!only || only === 'shared') {
    const cacheDir = join(work, 'cache-shared');
    rmSync(cacheDir, { recursive: true, force: true });
    const first = analyzeOnce(baseImage, { cacheDir });
    const second = analyzeOnce(big, { cacheDir });
    const expected = second.layers - first.layers;
    console.log(
      `  shared base: ${baseImage} (${first.layers} layers) then ${big}: read ${second.layersRead} of ${second.layers} layers`,
    );
    rows.push({
      name: 'analyze big after its base (layer cache)',
      measuredMs: second.ms,
      peakRssMB: second.maxRssMB,
      target: `reads only its ${expected} own layers`,
      value: `read ${second.layersRead} of ${second.layers} layers`,
      pass: second.layersRead === expected,
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

for (const r of rows) {
  const ratio = r.ratio === undefined ? '' : `  ratio ${r.ratio.toFixed(2)}x`;
  const rss = r.peakRssMB === undefined ? '' : `  peak RSS ${r.peakRssMB.toFixed(0)} MB`;
  const times =
    r.measuredMs === undefined
      ? ''
      : `  ${s(r.measuredMs)}${r.baselineMs === undefined ? '' : ` vs ${s(r.baselineMs)} (${r.baseline})`}`;
  console.log(
    `${r.name}:${times}${ratio}${rss}${r.value ? `  ${r.value}` : ''}  target ${r.target}: ${r.pass === null ? r.note : r.pass ? 'PASS' : 'MISS'}`,
  );
}
report(rows.map((r) => ({ bench: 'analyze', ...r })));
