#!/usr/bin/env node
/* global URL, fetch, setTimeout */
// `analyze` of an image pulled from a real registry against the same image read from its OCI layout, runs
// alternating (so machine load affects both alike; medians of time, the MAX of peak RSS):
//
//   cold cache   analyze docker://127.0.0.1:PORT/big:latest, empty cache    vs  analyze big.oci, empty cache
//                (blobs streamed into the walk as they download, teed into the blob cache)
//   no cache     the same two with --no-cache (nothing written), recorded
//
//   node bench/registry.js [--runs N] [--quick]
//
// The registry is Debian's docker-registry (CNCF distribution) on 127.0.0.1 with an ephemeral port and a temp dir,
// started and stopped (by PID) here; the image is pushed with `skopeo copy --preserve-digests`, so both sides read
// the very same blobs. Image: corpus big.oci ($BALLAST_CORPUS, else the .corpus link); --quick uses a small
// synthetic image (bench/synthetic.js) and one run: it proves the benchmark runs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeInChild, corpusDir, median, quick, report, takeOption } from './common.js';
import { buildSyntheticImage } from './synthetic.js';

const args = process.argv.slice(2).filter((a) => a !== '--quick');
const runs = quick ? 1 : Number(takeOption(args, '--runs', '3'));
const root = fileURLToPath(new URL('..', import.meta.url));

function need(command, why) {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (found.status !== 0) {
    console.error(`bench/registry: ${command} is not installed (${why}); scripts/setup-tests.sh installs it`);
    process.exit(2);
  }
}
need('docker-registry', 'the registry the image is served from');
need('skopeo', 'pushes the image to it');
if (!existsSync(join(root, 'dist/src/services/analyze.js'))) {
  console.error('bench/registry: dist/ is missing; run `npm run build` first');
  process.exit(2);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRegistry(dir) {
  const port = await freePort();
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log: { level: error, accesslog: { disabled: true } }',
      `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} } }`,
      `http: { addr: 127.0.0.1:${port} }`,
      '',
    ].join('\n'),
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${port}/v2/`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (up) return { port, child };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not come up: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const work = mkdtempSync(join(tmpdir(), 'ballast-bench-registry-'));
let registry;
try {
  let layout = join(corpusDir, 'big.oci');
  if (quick) layout = (await buildSyntheticImage(join(work, 'big'), { files: 5000, layers: 5 })).dir;
  if (!existsSync(join(layout, 'index.json'))) {
    console.error(
      `bench/registry: ${layout} is not an OCI layout (build the corpus with scripts/corpus, or use --quick)`,
    );
    process.exit(2);
  }
  registry = await startRegistry(work);
  const remote = `docker://127.0.0.1:${registry.port}/big:latest`;
  const push = spawnSync(
    'skopeo',
    ['copy', '-q', '--dest-tls-verify=false', '--preserve-digests', `oci:${layout}`, remote],
    { encoding: 'utf8' },
  );
  if (push.status !== 0) throw new Error(`skopeo copy failed: ${push.stderr}`);

  const rows = [];
  const pairs = [
    { name: 'analyze big from a registry, cold cache', cached: true, target: 1.2 },
    { name: 'analyze big from a registry, --no-cache', cached: false },
  ];
  for (const pair of pairs) {
    const local = [];
    const pulled = [];
    let peak = 0;
    for (let i = 0; i < runs; i++) {
      // A fresh, empty cache for every run on both sides: each is a first pull / first analysis. Each is removed
      // right after its run, so the next run does not share the disk with the write-back of 555 MB of old blobs.
      const once = (image, side) => {
        const cacheDir = pair.cached ? mkdtempSync(join(work, `cache-${side}-`)) : undefined;
        try {
          return analyzeInChild(image, cacheDir ? { cacheDir } : { noCache: true });
        } finally {
          if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
        }
      };
      const a = once(layout, 'layout');
      const b = once(remote, 'registry');
      local.push(a.ms);
      pulled.push(b.ms);
      peak = Math.max(peak, b.maxRssMB);
      console.log(
        `  ${pair.name} run ${i + 1}: layout ${s(a.ms)} (cpu ${s(a.cpuMs)}), registry ${s(b.ms)} (cpu ${s(b.cpuMs)}), peak RSS ${b.maxRssMB.toFixed(0)} MB, load ${loadavg()[0].toFixed(1)}`,
      );
    }
    const ratio = median(pulled) / median(local);
    console.log(
      `${pair.name}: ${s(median(pulled))} vs ${s(median(local))} from the OCI layout, ratio ${ratio.toFixed(2)}x`,
    );
    rows.push({
      bench: 'registry',
      name: pair.name,
      baseline: `the same analyze of the OCI layout${pair.cached ? ', empty cache' : ', --no-cache'}`,
      baselineMs: median(local),
      measuredMs: median(pulled),
      ratio,
      peakRssMB: peak,
      target: pair.target ? `<= ${pair.target.toFixed(2)}x` : 'none (recorded)',
      pass: pair.target ? ratio <= pair.target : null,
      note: pair.target ? undefined : 'recorded',
    });
  }
  report(rows);
} finally {
  if (registry) {
    registry.child.kill('SIGTERM');
    await new Promise((r) => (registry.child.exitCode !== null ? r() : registry.child.once('exit', r)));
  }
  rmSync(work, { recursive: true, force: true });
}
