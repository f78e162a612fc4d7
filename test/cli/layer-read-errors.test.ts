// A layer that cannot be read is named once, by the walk: `reading layer 3 (DIGEST) of IMAGE: <what is wrong>`. The
// read's own error named it again ("... of image.tar: layer 3 (sha256:84009204da3f) blob does not match ..."), by
// its diff_id, a second digest for the user to match. Each kind of read error, in process and in a worker thread.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from '../helpers/cli.js';
import { buildOciLayout, layer, layerTar, type BuiltImage } from '../helpers/image-builder.js';
import { skopeoCopy, startRegistry, type Registry } from '../helpers/registry.js';
import { packTar } from '../helpers/tar.js';

const spec = layer({ 'etc/os-release': 'ID=test\n', 'usr/lib/libc.so': 200_000, 'opt/a': 'a', 'opt/b': 'b' });

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** The layout's one layer blob. */
function blobOf(layout: string): string {
  const dir = join(layout, 'blobs', 'sha256');
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .sort((x, y) => statSync(y).size - statSync(x).size)[0];
}

function flipByte(path: string): void {
  const bytes = readFileSync(path);
  bytes[bytes.length >> 1] ^= 1;
  writeFileSync(path, bytes);
}

/** Flips one content byte of the first non-empty file in a layer tar: its headers stay valid. */
function flipContent(tar: Buffer): Buffer {
  const out = Buffer.from(tar);
  out[512] ^= 1;
  return out;
}

/** The first header's size field made non-octal (its checksum fixed): a tar that decodes to nonsense. */
function breakHeader(tar: Buffer): Buffer {
  const out = Buffer.from(tar);
  out.write('9', 124, 'latin1');
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : out[i];
  out.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return out;
}

let work: string;
let image: BuiltImage;
let tar: Buffer;

/** A copy of the layout, its blob changed by `spoil`. */
function layout(name: string, spoil: (blob: string) => void): string {
  const copy = join(work, name);
  cpSync(image.path, copy, { recursive: true });
  spoil(blobOf(copy));
  return copy;
}

/** A `docker save` (legacy) archive whose config lists the tar's diff_id, and whose layer member is `member(tar)`. */
async function legacy(name: string, member: (tar: Buffer) => Buffer): Promise<string> {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [sha(tar)] },
      history: [{ created_by: 'ADD rootfs.tar /' }],
    }),
  );
  const configName = `${sha(config).slice(7)}.json`;
  const manifest = JSON.stringify([{ Config: configName, RepoTags: ['test:latest'], Layers: ['0/layer.tar'] }]);
  const path = join(work, name);
  writeFileSync(
    path,
    await packTar([
      { name: configName, type: 'file', content: config },
      { name: '0/layer.tar', type: 'file', content: member(tar) },
      { name: 'manifest.json', type: 'file', content: manifest },
    ]),
  );
  return path;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ballast-layer-errors-'));
  image = await buildOciLayout([spec]);
  tar = await layerTar(spec);
});
afterAll(() => {
  image?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

// [the error, the image, extra flags, what is wrong (after "reading layer 0 (DIGEST) of IMAGE: ")]
const cases: [string, () => Promise<string> | string, string[], RegExp][] = [
  [
    'a blob that does not match its digest',
    () => layout('flipped', flipByte),
    [],
    /^the blob does not match its digest: expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}$/,
  ],
  [
    'a blob longer than its descriptor says',
    () => layout('long', (blob) => writeFileSync(blob, Buffer.alloc(512), { flag: 'a' })),
    [],
    /^the blob is \d+ bytes, but its descriptor says \d+$/,
  ],
  [
    'a blob cut short, read unverified',
    () => layout('short', (blob) => truncateSync(blob, statSync(blob).size - 1000)),
    ['--no-verify'],
    /^decompressing the blob: unexpected end of file$/,
  ],
  [
    'an uncompressed layer.tar whose content does not match its diff_id',
    () => legacy('plain.tar', flipContent),
    [],
    /^the content does not match its diff_id: expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}$/,
  ],
  [
    'a gzip layer.tar whose content does not match its diff_id',
    () => legacy('gzip.tar', (t) => gzipSync(flipContent(t))),
    [],
    /^the content does not match its diff_id: expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}$/,
  ],
  [
    'a layer whose tar is malformed, read unverified',
    () => legacy('malformed.tar', breakHeader),
    ['--no-verify'],
    /^the layer has a corrupt tar header after 0 entries: the size field is not a valid size$/,
  ],
  [
    'a layer over an entry budget',
    () => image.path,
    ['--max-entries', '2'],
    /^the layer has more than 2 entries \(budget --max-entries 2\)$/,
  ],
];

describe.each([
  ['in process', '0'],
  ['in a worker', '1'],
])('a layer read error, %s', (_where, workers) => {
  it.each(cases)('%s: names the layer once', async (_what, make, flags, wrong) => {
    const target = await make();
    const r = await runCli(['analyze', target, '--no-cache', '--workers', workers, '--json', ...flags]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const line = /^error: reading layer 0 \((sha256:[0-9a-f]{64})\) of (\S+): (.*) \(hint: .+\)\n$/.exec(r.stderr);
    expect(r.stderr).toMatch(/^error: reading layer 0 /);
    expect(line).not.toBeNull();
    expect(line![2]).toBe(target);
    expect(line![3]).toMatch(wrong);
    expect(r.stderr.match(/layer \d/g)).toHaveLength(1);
  });
});

// The same from a registry (a real docker-registry), its stored blob spoiled: the registry's own error named the layer
// again ("... has no blob sha256:84009204da3f (layer 0)", "the blob sha256:84009204da3f (layer 0) in HOST/REPO is
// larger than ...").
describe('a layer read error from a registry', () => {
  let registry: Registry;
  let stored: string;
  let original: Buffer;
  const ref = () => `docker://${registry.host}/errors/app:1`;

  beforeAll(async () => {
    registry = await startRegistry();
    await skopeoCopy(`oci:${image.path}:latest`, ref());
    const hex = blobOf(image.path).split('/').pop()!;
    stored = join(registry.dir, 'data', 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
    original = readFileSync(stored);
  }, 120_000);
  afterAll(async () => {
    await registry?.stop();
  });
  afterEach(() => writeFileSync(stored, original));

  // [the error, how the stored blob is spoiled, what is wrong (after "reading layer 0 (DIGEST) of IMAGE: "), the hint]
  const registryCases: [string, (blob: string) => void, (host: string) => RegExp, RegExp][] = [
    [
      'a blob the registry does not have',
      (blob) => rmSync(blob),
      (host) => new RegExp(`^${host}/errors/app does not have the blob$`),
      /^the image in the registry is incomplete; push it again$/,
    ],
    [
      'a blob that does not match its digest',
      flipByte,
      () => /^the blob does not match its digest: expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}$/,
      /fetch or save it again/,
    ],
    [
      'a blob longer than its descriptor says',
      (blob) => writeFileSync(blob, Buffer.alloc(512), { flag: 'a' }),
      (host) => new RegExp(`^the blob in ${host}/errors/app is larger than the \\d+ bytes its descriptor says$`),
      /^the registry serves a different blob than the manifest describes; push the image again$/,
    ],
    [
      'a blob shorter than its descriptor says',
      (blob) => truncateSync(blob, statSync(blob).size - 1000),
      (host) => new RegExp(`^the blob in ${host}/errors/app is shorter than the manifest says: \\d+ of \\d+ bytes$`),
      /^the image in the registry is inconsistent, and retrying will not help; push it again$/,
    ],
  ];

  describe.each([
    ['in process', '0'],
    ['in a worker', '1'],
  ])('%s', (_where, workers) => {
    it.each(registryCases)('%s: names the layer once, and keeps the hint', async (_what, spoil, wrong, hint) => {
      spoil(stored);
      const r = await runCli(['analyze', ref(), '--no-cache', '--timeout', '5', '--workers', workers, '--json']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      // One line and nothing before it: a blob the registry sent whole but short is not resumed ("ended early ...
      // resuming"), as there is no more of it to ask for.
      const errors = r.stderr.split('\n').filter((l) => l !== '');
      expect(errors).toHaveLength(1);
      const line = /^error: reading layer 0 \((sha256:[0-9a-f]{64})\) of (\S+): (.*) \(hint: (.+)\)$/.exec(errors[0]);
      expect(errors[0]).toMatch(/^error: reading layer 0 /);
      expect(line).not.toBeNull();
      expect(line![2]).toBe(`${registry.host}/errors/app`);
      expect(line![3]).toMatch(wrong(registry.host.replace(/\./g, '\\.')));
      expect(line![4]).toMatch(hint);
      expect(errors[0].match(/layer \d/g)).toHaveLength(1);
    });
  });
});
