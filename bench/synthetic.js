// A synthetic OCI layout for the scale benchmark and the quick runs: FILES small files spread over LAYERS layers,
// packed with tar-stream and streamed through the compressor to disk (never whole in memory), with real digests and
// diff_ids so the image opens and verifies through the normal source. Deterministic: the same arguments give the
// same bytes.
//
// Every layer adds its share of new files (under its own directories, 1,000 files a directory), and from the
// second layer on also overwrites and deletes (whiteout) a few files of the layer below, so the union, waste and
// duplicate computations do real work.
//
// `oneLayer`: instead, FILES empty files in `/` (`e0000000` ...) in one layer over a small base layer, the shape that
// holds a whole image's per-layer state at once (bench/README.md, sessions 45-46: memory per entry).
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { createRequire } from 'node:module';
import tarStream from 'tar-stream';

const require = createRequire(import.meta.url);

function compressor(compression) {
  if (compression === 'gzip') return createGzip({ level: 1 });
  if (compression === 'zstd') {
    const { CompressStream } = require('zstd-napi');
    return new CompressStream();
  }
  return undefined;
}

/** Whether this machine can write zstd layers (zstd-napi is an optional dependency). */
export function canWriteZstd() {
  try {
    require('zstd-napi');
    return true;
  } catch {
    return false;
  }
}

/** Gathers the packer's small writes into 1 MiB chunks (a compressor call per 512-byte block is slow). */
function coalesce() {
  let parts = [];
  let size = 0;
  return new Transform({
    transform(chunk, _enc, cb) {
      parts.push(chunk);
      size += chunk.length;
      if (size < 1 << 20) return cb();
      const out = Buffer.concat(parts);
      parts = [];
      size = 0;
      cb(null, out);
    },
    flush(cb) {
      cb(null, size ? Buffer.concat(parts) : undefined);
    },
  });
}

/** Hashes what flows through. */
function hasher() {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  return { stream, digest: () => `sha256:${hash.digest('hex')}`, bytes: () => bytes };
}

/** Content of file `n`: 16..527 bytes; one file in 50 repeats an earlier file's bytes (duplicates). */
function content(n) {
  const source = n % 50 === 49 ? n - 1 : n;
  const size = 16 + (((source * 2654435761) >>> 0) % 512);
  const seed = Buffer.from(`file ${source} `);
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = seed[i % seed.length];
  return out;
}

async function writeLayer(dir, entries, compression) {
  const pack = tarStream.pack();
  const raw = hasher();
  const stored = hasher();
  const temp = join(dir, 'blobs', 'sha256', `tmp-${process.pid}`);
  const z = compressor(compression);
  const done = pipeline(...[pack, coalesce(), raw.stream, z, stored.stream, createWriteStream(temp)].filter(Boolean));
  // Entries go in batches; waiting for the last entry's callback of each batch paces the packer, so only one
  // batch (about 1 MB of tar) is ever buffered. (Waiting for every entry is 50x slower.)
  let n = 0;
  for (const e of entries()) {
    const last = ++n % 1000 === 0;
    await new Promise((resolve, reject) => {
      const cb = last ? (error) => (error ? reject(error) : resolve()) : undefined;
      if (e.type === 'file') pack.entry({ name: e.name, mode: 0o644, mtime: new Date(0) }, e.content, cb);
      else pack.entry({ name: e.name, type: 'directory', mode: 0o755, mtime: new Date(0) }, cb);
      if (!last) resolve();
    });
  }
  pack.finalize();
  await done;
  const digest = stored.digest();
  renameSync(temp, join(dir, 'blobs', 'sha256', digest.slice(7)));
  return { digest, diffId: raw.digest(), size: stored.bytes() };
}

function putJson(dir, value) {
  const data = Buffer.from(JSON.stringify(value));
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), data);
  return { digest, size: data.length };
}

/**
 * Writes the image to `dir` (an OCI layout). Returns { dir, files, entries, layers } where `entries` counts every
 * tar entry over all layers (files, directories and whiteouts).
 */
export async function buildSyntheticImage(dir, { files, layers = 20, compression = 'gzip', oneLayer = false }) {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  if (oneLayer) return buildOneLayerImage(dir, files, compression);
  const perLayer = Math.ceil(files / layers);
  const descriptors = [];
  const history = [];
  let entries = 0;
  let written = 0;
  for (let l = 0; l < layers; l++) {
    const first = written;
    const count = Math.min(perLayer, files - written);
    written += count;
    const prevFirst = first - perLayer;
    const layerEntries = function* () {
      // A few changes to the layer below: overwrite one file in 100 of its first 1,000, delete one in 200.
      if (l > 0) {
        for (let n = prevFirst; n < prevFirst + Math.min(1000, perLayer); n += 100) {
          entries++;
          yield { type: 'file', name: path(l - 1, n), content: content(n + 7) };
        }
        for (let n = prevFirst + 50; n < prevFirst + Math.min(1000, perLayer); n += 200) {
          entries++;
          const p = path(l - 1, n);
          yield {
            type: 'file',
            name: `${p.slice(0, p.lastIndexOf('/'))}/.wh.${p.slice(p.lastIndexOf('/') + 1)}`,
            content: Buffer.alloc(0),
          };
        }
      }
      for (let n = first; n < first + count; n++) {
        if ((n - first) % 1000 === 0) {
          entries++;
          yield { type: 'dir', name: `${dirOf(l, n)}/` };
        }
        entries++;
        yield { type: 'file', name: path(l, n), content: content(n) };
      }
    };
    descriptors.push({
      mediaType: `application/vnd.oci.image.layer.v1.tar${compression === 'none' ? '' : `+${compression}`}`,
      ...(await writeLayer(dir, layerEntries, compression)),
    });
    history.push({ created_by: `/bin/sh -c #(nop) synthetic layer ${l}` });
  }
  writeImage(dir, descriptors, history);
  return { dir, files, entries, layers };
}

/** The `oneLayer` shape: a base layer of 100 small files, then one layer of `files` empty files in `/`. */
async function buildOneLayerImage(dir, files, compression) {
  const base = function* () {
    yield { type: 'dir', name: 'etc/' };
    for (let n = 0; n < 100; n++) yield { type: 'file', name: `etc/f${n}`, content: content(n) };
  };
  const empty = Buffer.alloc(0);
  const wide = function* () {
    for (let n = 0; n < files; n++) yield { type: 'file', name: `e${String(n).padStart(7, '0')}`, content: empty };
  };
  const descriptors = [];
  const history = [];
  for (const [l, entries] of [base, wide].entries()) {
    descriptors.push({
      mediaType: `application/vnd.oci.image.layer.v1.tar${compression === 'none' ? '' : `+${compression}`}`,
      ...(await writeLayer(dir, entries, compression)),
    });
    history.push({ created_by: `/bin/sh -c #(nop) synthetic layer ${l}` });
  }
  writeImage(dir, descriptors, history);
  return { dir, files, entries: files + 101, layers: 2 };
}

function writeImage(dir, descriptors, history) {
  const config = putJson(dir, {
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: descriptors.map((d) => d.diffId) },
    history,
  });
  const manifest = putJson(dir, {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: descriptors.map((d) => ({ mediaType: d.mediaType, digest: d.digest, size: d.size })),
  });
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
          annotations: { 'org.opencontainers.image.ref.name': 'synthetic' },
        },
      ],
    }),
  );
}

function dirOf(layer, n) {
  return `data/l${layer}/d${Math.floor(n / 1000)}`;
}

function path(layer, n) {
  return `${dirOf(layer, n)}/f${n}.txt`;
}
