// `ballast bases` end to end through the real executable (build first): against a real docker-registry on loopback,
// side by side over images from different sources, --json, markdown, .ballast.yaml families, and bad input.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDockerArchive, buildOciLayout, layer, type LayerSpec } from '../helpers/image-builder.js';
import { runCli } from '../helpers/cli.js';
import { skopeoCopy, startRegistry, type Registry } from '../helpers/registry.js';
import { formatBytes } from '../../src/report/figures.js';

const DEBIAN = layer(
  { 'etc/debian_version': '12.5\n', 'lib/libc.so.6': 40_000 },
  "# debian.sh --arch 'amd64' out/ 'bookworm' '@1706745600'",
);
const ALPINE = layer(
  { 'etc/alpine-release': '3.19.1\n', 'lib/ld-musl-x86_64.so.1': 15_000 },
  'ADD alpine-minirootfs-3.19.1-x86_64.tar.gz / # buildkit',
);
const runtime = (version: string, size: number) =>
  layer({ 'usr/local/bin/python3': size }, `RUN /bin/sh -c ./configure && make install # ${version}`);

describe('ballast bases (CLI)', () => {
  let registry: Registry;
  let work: string;
  let repo: string;
  let config: string;
  const cleanups: (() => void)[] = [];

  async function push(tag: string, layers: LayerSpec[], env: string[], repository = 'lib/python'): Promise<void> {
    const built = await buildOciLayout(layers, { config: { Env: env, Cmd: ['python3'] } });
    await skopeoCopy(`oci:${built.path}:latest`, `docker://${registry.host}/${repository}:${tag}`);
    built.cleanup();
  }

  /** `bases --dockerfile` on a Dockerfile of `text` written to `name`, as JSON; it must run cleanly. */
  async function basesOf(
    name: string,
    text: string,
    flags = ['--config', config],
  ): Promise<ReturnType<typeof JSON.parse>> {
    const dockerfile = join(work, name);
    await writeFile(dockerfile, text);
    const { code, stdout, stderr } = await runCli([
      'bases',
      '--dockerfile',
      dockerfile,
      ...flags,
      '--json',
      '--no-cache',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    return JSON.parse(stdout);
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ballast-bases-cli-'));
    registry = await startRegistry();
    repo = `${registry.host}/lib/python`;
    await push(
      '3.12.1',
      [DEBIAN, layer({ 'usr/bin/gcc': 90_000 }, 'RUN /bin/sh -c apt-get install -y gcc'), runtime('3.12.1', 30_000)],
      ['PYTHON_VERSION=3.12.1'],
    );
    await push('3.12.1-slim-bookworm', [DEBIAN, runtime('3.12.1', 30_000)], ['PYTHON_VERSION=3.12.1']);
    await push('3.12-alpine3.19', [ALPINE, runtime('3.12.1', 28_000)], ['PYTHON_VERSION=3.12.1']);
    await push('2.7.18-slim', [DEBIAN, runtime('2.7.18', 20_000)], ['PYTHON_VERSION=2.7.18']);
    await push(
      'nonroot',
      [layer({ 'etc/os-release': 'Distroless\n', 'lib/libc.so.6': 40_000 }), runtime('3.11.2', 25_000)],
      [],
      'distroless/python3-debian12',
    );
    config = join(work, 'ballast.yaml');
    await writeFile(
      config,
      [
        'bases:',
        '  builtinFamilies: false',
        '  families:',
        `    - repositories: [${repo}]`,
        '      candidates:',
        `        - { family: distroless, image: "${registry.host}/distroless/python{major}-debian12:nonroot", libc: glibc, shell: false, packageManager: null, os: debian }`,
        '',
      ].join('\n'),
    );
  }, 180_000);

  afterAll(async () => {
    await registry?.stop();
    for (const c of cleanups) c();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('prints the candidates as JSON: variants by semver, a family from .ballast.yaml, no other major', async () => {
    const { code, stdout, stderr } = await runCli([
      'bases',
      `docker://${repo}:3.12.1`,
      '--config',
      config,
      '--json',
      '--no-cache',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      mode: 'candidates',
      base: `${repo}:3.12.1`,
      platform: 'linux/amd64',
      tags: { repository: repo, listed: 4 },
    });
    const byRef = Object.fromEntries(result.candidates.map((c: { reference: string }) => [c.reference, c]));
    expect(Object.keys(byRef).sort()).toEqual([
      `${registry.host}/distroless/python3-debian12:nonroot`,
      `${repo}:3.12-alpine3.19`,
      `${repo}:3.12.1`,
      `${repo}:3.12.1-slim-bookworm`,
    ]);
    const sizes = result.candidates.map((c: { compressedBytes: number }) => c.compressedBytes);
    expect(sizes).toEqual([...sizes].sort((a: number, b: number) => a - b));
    expect(byRef[`${repo}:3.12.1`]).toMatchObject({
      current: true,
      os: { value: 'debian' },
      libc: { value: 'glibc' },
      packageManager: { value: 'apt' },
    });
    expect(byRef[`${repo}:3.12-alpine3.19`]).toMatchObject({
      os: { value: 'alpine', source: 'history' },
      libc: { value: 'musl' },
      match: 'line',
    });
    expect(byRef[`${registry.host}/distroless/python3-debian12:nonroot`]).toMatchObject({
      origin: 'family',
      family: 'distroless',
      shell: { value: false },
    });
    expect(stdout).not.toContain('2.7.18');
  });

  it('prints a table for people with the current base marked and the caveats, without colour under NO_COLOR', async () => {
    const { code, stdout } = await runCli(['bases', `docker://${repo}:3.12.1`, '--config', config, '--no-cache']);
    expect(code).toBe(0);
    expect(stdout).not.toContain('\u001b[');
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`bases for ${repo}:3.12.1 (linux/amd64)`);
    expect(lines.find((l) => l.includes('Compressed'))).toMatch(
      /Image\s+Compressed\s+vs current\s+Layers\s+OS\s+libc\s+Shell\s+Pkg mgr\s+User/,
    );
    expect(lines.slice(1).find((l) => l.includes(`${repo}:3.12.1 `))).toMatch(/^\*\s/);
    expect(lines.slice(1).filter((l) => l.startsWith('*  '))).toHaveLength(1);
    expect(stdout).toMatch(/musl instead of glibc/);
    expect(stdout).toMatch(/no shell/);
    // Package names differ between package managers; with none at all, the RUN lines are what breaks
    expect(stdout).toContain('! apk instead of apt: RUN lines that call apt will not work, and package names differ\n');
    expect(stdout).toContain('! no package manager (apt before): RUN lines that call apt will not work\n');
    // And at 40 columns the heading is wrapped as the notes are, its reference whole. Regression: it was one line of
    // 57 columns.
    const narrow = await runCli(['bases', `docker://${repo}:3.12.1`, '--config', config, '--no-cache'], {
      env: { COLUMNS: '40' },
    });
    expect(narrow.stdout.split('\n').slice(0, 3)).toEqual(['bases for', `  ${repo}:3.12.1`, '  (linux/amd64)']);
  });

  it('writes markdown to a file with -o', async () => {
    const out = join(work, 'bases.md');
    const { code, stdout } = await runCli([
      'bases',
      `docker://${repo}:3.12.1`,
      '--config',
      config,
      '--format',
      'markdown',
      '-o',
      out,
      '--no-cache',
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const md = await readFile(out, 'utf8');
    expect(md).toMatch(/^### ballast bases: bases for /);
    expect(md).toContain('| Image | Compressed | vs current | Layers | OS | libc | Shell | Pkg mgr | User |');
    expect(md).toContain(`| **\`${repo}:3.12.1\`** (current) |`);
    expect(md).toMatch(/#### Notes/);
  });

  it('compares several images from different sources side by side, smallest first', async () => {
    const local = await buildOciLayout([ALPINE], { config: { Cmd: ['/bin/sh'] } });
    cleanups.push(local.cleanup);
    const { code, stdout, stderr } = await runCli([
      'bases',
      `oci:${local.path}:latest`,
      'examples/demo/demo.tar',
      `docker://${repo}:3.12.1-slim-bookworm`,
      '--json',
      '--no-cache',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.mode).toBe('compare');
    expect(result.candidates.map((c: { reference: string }) => c.reference)).toEqual([
      `oci:${local.path}:latest`,
      `${repo}:3.12.1-slim-bookworm`,
      'examples/demo/demo.tar',
    ]);
    expect(result.candidates.every((c: { current: boolean }) => !c.current)).toBe(true);
    const sizes = result.candidates.map((c: { compressedBytes: number }) => c.compressedBytes);
    expect(sizes).toEqual([...sizes].sort((a: number, b: number) => a - b));
  });

  it('shows one image named several ways once, with its other names in text and markdown alike', async () => {
    const local = await buildOciLayout([ALPINE], { config: { Cmd: ['/bin/sh'] } });
    cleanups.push(local.cleanup);
    // The same OCI layout twice under one name and once under another
    const args = ['bases', local.path, local.path, `oci:${local.path}:latest`, '--no-cache'];
    const text = await runCli(args);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe('1 image side by side (linux/amd64)');
    expect(text.stdout).toContain(`same image as oci:${local.path}:latest\n`);
    const md = await runCli([...args, '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^### ballast bases: 1 image side by side/);
    expect(md.stdout).toContain(`#### Notes\n\n- \`${local.path}\`\n  - same image as \`oci:${local.path}:latest\`\n`);
  });

  it('shows two tags of one image in a legacy docker save archive (no manifest digest) as one row', async () => {
    const saved = await buildDockerArchive([ALPINE], { repoTags: ['app:1', 'app:stable'] });
    const other = await buildOciLayout([DEBIAN]);
    cleanups.push(saved.cleanup, other.cleanup);
    const { code, stdout } = await runCli([
      'bases',
      `${saved.path}:app:1`,
      `${saved.path}:app:stable`,
      other.path,
      '--no-cache',
    ]);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('2 images side by side (linux/amd64)');
    expect(stdout).toContain(`  ${saved.path}:app:1\n    same image as ${saved.path}:app:stable\n`);
  });

  it('says a recorded base named localhost/ is in podman or buildah storage, and asks for --base', async () => {
    // Given an image built by buildah on a base from its local storage, as the corpus images are
    const app = await buildOciLayout([DEBIAN, layer({ 'app/main.py': 1_000 }, 'COPY . /app')], {
      annotations: { 'org.opencontainers.image.base.name': 'localhost/corpus/debian-base:latest' },
    });
    cleanups.push(app.cleanup);
    const { code, stdout, stderr } = await runCli(['bases', app.path, '--no-cache'], { timeoutMs: 30_000 });
    expect(stdout).toBe('');
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toEqual([
      `note: ${app.path} records its base as localhost/corpus/debian-base:latest (org.opencontainers.image.base.name)`,
      expect.stringMatching(
        /^error: .* records its base as localhost\/corpus\/debian-base:latest, a name podman and buildah give images in their local storage; .*\(hint: pass the registry reference the base came from with --base REF/,
      ),
    ]);
  });

  it('says in text, JSON and markdown whether the base layers were matched on the digest the image records', async () => {
    // Given an image built on lib/moved:1.0, whose tag has since moved to a rebuild with one more layer
    const build = async (layers: LayerSpec[]) => {
      const built = await buildOciLayout(layers, { config: { Env: ['PYTHON_VERSION=3.12.1'] } });
      cleanups.push(built.cleanup);
      return built.path;
    };
    const baseLayers = [DEBIAN, runtime('3.12.1', 30_000)];
    const original = await build(baseLayers);
    await skopeoCopy(`oci:${original}:latest`, `docker://${registry.host}/lib/moved:1.0`);
    const index = JSON.parse(await readFile(join(original, 'index.json'), 'utf8'));
    const digest: string = index.manifests[0].digest;
    await skopeoCopy(
      `oci:${await build([DEBIAN, layer({ 'lib/libssl.so.3': 5_000 }, 'RUN apt-get upgrade -y'), runtime('3.12.1', 30_000)])}:latest`,
      `docker://${registry.host}/lib/moved:1.0`,
    );
    const app = async (recorded: string) => {
      const built = await buildOciLayout([...baseLayers, layer({ 'app/main.py': 1_000 }, 'COPY . /app')], {
        annotations: {
          'org.opencontainers.image.base.name': `${registry.host}/lib/moved:1.0`,
          'org.opencontainers.image.base.digest': recorded,
        },
      });
      cleanups.push(built.cleanup);
      return built.path;
    };
    const found = await app(digest);
    const exact = `${registry.host}/lib/moved@${digest}`;
    const json = await runCli(['bases', found, '--json', '--no-cache']);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result.recordedDigest).toEqual({ digest, reference: exact, used: 'digest', reason: null });
    expect(result.image).toMatchObject({ layers: 3, ownLayers: 1 });
    expect(result.warnings).toEqual([]);
    const text = await runCli(['bases', found, '--no-cache']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `Base layers matched against ${exact}, the base digest the image records (org.opencontainers.image.base.digest).`,
    );
    expect(text.stdout).not.toContain('warning:');
    const md = await runCli(['bases', found, '--format', 'markdown', '--no-cache']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(`Base layers matched against ${exact}, the base digest`);
    // And a digest the registry does not have (buildah records its local copy's): the tag as today, said so
    const missing = `sha256:${'0'.repeat(64)}`;
    const fallback = await runCli(['bases', await app(missing), '--no-cache']);
    expect(fallback.code).toBe(0);
    expect(fallback.stdout).toContain(
      `The base digest the image records (${missing}) could not be read (${registry.host} has no manifest lib/moved@${missing}), so base layers were matched against ${registry.host}/lib/moved:1.0 as it is today.`,
    );
    // Only the one layer still shared counts as the base's: the base has moved, and the text says so
    expect(fallback.stdout).toMatch(
      /warning: the base has moved since the build: \S+lib\/moved:1\.0 now has 3 layers, of which \S+ shares only its first 1 \(/,
    );
  });

  it('with a --base tag that has moved, counts only the layers still shared, or as many as the Dockerfile tells', async () => {
    // Given lib/shifted:2.0 of one layer, an app built on it with two layers of its own, then the tag moved to a base
    // of two layers whose first is the one the app has
    const build = async (layers: LayerSpec[]) => {
      const built = await buildOciLayout(layers, { config: { Env: ['PYTHON_VERSION=3.12.1'] } });
      cleanups.push(built.cleanup);
      return built.path;
    };
    const tag = `${registry.host}/lib/shifted:2.0`;
    await skopeoCopy(`oci:${await build([DEBIAN, runtime('3.12.1', 30_000)])}:latest`, `docker://${tag}`);
    const app = await build([
      DEBIAN,
      layer({ 'app/main.py': 1_000 }, 'COPY . /app # buildkit'),
      layer({ 'app/data.bin': 2_000 }, 'COPY data.bin /app/ # buildkit'),
    ]);
    const stored = JSON.parse(
      await readFile(
        join(
          app,
          'blobs',
          'sha256',
          JSON.parse(await readFile(join(app, 'index.json'), 'utf8')).manifests[0].digest.slice(7),
        ),
        'utf8',
      ),
    ).layers.map((l: { size: number }) => l.size) as number[];
    // When compared with --base naming the tag as it is now
    const json = await runCli(['bases', app, '--base', tag, '--json', '--no-cache']);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    // Then its own two layers are its own (the base's two layers were taken for the first two of the app's)
    expect(result.image).toMatchObject({
      layers: 3,
      ownLayers: 2,
      ownCompressedBytes: stored[1] + stored[2],
      sharedLayers: 1,
      baseMoved: { reference: tag, layers: 2, fromOldBase: 1, fromDockerfile: false },
    });
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^the base has moved since the build: \S+ now has 2 layers, of which \S+ shares only its first 1 \(/,
      ),
    ]);
    const current = result.candidates.find((c: { current: boolean }) => c.current);
    expect(current.sharedLayers).toEqual([{ reference: app, layers: 1, compressedBytes: stored[0] }]);
    // And the text and markdown give the same figures, the warning word for word
    const text = await runCli(['bases', app, '--base', tag, '--no-cache']);
    const md = await runCli(['bases', app, '--base', tag, '--format', 'markdown', '--no-cache']);
    expect(text.stdout).toContain(`of which yours: 2 layers,`);
    expect(md.stdout).toContain(`of which yours: 2 layers,`);
    expect(text.stdout).toContain(`warning: ${result.warnings[0]}`);
    expect(md.stdout).toContain(`> **Warning:** ${result.warnings[0]}`);
    expect(text.stdout).toMatch(/\n {4}shares 1 of 2 layers \(.+\) with \S+\n/);
    expect(md.stdout).toMatch(/\n {2}- shares 1 of 2 layers \(.+\) with `\S+`/);
    // Given its Dockerfile, which says the app's own layers are the last two: the same count, from the Dockerfile
    const dockerfile = join(work, 'Dockerfile.shifted');
    await writeFile(dockerfile, `FROM ${tag}\nCOPY . /app\nCOPY data.bin /app/\n`);
    const told = JSON.parse((await runCli(['bases', app, '-f', dockerfile, '--json', '--no-cache'])).stdout);
    expect(told.image).toMatchObject({ ownLayers: 2, baseMoved: { fromOldBase: 1, fromDockerfile: true } });
  });

  it('with a moved --base and a Dockerfile, counts the layers it says came from the old base, as the tag grew or shrank', async () => {
    // Given lib/drift:3.0 of two layers and an app built on it with two layers of its own, then the tag moved to a
    // rebuild of three layers of which only the first is the app's: 1 layer shared, 2 from the old base
    const build = async (layers: LayerSpec[]) => {
      const built = await buildOciLayout(layers, { config: { Env: ['PYTHON_VERSION=3.12.1'] } });
      cleanups.push(built.cleanup);
      return built.path;
    };
    const tag = `${registry.host}/lib/drift:3.0`;
    const old = [DEBIAN, runtime('3.12.1', 30_000)];
    await skopeoCopy(`oci:${await build(old)}:latest`, `docker://${tag}`);
    const app = await build([
      ...old,
      layer({ 'app/main.py': 1_000 }, 'COPY . /app # buildkit'),
      layer({ 'app/data.bin': 2_000 }, 'COPY data.bin /app/ # buildkit'),
    ]);
    await skopeoCopy(
      `oci:${await build([DEBIAN, runtime('3.12.2', 31_000), layer({ 'etc/ssl/x': 500 }, 'RUN update-ca-certificates')])}:latest`,
      `docker://${tag}`,
    );
    const dockerfile = join(work, 'Dockerfile.drift');
    await writeFile(dockerfile, `FROM ${tag}\nCOPY . /app\nCOPY data.bin /app/\n`);
    const index = JSON.parse(await readFile(join(app, 'index.json'), 'utf8'));
    const manifest = JSON.parse(
      await readFile(join(app, 'blobs', 'sha256', index.manifests[0].digest.slice(7)), 'utf8'),
    );
    const stored = manifest.layers.map((l: { size: number }) => l.size) as number[];
    // When compared with --base naming the tag as it is now, and the Dockerfile
    const json = await runCli(['bases', app, '--base', tag, '-f', dockerfile, '--json', '--no-cache']);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    // Then the layers shared are the one that matches by diffId, and its size; the old base's are the two the
    // Dockerfile tells, so the app's own are its two COPY layers
    expect(result.image).toMatchObject({
      layers: 4,
      sharedLayers: 1,
      sharedCompressedBytes: stored[0],
      ownLayers: 2,
      ownCompressedBytes: stored[2] + stored[3],
      baseMoved: { reference: tag, layers: 3, fromOldBase: 2, fromDockerfile: true },
    });
    const current = result.candidates.find((c: { current: boolean }) => c.current);
    expect(current.sharedLayers).toEqual([{ reference: app, layers: 1, compressedBytes: stored[0] }]);
    expect(current.estimate).toMatchObject({ compressedBytes: current.compressedBytes + stored[2] + stored[3] });
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^the base has moved since the build: \S+ now has 3 layers, of which \S+ shares only its first 1 \([^)]+\); its first 2 layers came from the base it was built on \(from the Dockerfile\) and count as the base's$/,
      ),
    ]);
    // And the text gives the same figures
    const text = await runCli(['bases', app, '--base', tag, '-f', dockerfile, '--no-cache']);
    expect(text.stdout).toContain(`of which yours: 2 layers,`);
    expect(text.stdout).toMatch(/\n {4}shares 1 of 3 layers \(.+\) with \S+\n/);
    // Given the tag moved again, to a base of one layer, the app's first: every layer of the base matches, yet the
    // Dockerfile's FROM brought two (its second was counted as the app's own, and no word said the base had moved)
    await skopeoCopy(`oci:${await build([DEBIAN])}:latest`, `docker://${tag}`);
    const shrunk = JSON.parse((await runCli(['bases', app, '-f', dockerfile, '--json', '--no-cache'])).stdout);
    expect(shrunk.image).toMatchObject({
      sharedLayers: 1,
      ownLayers: 2,
      ownCompressedBytes: stored[2] + stored[3],
      baseMoved: { reference: tag, layers: 1, fromOldBase: 2, fromDockerfile: true },
    });
    expect(shrunk.warnings).toEqual([
      `the base has moved since the build: ${tag} now has 1 layer, the first of ${app}'s (${formatBytes(stored[0])}); ` +
        "its first 2 layers came from the base it was built on (from the Dockerfile) and count as the base's",
    ]);
  });

  it('leaves your own image out of the candidates when it is tagged in its base repository, and says so', async () => {
    // Given lib/own:1.0, and an app built on it that is also pushed to that repository as 1.0-app
    const base = [DEBIAN, runtime('3.12.1', 30_000)];
    const appLayers = [...base, layer({ 'app/main.py': 1_000 }, 'COPY . /app # buildkit')];
    const options = { config: { Env: ['PYTHON_VERSION=3.12.1'] } };
    await push('1.0', base, ['PYTHON_VERSION=3.12.1'], 'lib/own');
    const oci = await buildOciLayout(appLayers, options);
    cleanups.push(oci.cleanup);
    await skopeoCopy(`oci:${oci.path}:latest`, `docker://${registry.host}/lib/own:1.0-app`);
    // and kept locally as that OCI layout (the same manifest) and as a docker save (no manifest, the same config)
    const saved = await buildDockerArchive(appLayers, options);
    cleanups.push(saved.cleanup);
    const tag = `${registry.host}/lib/own:1.0-app`;
    for (const app of [oci.path, saved.path]) {
      // When its bases are listed from the base's tags
      const json = await runCli(['bases', app, '--base', `${registry.host}/lib/own:1.0`, '--json', '--no-cache']);
      expect(json.code).toBe(0);
      const result = JSON.parse(json.stdout);
      // Then it is no candidate of its own (its layers counted twice in "Your image on it"), and the skipped list
      // says why it is missing
      expect(result.tags.listed).toBe(2);
      expect(result.candidates.map((c: { reference: string }) => c.reference)).toEqual([
        `${registry.host}/lib/own:1.0`,
      ]);
      expect(result.skipped).toEqual([
        { reference: tag, reason: `${tag} is ${app} itself, your image: no base to rebuild it on` },
      ]);
    }
    // And the text says so under "Not compared"
    const text = await runCli(['bases', saved.path, '--base', `${registry.host}/lib/own:1.0`, '--no-cache']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `Not compared\n  ${tag} is ${saved.path} itself, your image: no base to rebuild it on`,
    );
    // And a --base naming the image itself is refused, rather than estimated with "of which yours: 0 layers"
    const itself = await runCli(['bases', saved.path, '--base', tag, '--no-cache']);
    expect(itself.code).toBe(2);
    expect(itself.stdout).toBe('');
    expect(itself.stderr.trim().split('\n')).toEqual([
      `error: ${tag} (--base) is ${saved.path} itself, not its base (hint: pass the image it is built on with --base (node:20), or its Dockerfile with --dockerfile)`,
    ]);
    // But the base named as the image, beside a Dockerfile built FROM it, asks for its candidates checked against the
    // Dockerfile: no image of the user's, so no estimate "of which yours: 0 layers" either
    const dockerfile = join(work, 'Dockerfile.own');
    await writeFile(dockerfile, `FROM ${registry.host}/lib/own:1.0\nRUN apt-get install -y curl\n`);
    const named = await runCli(['bases', `${registry.host}/lib/own:1.0`, '-f', dockerfile, '--json', '--no-cache']);
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout)).toMatchObject({ mode: 'candidates', image: null, dockerfile: { fromLine: 1 } });
  });

  it('names the first image given when none can be read on the --platform asked for', async () => {
    const a = await buildOciLayout([DEBIAN]);
    const b = await buildOciLayout([ALPINE]);
    cleanups.push(a.cleanup, b.cleanup);
    const { code, stdout, stderr } = await runCli(['bases', a.path, b.path, '--platform', 'linux/s390x'], {
      timeoutMs: 30_000,
    });
    expect(stdout).toBe('');
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^error: reading ${a.path}: .*linux/s390x`)),
    ]);
  });

  it.each([
    [['bases'], /^error: no image given \(hint: /],
    [
      ['bases', 'examples/demo/demo.tar'],
      /^error: examples\/demo\/demo\.tar does not record its base image.*\(hint: .*--base/,
    ],
    [['bases', 'no/such/file.tar'], /^error: .*no\/such\/file\.tar does not exist \(hint: /],
    [
      ['bases', 'docker://127.0.0.1:1/x:1.0'],
      /^error: listing the tags of 127\.0\.0\.1:1\/x: cannot connect to the registry 127\.0\.0\.1:1 \(connection refused\) \(hint: /,
    ],
    [['bases', 'docker://NODE:20'], /^error: invalid image reference/],
    [
      ['bases', '--dockerfile', 'no/such/Dockerfile'],
      /^error: the Dockerfile no\/such\/Dockerfile: no such file \(hint: /,
    ],
    [['bases', 'a:1', 'b:2', '--base', 'c:3'], /^error: --base and --dockerfile apply to one image/],
    // A local copy as --base: the hint asks for the registry name, not (again) for --base.
    [
      ['bases', 'examples/demo/demo.tar', '--base', 'examples/demo/demo.tar'],
      /^error: examples\/demo\/demo\.tar is not a registry image.*\(hint: give --base as the registry reference the base was pulled as/,
    ],
  ])('fails %j with exit 2 and one line', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args as string[], { timeoutMs: 30_000 });
    expect(stdout).toBe('');
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message as RegExp);
  });

  it('names the closest listed tags when the base is a mistyped tag, from the Dockerfile too', async () => {
    const mistyped = await runCli(['bases', `docker://${repo}:3.12.1-slim-bookwrom`, '--no-cache']);
    expect(mistyped.stdout).toBe('');
    expect(mistyped.code).toBe(2);
    expect(mistyped.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^error: reading .*lib\/python:3\.12\.1-slim-bookwrom: .*has no tag lib\/python:3\.12\.1-slim-bookwrom.* \(hint: did you mean 3\.12\.1-slim-bookworm\? list the tags with /,
      ),
    ]);
    const dockerfile = join(work, 'mistyped.Dockerfile');
    await writeFile(dockerfile, `FROM ${repo}:3.12.l\n`);
    const fromDockerfile = await runCli(['bases', '--dockerfile', dockerfile, '--no-cache']);
    expect(fromDockerfile.code).toBe(2);
    expect(fromDockerfile.stderr.trim().split('\n')).toHaveLength(1);
    expect(fromDockerfile.stderr).toMatch(/\(hint: did you mean 3\.12\.1\? list the tags with /);
    // Nothing close: the registry's own hint alone.
    const far = await runCli(['bases', `docker://${repo}:9.9.9-nothing`, '--no-cache']);
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(/\(hint: list the tags with /);
    // A mistyped repository in the FROM: the line to fix is named
    const noRepo = join(work, 'no-repo.Dockerfile');
    await writeFile(noRepo, `FROM ${registry.host}/lib/pyhton:3.12.1\n`);
    const missing = await runCli(['bases', '--dockerfile', noRepo, '--no-cache']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr.trim().split('\n')).toEqual([
      `error: the final FROM of ${noRepo} (line 1): listing the tags of ${registry.host}/lib/pyhton: ${registry.host} has no repository lib/pyhton (hint: check the name (and that you are logged in, since private repositories can look absent))`,
    ]);
  });

  it('fails a bad bases: section in .ballast.yaml naming its key path', async () => {
    const bad = join(work, 'bad.yaml');
    await writeFile(
      bad,
      'bases:\n  families:\n    - repositories: [node]\n      candidates:\n        - { family: x, image: y, libc: uclibc }\n',
    );
    const { code, stderr } = await runCli(['bases', `docker://${repo}:3.12.1`, '--config', bad]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/bases\.families\[0\]\.candidates\[0\]\.libc must be one of glibc, musl, none/);
  });

  it('names the RUN lines a SHELL of bash runs, on an alpine candidate that ships no bash', async () => {
    const result = await basesOf(
      'Dockerfile.bash',
      `FROM ${repo}:3.12.1-slim-bookworm\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN echo hi | cat\nRUN ["python3", "-V"]\n`,
    );
    expect(result.dockerfile.runLines.map((l: { shellProgram: string | null }) => l.shellProgram)).toEqual([
      '/bin/bash',
      null,
    ]);
    const shellCaveats = (ref: string) =>
      result.candidates
        .find((c: { reference: string }) => c.reference === ref)
        .caveats.filter((c: { kind: string }) => c.kind === 'shell');
    expect(shellCaveats(`${repo}:3.12-alpine3.19`)).toEqual([
      {
        kind: 'shell',
        message: expect.stringMatching(
          /^no bash in alpine unless it is installed first: 1 RUN line runs with \/bin\/bash \(SHELL\) and will not start \(.*Dockerfile\.bash:3\)$/,
        ),
        lines: [expect.objectContaining({ line: 3, text: 'RUN echo hi | cat' })],
      },
    ]);
    // Debian has bash: nothing to say there
    expect(shellCaveats(`${repo}:3.12.1`)).toEqual([]);
  });

  it('reads a Dockerfile base pinned by tag and digest (FROM image:tag@sha256:…) as that tag, on that digest', async () => {
    // Given a FROM pinned the way Renovate and Dependabot pin it: the tag for people, the digest for the pull
    const head = await fetch(`http://${registry.host}/v2/lib/python/manifests/3.12.1`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    const digest = head.headers.get('docker-content-digest')!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const result = await basesOf('Dockerfile.pinned', `FROM ${repo}:3.12.1@${digest}\nRUN apt-get install -y libpq5\n`);
    expect(result.base).toBe(`${repo}:3.12.1@${digest}`);
    expect(result.candidates.find((c: { current: boolean }) => c.current)).toMatchObject({
      reference: `${repo}:3.12.1@${digest}`,
      tag: '3.12.1',
      digest,
    });
    expect(result.candidates.map((c: { reference: string }) => c.reference)).toEqual(
      expect.arrayContaining([`${repo}:3.12.1-slim-bookworm`, `${repo}:3.12-alpine3.19`]),
    );
    // A digest alone still names no version
    const bare = await runCli(['bases', `docker://${repo}@${digest}`, '--no-cache'], { timeoutMs: 30_000 });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^error: .* is pinned by digest only/);
  });

  it('with --deep, tells the package manager and shell from the files: distroless keeps dpkg records but no apt-get', async () => {
    // Given a Debian base with apt-get and a distroless one whose dpkg records (status.d) outlive its package manager,
    // listed in .ballast.yaml without saying what it lacks
    const stanza = (name: string) =>
      `Package: ${name}\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n`;
    await push(
      '12.5',
      [
        layer(
          {
            'etc/debian_version': '12.5\n',
            'usr/bin/sh': 9_000,
            'usr/bin/apt-get': 20_000,
            'usr/lib/x86_64-linux-gnu/libc.so.6': 40_000,
            'var/lib/dpkg/status': `${stanza('libc6')}\n${stanza('apt')}`,
          },
          "# debian.sh --arch 'amd64' out/ 'bookworm' '@1706745600'",
        ),
      ],
      [],
      'lib/deb',
    );
    await push(
      'latest',
      [
        layer(
          {
            'etc/os-release': 'PRETTY_NAME="Distroless"\n',
            'usr/lib/x86_64-linux-gnu/libc.so.6': 40_000,
            'var/lib/dpkg/status.d/libc6': stanza('libc6'),
          },
          'bazel build //base:base_debian12',
        ),
      ],
      [],
      'distroless/base-debian12',
    );
    const families = join(work, 'deep.yaml');
    await writeFile(
      families,
      `bases:\n  builtinFamilies: false\n  families:\n    - repositories: [${registry.host}/lib/deb]\n      candidates:\n        - { family: distroless, image: "${registry.host}/distroless/base-debian12:latest" }\n`,
    );
    const result = await basesOf(
      'Dockerfile.deb',
      `FROM ${registry.host}/lib/deb:12.5\nRUN apt-get update && apt-get install -y curl\n`,
      ['--config', families, '--deep'],
    );
    const [current, distroless] = [
      result.candidates.find((c: { current: boolean }) => c.current),
      result.candidates.find((c: { family: string | null }) => c.family === 'distroless'),
    ];
    expect(current).toMatchObject({ packageManager: { value: 'apt' }, shell: { value: true } });
    expect(distroless.deep.packages).toEqual({ dpkg: 1 });
    expect(distroless).toMatchObject({
      packageManager: { value: null, source: 'files' },
      shell: { value: false, source: 'files' },
    });
    // So the apt-get line is named as one that cannot run there
    expect(distroless.caveats.find((c: { kind: string }) => c.kind === 'package-manager')).toMatchObject({
      message: expect.stringMatching(/^no package manager \(apt before\): 1 RUN line calls apt and will not work/),
      lines: [{ line: 2 }],
    });
  });

  it('reads the base from a Dockerfile whose FROM uses an ARG default, and names the RUN lines a candidate breaks', async () => {
    const result = await basesOf(
      'Dockerfile',
      `ARG PY=3.12.1\nFROM ${repo}:\${PY}-slim-bookworm AS base\nFROM base\nRUN apt-get update && apt-get install -y libpq5\n`,
    );
    expect(result).toMatchObject({
      mode: 'candidates',
      base: `${repo}:3.12.1-slim-bookworm`,
      dockerfile: { from: `${repo}:3.12.1-slim-bookworm`, fromLine: 2 },
    });
    const alpine = result.candidates.find((c: { reference: string }) => c.reference.endsWith('alpine3.19'));
    expect(alpine.caveats.find((c: { kind: string }) => c.kind === 'package-manager')).toMatchObject({
      lines: [{ line: 4 }],
    });
    const distroless = result.candidates.find((c: { family: string | null }) => c.family === 'distroless');
    expect(distroless.caveats.find((c: { kind: string }) => c.kind === 'shell').message).toMatch(
      /^no shell: 1 RUN line of the final stage will not run \(.*Dockerfile:4\); move it to a build stage$/,
    );
  });
  it('follows a FROM naming an earlier stage through the platform arguments and global ARG defaults to its image', async () => {
    // Given stages picked by the platform built for (build-$TARGETARCH) and by a global ARG default (base-${FLAVOR})
    const result = await basesOf(
      'Dockerfile.stages',
      [
        'ARG FLAVOR=slim',
        `FROM ${repo}:3.12.1-slim-bookworm AS build-amd64`,
        'RUN apt-get update',
        `FROM ${repo}:3.12.1-alpine3.19 AS build-arm64`,
        'RUN apk add libpq',
        'FROM build-$TARGETARCH AS base-slim',
        'RUN apt-get install -y libpq5',
        'FROM base-${FLAVOR}',
        'RUN echo done',
        '',
      ].join('\n'),
      ['--config', config, '--platform', 'linux/amd64'],
    );
    // Then the base is the image the amd64 chain starts from, and the RUN lines are those of that chain
    expect(result).toMatchObject({
      base: `${repo}:3.12.1-slim-bookworm`,
      dockerfile: { from: `${repo}:3.12.1-slim-bookworm`, fromLine: 2 },
    });
    expect(result.dockerfile.runLines.map((l: { line: number }) => l.line)).toEqual([3, 7, 9]);
  });
});
