// `ballast bases` on a base named as podman and buildah name their local storage (`localhost/NAME`): there is no
// registry behind such a name, so the error says where the name comes from instead of "is the registry running?".
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { buildDockerArchive, buildOciLayout, layer } from '../helpers/image-builder.js';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ballast-bases-local-'));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('ballast bases on a localhost/ base', () => {
  it("says a Dockerfile's FROM localhost/NAME is in podman or buildah storage, and asks for --base", async () => {
    // Given a Dockerfile built with buildah on a base from its local storage, as the corpus images are.
    const dockerfile = join(work, 'Dockerfile');
    await writeFile(dockerfile, 'FROM localhost/corpus/debian-base:latest\nRUN apt-get install -y curl\n');
    const { code, stdout, stderr } = await runCli(
      ['bases', '--dockerfile', dockerfile, '--no-cache', '--timeout', '5'],
      {
        timeoutMs: 30_000,
      },
    );
    expect(stdout).toBe('');
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^error: the final FROM of .*Dockerfile \(line 1\) is localhost\/corpus\/debian-base:latest, a name podman and buildah give images in their local storage; its tags cannot be listed \(hint: pass the registry reference the base came from with --base REF/,
    );
  });

  it('says an image recording an empty base name (buildah, FROM scratch) has no base to replace', async () => {
    // Given an image built FROM scratch by buildah, which records the base name as "".
    const root = await buildOciLayout([layer({ 'bin/sh': 1000 }, 'ADD rootfs.tar /')], {
      annotations: { 'org.opencontainers.image.base.name': '' },
    });
    try {
      const { code, stdout, stderr } = await runCli(['bases', root.path, '--no-cache']);
      expect(stdout).toBe('');
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^error: .* records an empty base name \(org\.opencontainers\.image\.base\.name\): it was built FROM scratch, so there is no base to replace \(hint: /,
        ),
      ]);
    } finally {
      root.cleanup();
    }
  });
});

describe('ballast bases side by side on one image stored two ways', () => {
  it('keeps both rows and says they hold one config', async () => {
    // Given an OCI layout and a docker-save archive of the same image (gzip against plain tar layers)
    const spec = [layer({ 'bin/sh': 1000, 'etc/os-release': 'ID=alpine\n' }, 'ADD rootfs.tar /')];
    const oci = await buildOciLayout(spec);
    const archive = await buildDockerArchive(spec);
    try {
      const text = await runCli(['bases', oci.path, archive.path, '--no-cache']);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(`! the same config as ${archive.path}: one image, stored another way`);
      expect(text.stdout).toContain(`! the same config as ${oci.path}: one image, stored another way`);
      const json = JSON.parse((await runCli(['bases', oci.path, archive.path, '--no-cache', '--json'])).stdout);
      expect(json.candidates).toHaveLength(2);
      expect(json.candidates[0].caveats).toEqual([
        { kind: 'note', message: `the same config as ${archive.path}: one image, stored another way` },
      ]);
    } finally {
      oci.cleanup();
      archive.cleanup();
    }
  });

  it("reads for the docker save copy what the OCI copy's manifest records, and says where from", async () => {
    // Given an OCI layout recording its base's name in a manifest annotation, and its `docker save` copy, which keeps
    // no annotations: one config, whose history runs apt-get and names no OS
    const spec = [layer({ 'bin/sh': 1000, 'etc/os-release': 'ID=debian\n' }, '/bin/sh -c apt-get install -y curl')];
    const oci = await buildOciLayout(spec, {
      annotations: { 'org.opencontainers.image.base.name': 'docker.io/library/debian:12-slim' },
    });
    const archive = await buildDockerArchive(spec);
    try {
      const note = `OS and libc read from org.opencontainers.image.base.name in ${oci.path}'s manifest, which this copy does not keep`;
      // When they are compared side by side
      const text = await runCli(['bases', oci.path, archive.path, '--no-cache'], { env: { COLUMNS: '300' } });
      expect(text.code).toBe(0);
      // Then both rows show the guess the OCI manifest gives (not `?` for the archive), and the archive's row says so
      const rows = text.stdout
        .split('\n')
        .filter((l) => l.startsWith(`  ${oci.path}  `) || l.startsWith(`  ${archive.path}  `));
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(row).toMatch(/ debian\? +glibc\? +yes +apt +root$/);
      expect(text.stdout).toContain(`! ${note}\n`);
      expect(text.stdout.split(note)).toHaveLength(2);
      // And at 40 columns no line is wider, but for the paths, each whole on a line of its own. Regression: the key,
      // bracketed and followed by a comma, ran to 43 columns.
      const narrow = await runCli(['bases', oci.path, archive.path, '--no-cache'], { env: { COLUMNS: '40' } });
      const wide = narrow.stdout.split('\n').filter((l) => l.length > 40);
      expect(wide.filter((l) => !/^ *\/\S+$/.test(l) || !(l.includes(oci.path) || l.includes(archive.path)))).toEqual(
        [],
      );
      expect(narrow.stdout).toMatch(/^ {6}org\.opencontainers\.image\.base\.name$/m);
      const md = await runCli(['bases', oci.path, archive.path, '--no-cache', '--format', 'markdown']);
      expect(md.stdout).toContain(note);
      const json = JSON.parse((await runCli(['bases', oci.path, archive.path, '--no-cache', '--json'])).stdout);
      const row = (ref: string) => json.candidates.find((c: { reference: string }) => c.reference === ref);
      for (const ref of [oci.path, archive.path]) {
        expect(row(ref).os).toEqual({ value: 'debian', source: 'base-name' });
        expect(row(ref).libc).toEqual({ value: 'glibc', source: 'base-name' });
      }
      expect(row(archive.path).annotationsFrom).toBe(oci.path);
      expect(row(oci.path).annotationsFrom).toBeNull();
      expect(row(archive.path).caveats).toContainEqual({ kind: 'note', message: note });
      expect(row(oci.path).caveats).toEqual([
        { kind: 'note', message: `the same config as ${archive.path}: one image, stored another way` },
      ]);
      // And with --deep the files tell the OS (os-release's ID) and the libc follows it: nothing is borrowed any more
      const deep = JSON.parse(
        (await runCli(['bases', oci.path, archive.path, '--no-cache', '--json', '--deep'])).stdout,
      ).candidates.find((c: { reference: string }) => c.reference === archive.path);
      expect(deep.os).toEqual({ value: 'debian', source: 'files' });
      expect(deep.libc).toEqual({ value: 'glibc', source: 'os' });
      expect(deep.annotationsFrom).toBeNull();
      expect(JSON.stringify(deep.caveats)).not.toContain('manifest');
    } finally {
      oci.cleanup();
      archive.cleanup();
    }
  });

  it('says a docker save archive stores its layers uncompressed, so its Compressed size is its tar size', async () => {
    // Given two different images, one as pushed (gzip layers) and one from `docker save` (plain tars)
    const pushed = await buildOciLayout([layer({ 'bin/sh': 1000, 'etc/os-release': 'ID=alpine\n' }, 'ADD a.tar /')]);
    const saved = await buildDockerArchive([layer({ 'bin/sh': 900, 'etc/os-release': 'ID=debian\n' }, 'ADD b.tar /')]);
    try {
      const note =
        'stores 1 of 1 layers uncompressed (as docker save writes them): Compressed is its tar size, and pushed it would be smaller';
      // When they are compared side by side (wide enough that the note is one line)
      const text = await runCli(['bases', pushed.path, saved.path, '--no-cache'], { env: { COLUMNS: '300' } });
      expect(text.code).toBe(0);
      // Then the archive's row says its size is no compressed size, in text, markdown and JSON, and the pushed one's not
      expect(text.stdout).toContain(`  ${saved.path}\n    ! ${note}\n`);
      const md = await runCli(['bases', pushed.path, saved.path, '--no-cache', '--format', 'markdown']);
      expect(md.stdout).toContain(note);
      const json = JSON.parse((await runCli(['bases', pushed.path, saved.path, '--no-cache', '--json'])).stdout);
      const caveats = (ref: string) =>
        json.candidates.find((c: { reference: string }) => c.reference === ref).caveats as unknown[];
      expect(caveats(saved.path)).toEqual([{ kind: 'note', message: note }]);
      expect(caveats(pushed.path)).toEqual([]);
    } finally {
      pushed.cleanup();
      saved.cleanup();
    }
  });
});

describe('ballast bases comparing several images with flags that choose candidates', () => {
  it('says --any-version and --no-families have nothing to choose from when the images are given', async () => {
    // Given two images to compare side by side: no tags are listed and no family is read, so the flags that widen or
    // narrow that choice change nothing, which a user who typed them should hear.
    const spec = [layer({ 'bin/sh': 1000, 'etc/os-release': 'ID=alpine\n' }, 'ADD rootfs.tar /')];
    const oci = await buildOciLayout(spec);
    const archive = await buildDockerArchive(spec);
    try {
      const flagged = await runCli(['bases', oci.path, archive.path, '--no-cache', '--any-version', '--no-families']);
      expect(flagged.code).toBe(0);
      expect(flagged.stdout).toContain(
        'warning: --any-version and --no-families choose the candidates for one image; the images given are compared as they are',
      );
      const json = JSON.parse(
        (await runCli(['bases', oci.path, archive.path, '--no-cache', '--any-version', '--json'])).stdout,
      );
      expect(json.warnings).toContain(
        '--any-version chooses the candidates for one image; the images given are compared as they are',
      );
      const plain = await runCli(['bases', oci.path, archive.path, '--no-cache']);
      expect(plain.stdout).not.toContain('choose');
    } finally {
      oci.cleanup();
      archive.cleanup();
    }
  });
});
