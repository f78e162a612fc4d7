// Broken documents in an OCI layout or a docker-archive, end to end through `inspect` (dist/, so `npm run build`
// first). Found by the hostile-input hunt:
// - an index that lists an image whose blob is missing, or whose digest cannot name a blob (uppercase hex, a number,
//   sha512 of a blob stored as sha256), said the layout "holds no container image (its index lists no image
//   manifest)": the entry was dropped without a word. The error now names the entry and what is wrong with it;
// - a descriptor size of -5 or 2^70 was printed as the image's size ("Layers (1, -5 B compressed)", "1180591621 TB");
// - several document errors had no hint. Every failure here is exit 2, nothing on stdout, and stderr exactly one
//   `error: … (hint: …)` line (src/errors.ts formatError: the hint rides on the error's own line).
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { jest } from '@jest/globals';
import { runCli, type CliResult } from '../helpers/cli.js';
import { rawTar, sha, writeLayout, type Layout, type LayoutParts } from '../helpers/hostile.js';

jest.setTimeout(300_000);

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const plainTar = rawTar([{ name: 'a.txt', content: 'a' }]);
const layers = [gzipSync(plainTar)];

const work = mkdtempSync(join(tmpdir(), 'ballast-broken-docs-'));
const layouts: Layout[] = [];
afterAll(() => {
  layouts.forEach((l) => l.cleanup());
  rmSync(work, { recursive: true, force: true });
});

function layout(parts: Partial<LayoutParts> = {}): Layout {
  const l = writeLayout({ layers, diffIds: [sha(plainTar)], ...parts });
  layouts.push(l);
  return l;
}

/** index.json listing exactly these entries. */
function writeIndex(l: Layout, manifests: unknown[]): void {
  writeFileSync(join(l.dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
}

const inspect = (path: string): Promise<CliResult> =>
  runCli(['inspect', path], { env: { BALLAST_WORKERS: '0' }, timeoutMs: 60_000 });

/** The failure contract: exit 2, nothing on stdout, one `error: … (hint: …)` line and nothing else. */
function expectOneErrorWithHint(run: CliResult): string {
  const lines = run.stderr.trimEnd().split('\n');
  expect({ code: run.code, stdout: run.stdout, lines: lines.length }).toEqual({ code: 2, stdout: '', lines: 1 });
  expect(lines[0]).toMatch(/^error: .+ \(hint: .+\)$/);
  return lines[0];
}

describe('an index entry that cannot be read is named, not "lists no image manifest"', () => {
  const manifestEntry = (l: Layout, extra: object = {}) => ({
    mediaType: OCI_MANIFEST,
    digest: l.manifestDigest,
    size: 1,
    ...extra,
  });

  const cases: [string, (l: Layout) => unknown[], RegExp][] = [
    [
      'a digest in uppercase hex',
      (l) => [manifestEntry(l, { digest: `sha256:${l.manifestDigest.slice(7).toUpperCase()}` })],
      /index\.json entry 0 is not a usable descriptor: its digest is "sha256:[0-9A-F]{64}", not a sha256 digest \(64 lowercase hex digits\)/,
    ],
    [
      'a digest that is a number',
      (l) => [manifestEntry(l, { digest: 42 })],
      /index\.json entry 0 is not a usable descriptor: its digest is a number, not a digest string/,
    ],
    [
      'a sha512 digest of a blob stored only under its sha256',
      (l) => {
        const bytes = Buffer.from('x');
        return [manifestEntry(l, { digest: `sha512:${createHash('sha512').update(bytes).digest('hex')}` })];
      },
      /it lacks the blob sha512:[0-9a-f]{128} that index\.json entry 0 lists/,
    ],
    [
      'a manifest whose blob is missing',
      (l) => {
        unlinkSync(l.blobFile(l.manifestDigest));
        return [manifestEntry(l)];
      },
      /it lacks the blob sha256:[0-9a-f]{64} that index\.json entry 0 lists/,
    ],
    [
      'a nested index whose blob is missing',
      () => [{ mediaType: OCI_INDEX, digest: `sha256:${'ab'.repeat(32)}`, size: 100 }],
      new RegExp(`it lacks the blob sha256:${'ab'.repeat(32)} that index\\.json entry 0 lists`),
    ],
    [
      'a negative size',
      (l) => [manifestEntry(l, { size: -5 })],
      /index\.json entry 0 is not a usable descriptor: its size -5 is not a byte count/,
    ],
    [
      // Gave `error: (platform.os ?? "").toLowerCase is not a function`.
      'a platform whose os is a number',
      (l) => [manifestEntry(l, { platform: { os: 5, architecture: 'amd64' } })],
      /index\.json entry 0 is not a usable descriptor: its platform\.os is a number, not a string/,
    ],
    [
      'a platform that is a string',
      (l) => [manifestEntry(l, { platform: 'linux/amd64' })],
      /index\.json entry 0 is not a usable descriptor: its platform is a string, not an object/,
    ],
  ];

  it.each(cases)('%s', async (_name, entries, expected) => {
    const l = layout();
    writeIndex(l, entries(l));
    const line = expectOneErrorWithHint(await inspect(l.dir));
    expect(line).toContain(`the OCI layout ${l.dir} holds no image ballast can read: `);
    expect(line).toMatch(expected);
    expect(line).not.toContain('lists no image manifest');
    expect(line).toContain('(hint: the image is incomplete or corrupt: copy or save it again)');
  });

  it('an entry inside a nested index is named by where that index sits in index.json', async () => {
    const l = layout();
    const missing = `sha256:${'cd'.repeat(32)}`;
    const nested = Buffer.from(
      JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: OCI_MANIFEST, digest: missing, size: 10 }] }),
    );
    const nestedDigest = l.put(nested);
    writeIndex(l, [{ mediaType: OCI_INDEX, digest: nestedDigest, size: nested.length }]);
    const line = expectOneErrorWithHint(await inspect(l.dir));
    expect(line).toContain(`it lacks the blob ${missing} that entry 0 of the index at index.json entry 0 lists`);
  });

  it('an empty index still says it lists no image manifest', async () => {
    const l = layout();
    writeIndex(l, []);
    expect(expectOneErrorWithHint(await inspect(l.dir))).toContain('its index lists no image manifest');
  });

  // containerd-store saves list every platform of an index and hold only the pulled ones: not an error.
  it('an index listing platforms never pulled still opens the one that is there', async () => {
    const l = layout();
    const arm = { mediaType: OCI_MANIFEST, digest: `sha256:${'ef'.repeat(32)}`, size: 500 };
    const nested = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          { ...manifestEntry(l), platform: { os: 'linux', architecture: 'arm64' } },
          { ...arm, platform: { os: 'linux', architecture: 's390x' } },
        ],
      }),
    );
    writeIndex(l, [
      { mediaType: OCI_INDEX, digest: `sha256:${'12'.repeat(32)}`, size: 300 }, // a nested index never pulled
      { mediaType: OCI_INDEX, digest: l.put(nested), size: nested.length },
    ]);
    const run = await inspect(l.dir);
    // The arm64 image, named so by its entry, is taken with a note on any other machine, as a registry's would be;
    // the note names the platform listed but never pulled, so "its only one" is not read as the index's only one.
    const host = process.arch === 'arm64' ? 'linux/arm64' : 'linux/amd64';
    const note =
      `note: the OCI layout ${l.dir} has no image for this machine's platform (${host}); ` +
      'using its only one, linux/arm64 (listed but not included: linux/s390x; --platform picks another)\n';
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: host === 'linux/arm64' ? '' : note });
    expect(run.stdout).toContain('Layers');
    const other = await runCli(['inspect', '--platform', 'linux/s390x', l.dir], { env: { BALLAST_WORKERS: '0' } });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/no image for platform linux\/s390x .*listed but not included: linux\/s390x/);
  });
});

describe('a descriptor size that is not a byte count is refused, naming the manifest', () => {
  it.each([
    [
      'a negative layer size',
      (m: Record<string, unknown>) => setLayerSize(m, -5),
      /its layer 0 descriptor is not usable: its size -5 is not a byte count/,
    ],
    [
      'a layer size of 2^70',
      (m: Record<string, unknown>) => setLayerSize(m, 2 ** 70),
      /its layer 0 descriptor is not usable: its size 1\.1805916207174113e\+21 is not a byte count/,
    ],
    [
      'a fractional layer size',
      (m: Record<string, unknown>) => setLayerSize(m, 1.5),
      /its layer 0 descriptor is not usable: its size 1\.5 is not a byte count/,
    ],
    [
      'a negative config size',
      (m: Record<string, unknown>) => ({ ...m, config: { ...(m.config as object), size: -1 } }),
      /its config descriptor is not usable: its size -1 is not a byte count/,
    ],
  ])('%s', async (_name, edit, expected) => {
    const l = layout({ manifest: edit });
    const line = expectOneErrorWithHint(await inspect(l.dir));
    expect(line).toContain(`the manifest ${l.manifestDigest} in ${l.dir} is not an image manifest`);
    expect(line).toMatch(expected);
  });

  it('a foreign layer of a docker-archive with a negative size', async () => {
    const config = Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha(plainTar)] } }),
    );
    const configName = `${sha(config).slice(7)}.json`;
    const manifest = [
      {
        Config: configName,
        RepoTags: ['foreign:latest'],
        Layers: ['missing/layer.tar'],
        LayerSources: {
          [sha(plainTar)]: {
            mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
            digest: `sha256:${'ab'.repeat(32)}`,
            size: -5,
            urls: ['https://example.invalid/base.tar.gz'],
          },
        },
      },
    ];
    const path = join(work, 'foreign.tar');
    writeFileSync(
      path,
      rawTar([
        { name: 'manifest.json', content: JSON.stringify(manifest) },
        { name: configName, content: config },
      ]),
    );
    const line = expectOneErrorWithHint(await inspect(path));
    expect(line).toContain(
      `manifest.json in ${path} describes the foreign layer 0 wrongly: its size -5 is not a byte count`,
    );
  });
});

const setLayerSize = (m: Record<string, unknown>, size: number) => ({
  ...m,
  layers: (m.layers as object[]).map((layer) => ({ ...layer, size })),
});

// Every document an image is made of, corrupted in turn: each failure is exactly one error line with a hint.
describe('every corrupted document is one error line with a hint, exit 2', () => {
  const table: [string, () => string][] = [
    ['index.json not JSON', () => layout({ index: Buffer.from('{"schemaVersion": 2,') }).dir],
    ['index.json null', () => layout({ index: Buffer.from('null') }).dir],
    ['index.json a list', () => layout({ index: Buffer.from('[]') }).dir],
    ['index.json without manifests', () => layout({ index: Buffer.from('{"schemaVersion":2}') }).dir],
    ['manifest not JSON', () => layout({ manifest: Buffer.from('<html>') }).dir],
    ['manifest layers a string', () => layout({ manifest: (m) => ({ ...m, layers: 'x' }) }).dir],
    ['config not JSON', () => layout({ config: Buffer.from('{"os":') }).dir],
    ['config without rootfs', () => layout({ config: { os: 'linux' } }).dir],
    [
      'config with diff_id "nope"',
      () => layout({ config: { os: 'linux', rootfs: { type: 'layers', diff_ids: ['nope'] } } }).dir,
    ],
    [
      'layer digest not a digest',
      () =>
        layout({ manifest: (m) => ({ ...m, layers: [{ ...(m.layers as object[])[0], digest: 'sha256:../../x' }] }) })
          .dir,
    ],
    [
      'nested index not JSON',
      () => {
        const l = layout();
        const bad = Buffer.from('not json');
        writeIndex(l, [{ mediaType: OCI_INDEX, digest: l.put(bad), size: bad.length }]);
        return l.dir;
      },
    ],
    [
      'index nested 10 deep',
      () => {
        const l = layout();
        let child = { mediaType: OCI_MANIFEST, digest: l.manifestDigest, size: 1 };
        for (let i = 0; i < 10; i++) {
          const blob = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [child] }));
          child = { mediaType: OCI_INDEX, digest: l.put(blob), size: blob.length };
        }
        writeIndex(l, [child]);
        return l.dir;
      },
    ],
    ['docker-archive manifest.json not JSON', () => archive('bad-json.tar', '[{"Config":')],
    ['docker-archive manifest.json an object', () => archive('object.tar', '{"Config": "c.json"}')],
  ];

  it.each(table)('%s', async (_name, make) => {
    const path = make();
    const line = expectOneErrorWithHint(await inspect(path));
    expect(line).toContain(path);
  });
});

function archive(name: string, manifestJson: string): string {
  const path = join(work, name);
  writeFileSync(path, rawTar([{ name: 'manifest.json', content: manifestJson }]));
  return path;
}

describe('blobs named by sha512, and data embedded in a descriptor, are checked against their digest', () => {
  // Found by the hostile-input hunt: only sha256 was ever checked, so any bytes stored under a sha512 name, or put in
  // a descriptor's `data` field, were read as the blob they claimed to be
  const sha512Entry = (l: Layout, bytes: Buffer): object => {
    const hex = createHash('sha512').update(bytes).digest('hex');
    const file = join(l.dir, 'blobs', 'sha512', hex);
    mkdirSync(join(l.dir, 'blobs', 'sha512'), { recursive: true });
    return { mediaType: OCI_MANIFEST, digest: `sha512:${hex}`, size: bytes.length, file };
  };

  it('reads a manifest stored under its sha512, and refuses other bytes under that name', async () => {
    const l = layout();
    const manifest = readFileSync(l.blobFile(l.manifestDigest));
    const { file, ...entry } = sha512Entry(l, manifest) as { file: string };
    writeFileSync(file, manifest);
    writeIndex(l, [entry]);
    expect((await inspect(l.dir)).code).toBe(0);
    // Same length, other bytes (a layer list changed in place)
    writeFileSync(file, Buffer.from(manifest.toString('latin1').replace(/"size":\s*(\d)/, '"size":9'), 'latin1'));
    expect(expectOneErrorWithHint(await inspect(l.dir))).toMatch(/does not match its digest sha512:[0-9a-f]{128}/);
  });

  it('refuses a manifest embedded in its descriptor that is not the blob its digest names', async () => {
    const l = layout();
    const manifest = readFileSync(l.blobFile(l.manifestDigest));
    const entry = { mediaType: OCI_MANIFEST, digest: l.manifestDigest, size: manifest.length };
    writeIndex(l, [{ ...entry, data: manifest.toString('base64') }]);
    expect((await inspect(l.dir)).code).toBe(0);
    const other = Buffer.from(manifest.toString('latin1').replace(/"size":\s*(\d)/, '"size":9'), 'latin1');
    writeIndex(l, [{ ...entry, data: other.toString('base64') }]);
    expect(expectOneErrorWithHint(await inspect(l.dir))).toMatch(/does not match its digest sha256:[0-9a-f]{64}/);
  });
});

describe('a config field of the wrong JSON type is named, not a JavaScript TypeError', () => {
  // A created_by of 7 gave `error: (createdBy ?? "").trim is not a function`, with no hint.
  const config = (extra: object) => ({
    os: 'linux',
    architecture: 'amd64',
    rootfs: { type: 'layers', diff_ids: [sha(plainTar)] },
    ...extra,
  });
  it.each([
    ['history[0].created_by a number', { history: [{ created_by: 7 }] }, 'history[0].created_by is a number'],
    ['history an object', { history: { created_by: 'x' } }, 'history is an object, not a list'],
    ['created a number', { created: 12345 }, 'created is a number, not a string'],
    ['Env a string', { config: { Env: 'A=1' } }, 'config.Env is a string, not a list of strings'],
    ['Cmd with a number', { config: { Cmd: ['sh', 1] } }, 'config.Cmd[1] is a number, not a string'],
    ['ExposedPorts a list', { config: { ExposedPorts: ['80/tcp'] } }, 'config.ExposedPorts is a list, not an object'],
    ['a label a number', { config: { Labels: { n: 5 } } }, 'the label "n" is a number, not a string'],
    // These three gave `error: (platform.os ?? "").toLowerCase is not a function` (or architecture's, variant's).
    ['os a number', { os: 2 }, 'os is a number, not a string'],
    ['architecture a number', { architecture: 5 }, 'architecture is a number, not a string'],
    ['variant a number', { variant: 8 }, 'variant is a number, not a string'],
  ])('%s', async (_name, extra, problem) => {
    const l = layout({ config: config(extra) });
    const line = expectOneErrorWithHint(await inspect(l.dir));
    expect(line).toContain(`the config in ${l.dir} is not a valid image config: ${problem}`);
  });

  it('a platform field of the wrong type is named with --platform too, not taken for another platform', async () => {
    const l = layout({ config: config({ os: 2 }) });
    const run = await runCli(['inspect', l.dir, '--platform', 'linux/amd64'], {
      env: { BALLAST_WORKERS: '0' },
      timeoutMs: 60_000,
    });
    expect(expectOneErrorWithHint(run)).toContain('is not a valid image config: os is a number, not a string');
  });
});

describe('a docker-archive manifest.json tag or layer path that is not a string is named', () => {
  // `"RepoTags": [1e308]` gave `error: tag.startsWith is not a function`; `"Layers": [1]` "lists layer 1, which is not
  // in the archive".
  it.each([
    ['a tag that is a number', { RepoTags: [1e308] }, 'entry 0 RepoTags[0] is a number, not a string'],
    ['RepoTags a string', { RepoTags: 'a:b' }, 'entry 0 RepoTags is a string, not a list of strings'],
    ['a layer path that is a number', { Layers: [1] }, 'entry 0 Layers[0] is a number, not a string'],
  ])('%s', async (name, fields, problem) => {
    const config = Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha(plainTar)] } }),
    );
    const configName = `${sha(config).slice(7)}.json`;
    const manifest = [{ Config: configName, RepoTags: ['a:b'], Layers: ['layer.tar'], ...fields }];
    const path = join(work, `${name.replace(/ /g, '-')}.tar`);
    writeFileSync(
      path,
      rawTar([
        { name: 'layer.tar', content: plainTar },
        { name: configName, content: config },
        { name: 'manifest.json', content: JSON.stringify(manifest) },
      ]),
    );
    const line = expectOneErrorWithHint(await inspect(path));
    expect(line).toContain(`manifest.json in ${path} is not a valid docker save manifest: ${problem}`);
  });
});

describe('a layer of a media type ballast does not read stops analyze, and inspect lists it as present', () => {
  // Found by the hostile-input review: beside a readable layer, a layer typed application/x-unknown was left out of
  // analyze (0 B, 0 files, exit 0, "1 of 2 layers stored uncompressed") and inspect called its blob "(absent)".
  const unknownLayer = (): Layout => {
    const other = rawTar([{ name: 'b.txt', content: 'b' }]);
    return layout({
      layers: [other, gzipSync(plainTar)],
      layerTypes: ['application/x-unknown', 'application/vnd.oci.image.layer.v1.tar+gzip'],
      diffIds: [sha(other), sha(plainTar)],
    });
  };

  it('analyze fails naming the layer and its media type', async () => {
    const run = await runCli(['analyze', '--no-cache', unknownLayer().dir], {
      env: { BALLAST_WORKERS: '0' },
      timeoutMs: 60_000,
    });
    expect(expectOneErrorWithHint(run)).toMatch(
      /layer 0 \(sha256:[0-9a-f]{12}\) of .+ has the media type application\/x-unknown/,
    );
  });

  // Found by review: an encrypted layer was said to be "not a filesystem layer", which it is; what is missing is the key.
  it.each(['tar+gzip+encrypted', 'tar+zstd+encrypted', 'tar+encrypted'])(
    'analyze says a layer of type %s is encrypted, and how to decrypt it',
    async (type) => {
      const encrypted = layout({
        layers: [gzipSync(plainTar)],
        layerTypes: [`application/vnd.oci.image.layer.v1.${type}`],
        diffIds: [sha(plainTar)],
      });
      const run = await runCli(['analyze', '--no-cache', encrypted.dir], {
        env: { BALLAST_WORKERS: '0' },
        timeoutMs: 60_000,
      });
      const line = expectOneErrorWithHint(run);
      expect(line).toMatch(/layer 0 \(sha256:[0-9a-f]{12}\) of /);
      expect(line).toContain(`is encrypted (application/vnd.oci.image.layer.v1.${type}); ballast cannot decrypt it`);
      expect(line).toContain('skopeo copy --decryption-key');
    },
  );

  it('inspect shows the type, neither absent nor stored uncompressed', async () => {
    const run = await inspect(unknownLayer().dir);
    expect(run.code).toBe(0);
    const row = run.stdout.split('\n').find((line) => line.includes('application/x-unknown'));
    expect(row).toBeDefined();
    expect(row).not.toMatch(/absent|uncompressed/);
  });
});
