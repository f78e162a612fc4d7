// Source behaviour on images built inside the test: multi-platform indexes, compressed archives, corrupt
// layers, foreign layers. Each ends with the shared invariant check.
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { sha256 } from '../../src/image/digest.js';
import { hostPlatform } from '../../src/image/platform.js';
import type { Descriptor } from '../../src/image/types.js';
import { openImage } from '../../src/sources/resolve.js';
import { packTar } from '../helpers/tar.js';
import { validateImage } from '../helpers/validate-image.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ballast-formats-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeBlob(
  layout: string,
  data: Buffer | string,
  mediaType: string,
  extra: Partial<Descriptor> = {},
): Promise<Descriptor> {
  const bytes = Buffer.from(data);
  const digest = sha256(bytes);
  await mkdir(join(layout, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(layout, 'blobs', 'sha256', digest.slice(7)), bytes);
  return { mediaType, digest, size: bytes.length, ...extra };
}

/** One image (gzip layer holding `files`) written into an OCI layout; returns its manifest descriptor. */
async function writeImage(layout: string, arch: string, files: Record<string, string>): Promise<Descriptor> {
  const tar = await packTar(Object.entries(files).map(([name, content]) => ({ name, content })));
  const layer = await writeBlob(layout, gzipSync(tar), 'application/vnd.oci.image.layer.v1.tar+gzip');
  const config = await writeBlob(
    layout,
    JSON.stringify({
      architecture: arch,
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
      history: [{ created_by: 'COPY . /' }],
    }),
    'application/vnd.oci.image.config.v1+json',
  );
  return writeBlob(
    layout,
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config,
      layers: [layer],
    }),
    'application/vnd.oci.image.manifest.v1+json',
    { platform: { os: 'linux', architecture: arch } },
  );
}

async function multiPlatformLayout(): Promise<string> {
  const layout = join(dir, 'multi');
  const amd64 = await writeImage(layout, 'amd64', { 'arch.txt': 'amd64' });
  const arm64 = await writeImage(layout, 'arm64', { 'arch.txt': 'arm64' });
  const attestation = await writeBlob(layout, '{}', 'application/vnd.oci.image.manifest.v1+json', {
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
  });
  const index = await writeBlob(
    layout,
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [arm64, amd64, attestation],
    }),
    'application/vnd.oci.image.index.v1+json',
    { annotations: { 'org.opencontainers.image.ref.name': 'v1' } },
  );
  await writeFile(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [index] }));
  return layout;
}

async function archOf(argument: string, platform?: string): Promise<string> {
  const image = await openImage(argument, { platform });
  try {
    await validateImage(image);
    return (await image.configFile()).architecture;
  } finally {
    await image.close();
  }
}

describe('a name an OCI layout does not have', () => {
  it('is refused with the names the layout holds, as a docker-archive lists its tags', async () => {
    // Given a layout naming its index v1: `oci:LAYOUT:nope` hinted "run `ballast inspect` on it without a name",
    // where a docker-archive says at once which names it holds
    const layout = await multiPlatformLayout();
    await expect(openImage(`oci:${layout}:nope`)).rejects.toMatchObject({
      code: 'ref-not-found',
      message: expect.stringContaining('has no image named "nope"'),
      hint: 'it holds v1',
    });
    // and one whose index names no image says so, rather than send the reader to look for names
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
    for (const m of index.manifests) delete m.annotations;
    await writeFile(join(layout, 'index.json'), JSON.stringify(index));
    await expect(openImage(`oci:${layout}:nope`)).rejects.toMatchObject({
      code: 'ref-not-found',
      hint: 'it names none of its images: read it without a name',
    });
  });
});

describe('a name an OCI layout gives no image, and @N', () => {
  const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));

  it('a name on an entry of another type is refused as such, and not offered', async () => {
    // test_index names its application/vnd.oci.descriptor.v1+json entry "2": `oci:test_index:2` said it had no image
    // named "2", with the hint "it holds 1, 2, 3, 4".
    const layout = fixture('formats/ggcr/layout/test_index');
    await expect(openImage(`oci:${layout}:2`)).rejects.toMatchObject({
      code: 'ref-not-found',
      message: `in the OCI layout ${layout}, "2" names an entry of type application/vnd.oci.descriptor.v1+json, not an image`,
      hint: 'name one of its images (PATH:NAME): 1, 3, 4',
    });
    await expect(openImage(`oci:${layout}:9`)).rejects.toMatchObject({ hint: 'it holds 1, 3, 4' });
  });

  it("a docker-archive's @N on an OCI archive or layout is refused, not passed over for its first image", async () => {
    // `test-oci-gzip-image.tar@1` showed the archive's only image, as if @1 had not been typed.
    const archive = fixture('dive/test-oci-gzip-image.tar');
    await expect(openImage(`${archive}@1`, { platform: 'linux/arm64' })).rejects.toMatchObject({
      code: 'ref-not-found',
      message: `the OCI archive ${archive} has no image "@1": @N picks an image of a docker-archive by its place`,
      hint: 'it names none of its images: read it without @N (--platform picks a platform)',
    });
    const layout = fixture('formats/ggcr/layout/test_index');
    await expect(openImage(`${layout}@0`)).rejects.toMatchObject({
      message: expect.stringContaining('has no image "@0": @N picks an image of a docker-archive'),
      hint: 'name one of its images (PATH:NAME): 1, 3, 4',
    });
  });
});

describe('platform selection in a nested index', () => {
  it('picks --platform, defaults to the host, skips attestations and lists what exists', async () => {
    const layout = await multiPlatformLayout();
    expect(await archOf(layout, 'linux/arm64')).toBe('arm64');
    expect(await archOf(`oci:${layout}:v1`, 'linux/amd64')).toBe('amd64');
    if (hostPlatform().architecture === 'amd64' || hostPlatform().architecture === 'arm64') {
      expect(await archOf(layout)).toBe(hostPlatform().architecture);
    }
    await expect(openImage(layout, { platform: 'linux/s390x' })).rejects.toMatchObject({
      code: 'platform-not-found',
      hint: 'available platforms: linux/arm64, linux/amd64',
    });
  });
});

describe("a layout whose only image is another platform than this machine's", () => {
  const host = hostPlatform();
  const other = host.architecture === 'arm64' ? 'amd64' : 'arm64';

  async function notesOf(layout: string, platform?: string): Promise<string[]> {
    const notes: string[] = [];
    const image = await openImage(layout, { platform, notice: (message) => notes.push(message) });
    try {
      expect((await image.configFile()).architecture).toBe(other);
    } finally {
      await image.close();
    }
    return notes;
  }

  async function onlyLayout(name: string, named: boolean): Promise<string> {
    const layout = join(dir, name);
    const { platform, ...unnamed } = await writeImage(layout, other, { 'arch.txt': other });
    await writeFile(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    const entry = named ? { ...unnamed, platform } : unnamed;
    await writeFile(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [entry] }));
    return layout;
  }

  it('takes it with a note, as a registry does, when its index entry names the platform', async () => {
    // It was taken silently: the user did not learn that it would run here only under emulation.
    const layout = await onlyLayout('only-other-named', true);
    expect(await notesOf(layout)).toEqual([
      `the OCI layout ${layout} has no image for this machine's platform (linux/${host.architecture}); ` +
        `using its only one, linux/${other} (--platform picks another)`,
    ]);
    // Asked for: nothing to tell.
    expect(await notesOf(layout, `linux/${other}`)).toEqual([]);
  });

  it('takes it without a note when its index entry names no platform (a single-image layout)', async () => {
    expect(await notesOf(await onlyLayout('only-other-unnamed', false))).toEqual([]);
  });
});

describe('the platforms of a layout whose index.json holds a manifest and an index', () => {
  /** index.json lists amd64 and an index of arm64 and arm/v7; wrapped, it lists one index that holds the two. */
  async function mixedLayout(name: string, wrap: boolean): Promise<{ layout: string; top?: string }> {
    const layout = join(dir, name);
    const arm = async (architecture: string, variant?: string) => ({
      ...(await writeImage(layout, architecture, { 'arch.txt': `${architecture}${variant ?? ''}` })),
      platform: { os: 'linux', architecture, ...(variant ? { variant } : {}) },
    });
    const inner = await writeBlob(
      layout,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [await arm('arm64'), await arm('arm', 'v7')],
      }),
      'application/vnd.oci.image.index.v1+json',
    );
    let manifests = [await writeImage(layout, 'amd64', { 'arch.txt': 'amd64' }), inner];
    let top: string | undefined;
    if (wrap) {
      const body = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests };
      manifests = [await writeBlob(layout, JSON.stringify(body), 'application/vnd.oci.image.index.v1+json')];
      top = manifests[0].digest;
    }
    await writeFile(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    await writeFile(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
    return { layout, top };
  }

  async function indexOf(layout: string, platform: string) {
    const image = await openImage(layout, { platform });
    try {
      return image.ref.index;
    } finally {
      await image.close();
    }
  }

  // amd64 got no index at all and arm/v7 only the nested index's two platforms: what the image offers depended on
  // the platform picked. index.json is then the image's index, which has no digest, as when it lists the manifests.
  it.each([
    ['index.json holds both', false],
    ['index.json holds one index of both', true],
  ])('lists every platform whichever is picked, when %s', async (name, wrap) => {
    const { layout, top } = await mixedLayout(name.replace(/\W+/g, '-'), wrap);
    const expected = { digest: top ?? null, platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] };
    for (const platform of ['linux/amd64', 'linux/arm64', 'linux/arm/v7']) {
      expect(await indexOf(layout, platform)).toEqual(expected);
    }
  });
});

describe('a broken entry in a nested index', () => {
  /** An image of `platform` (`arm64`, `arm/v6`: linux's), its variant in the index entry. */
  async function armAware(layout: string, platform: string): Promise<Descriptor> {
    const [architecture, variant] = platform.split('/');
    const d = await writeImage(layout, architecture, { 'arch.txt': platform });
    return { ...d, platform: { os: 'linux', architecture, ...(variant ? { variant } : {}) } };
  }

  /** index.json holds amd64 and an index naming no platform, which holds `beside` and an arm/v7 entry of size -1. */
  async function nestedBroken(name: string, beside: string, wrap: boolean): Promise<string> {
    const layout = join(dir, name);
    const inner = await writeBlob(
      layout,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [await armAware(layout, beside), await armAware(layout, 'arm/v7')].map((d, i) =>
          i === 1 ? { ...d, size: -1 } : d,
        ),
      }),
      'application/vnd.oci.image.index.v1+json',
    );
    let manifests = [await writeImage(layout, 'amd64', { 'arch.txt': 'amd64' }), inner];
    // Wrapped, index.json holds one index (as skopeo and buildah write them) that holds the two.
    if (wrap) {
      const top = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests };
      manifests = [await writeBlob(layout, JSON.stringify(top), 'application/vnd.oci.image.index.v1+json')];
    }
    await writeFile(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    await writeFile(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
    return layout;
  }

  // It was named by the nested index's digest ("entry 1 of the index sha256:..."), where a registry holding the same
  // indexes names it by position from the top: each is now said the registry's way, from index.json down.
  it.each([
    ['nothing readable stands in', 'arm64', false, 'entry 1 of the index at index.json entry 1'],
    ['arm/v6 could stand in', 'arm/v6', false, 'entry 1 of the index at index.json entry 1'],
    [
      'index.json holds an index of both',
      'arm64',
      true,
      'entry 1 of the index at entry 1 of the index at index.json entry 0',
    ],
  ])('is named by where it sits from index.json, when %s', async (name, beside, wrap, where) => {
    const layout = await nestedBroken(name.replace(/\W+/g, '-'), beside, wrap);
    const opening = openImage(layout, { platform: 'linux/arm/v7' });
    await expect(opening).rejects.toMatchObject({ code: 'bad-index' });
    await expect(opening).rejects.toThrow(
      `the OCI layout ${layout} lists an image for platform linux/arm/v7, but its entry is broken: ${where} ` +
        'is not a usable descriptor: its size -1 is not a byte count (a whole number from 0 to 2^53-1)',
    );
    // The readable platforms still open
    expect(await archOf(layout, 'linux/amd64')).toBe('amd64');
  });
});

describe('compressed archives', () => {
  it.each(['gzip', 'zstd'])('opens a %s-compressed docker save and removes its temp copy on close', async (kind) => {
    const source = 'test/fixtures/formats/ggcr/tarball/test_image_1.tar';
    const target = join(dir, `image.tar.${kind}`);
    if (kind === 'gzip') {
      await writeFile(target, gzipSync(await readFile(source)));
    } else {
      const { execFileSync } = await import('node:child_process');
      execFileSync('zstd', ['-q', '-f', source, '-o', target]);
    }
    const image = await openImage(target);
    const spooled = (await import('node:os')).tmpdir();
    expect(image.ref.tag).toBe('bazel/v1/tarball:test_image_1');
    await validateImage(image);
    await image.close();
    // No ballast-* temp dir from this open is left behind.
    const { readdir } = await import('node:fs/promises');
    const left = (await readdir(spooled)).filter((n) => n.startsWith('ballast-') && !dir.endsWith(n));
    for (const name of left) expect(existsSync(join(spooled, name, 'archive.tar'))).toBe(false);
  });

  it('fails cleanly on a truncated compressed archive', async () => {
    const whole = gzipSync(await readFile('test/fixtures/formats/ggcr/tarball/test_image_1.tar'));
    const target = join(dir, 'truncated.tar.gz');
    await writeFile(target, whole.subarray(0, whole.length / 2));
    await expect(openImage(target)).rejects.toMatchObject({ exitCode: 2 });
  });
});

describe('digest verification', () => {
  async function corruptCopy(): Promise<string> {
    // test_image_1.tar: the layer tar's first file content "foo\n" sits in the archive; flip one of its bytes.
    const bytes = Buffer.from(await readFile('test/fixtures/formats/ggcr/tarball/test_image_1.tar'));
    const at = bytes.indexOf(Buffer.from('foo\n'), 1024);
    expect(at).toBeGreaterThan(0);
    bytes[at] = 'g'.charCodeAt(0);
    const target = join(dir, 'corrupt.tar');
    await writeFile(target, bytes);
    return target;
  }

  it('fails a layer whose bytes do not match its diff_id, naming the layer', async () => {
    const image = await openImage(await corruptCopy());
    const [layer] = await image.layers();
    const read = async (): Promise<void> => {
      for await (const _ of await layer.uncompressed()) void _;
    };
    await expect(read()).rejects.toMatchObject({
      code: 'digest-mismatch',
      message: expect.stringMatching(/^layer 0 \(sha256:8897395fd26d\) content does not match its diff_id: expected /),
    });
    await image.close();
  });

  it('reads it anyway with verification off', async () => {
    const image = await openImage(await corruptCopy(), { verify: false });
    const [layer] = await image.layers();
    let bytes = 0;
    for await (const chunk of await layer.uncompressed()) bytes += (chunk as Buffer).length;
    expect(bytes).toBeGreaterThan(0);
    await image.close();
  });
});

describe('foreign layers', () => {
  it('reports a non-distributable layer whose blob is absent instead of crashing', async () => {
    const layout = join(dir, 'foreign');
    const tar = await packTar([{ name: 'app', content: 'x' }]);
    const own = await writeBlob(layout, gzipSync(tar), 'application/vnd.oci.image.layer.v1.tar+gzip');
    const foreign: Descriptor = {
      mediaType: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
      digest: `sha256:${'ab'.repeat(32)}`,
      size: 1234,
      urls: ['https://example.invalid/base.tar.gz'],
    };
    const config = await writeBlob(
      layout,
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [`sha256:${'cd'.repeat(32)}`, sha256(tar)] },
      }),
      'application/vnd.oci.image.config.v1+json',
    );
    const manifest = await writeBlob(
      layout,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config,
        layers: [foreign, own],
      }),
      'application/vnd.oci.image.manifest.v1+json',
    );
    await writeFile(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    await writeFile(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [manifest] }));
    const image = await openImage(layout);
    const [base, top] = await image.layers();
    expect(await base.isFilesystem()).toBe(false);
    expect(await base.size()).toBe(1234);
    await expect(base.uncompressed()).rejects.toMatchObject({ code: 'layer-absent' });
    expect(await top.isFilesystem()).toBe(true);
    await validateImage(image);
    await image.close();
  });
});

describe('a directory that is no OCI layout says what it is instead', () => {
  // [directory, its files, what the error says, what the hint says]
  const rows: [string, Record<string, string>, RegExp, RegExp][] = [
    [
      'unpacked',
      { 'manifest.json': '[]', repositories: '{}', 'abc.tar': '', 'abc/layer.tar': '' },
      /^(.*)\/unpacked is an unpacked docker save \(it has manifest\.json\), not an OCI image layout$/,
      /^make it an archive again with `tar -cf (\S*unpacked\.tar) -C \S*unpacked \.` and give \1 instead$/,
    ],
    [
      'archives',
      { 'b.docker.tar': '', 'a.oci.tar': '', 'c.tar.gz': '', 'notes.txt': '' },
      /\/archives is a directory but not an OCI image layout \(it has no index\.json\); it holds image archives$/,
      /^give one of them, e\.g\. \S*archives\/a\.oci\.tar or \S*archives\/b\.docker\.tar \(3 in all\)$/,
    ],
    [
      'one',
      { 'only.tar': '' },
      /\/one is a directory but not an OCI image layout \(it has no index\.json\); it holds an image archive$/,
      /^give it instead: \S*one\/only\.tar$/,
    ],
    [
      'nothing',
      { 'notes.txt': '' },
      /\/nothing is a directory but not an OCI image layout \(it has no index\.json\)$/,
      /^expected an OCI layout directory/,
    ],
  ];
  it.each(rows)('%s', async (name, files, message, hint) => {
    const root = join(dir, name);
    for (const [file, content] of Object.entries(files)) {
      await mkdir(join(root, file, '..'), { recursive: true });
      await writeFile(join(root, file), content);
    }
    await expect(openImage(root)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(message),
      hint: expect.stringMatching(hint),
    });
    // Named as an archive, it gets the same hint: it was `use oci:DIR`, which then refused DIR as no layout.
    for (const transport of ['docker-archive:', 'oci-archive:']) {
      await expect(openImage(`${transport}${root}`)).rejects.toMatchObject({
        exitCode: 2,
        message: `${root} is a directory, not an archive`,
        hint: name === 'nothing' ? 'give the archive file' : expect.stringMatching(hint),
      });
    }
  });

  it('named as an archive, a layout is sent to oci:DIR', async () => {
    const layout = fileURLToPath(new URL('../fixtures/formats/ggcr/layout/test_index_one_image', import.meta.url));
    await expect(openImage(`oci-archive:${layout}`)).rejects.toMatchObject({ hint: `use oci:${layout}` });
  });
});
