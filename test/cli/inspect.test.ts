// `ballast inspect` end to end, through the real executable.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdtempSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusDir } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli.js';
import { buildOciLayout, layer } from '../helpers/image-builder.js';
import { packTar } from '../helpers/tar.js';

/** The stdin command line a hint shows where `ballast COMMAND /dev/stdin < image.tar` would not run. */
const STDIN_LINE: Record<string, string> = {
  diff: 'ballast diff /dev/stdin new.tar < old.tar',
  lint: 'ballast lint --image /dev/stdin Dockerfile < image.tar',
};
import { writeMultiPlatformLayout } from '../helpers/registry.js';

/**
 * Runs each command (in `cwd` when one is given) and expects a usage error: exit code 2, nothing on stdout, and
 * exactly `stderr`. The command is in what is compared, so a failure says which case it was.
 */
async function failsWith(
  cases: readonly (readonly [args: readonly string[], cwd: string | undefined, stderr: string])[],
): Promise<void> {
  for (const [args, cwd, stderr] of cases) {
    const result = await runCli([...args], { cwd });
    expect({ args, code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
      args,
      code: 2,
      stdout: '',
      stderr,
    });
  }
}

describe('ballast inspect', () => {
  it('prints the documented JSON for the demo image', async () => {
    const { code, stdout, stderr } = await runCli(['inspect', 'examples/demo/demo.tar', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      source: 'docker-archive',
      reference: 'examples/demo/demo.tar',
      tag: 'docker.io/library/ballast-demo:latest',
      digest: null,
      platform: { os: 'linux', architecture: 'amd64', variant: null },
      config: { user: '1000', cmd: ['/app/run.sh'] },
    });
    expect(result.layers).toHaveLength(6);
    for (const layer of result.layers) {
      expect(Object.keys(layer)).toEqual(
        expect.arrayContaining(['index', 'digest', 'diffId', 'mediaType', 'compressedBytes', 'createdBy']),
      );
      expect(layer.createdBy).not.toMatch(/#\(nop\)/);
    }
    expect(result.layers[4].createdBy).toBe('RUN chmod -R 0755 /app');
    expect(result.history.length).toBeGreaterThanOrEqual(result.layers.length);
  });

  it('prints a table for people, without colour when NO_COLOR is set', async () => {
    const { code, stdout } = await runCli(['inspect', 'test/fixtures/dive/test-oci-gzip-image.tar']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Platform\s+linux\/arm64/);
    expect(stdout).toMatch(/oci tar\+gzip/);
    expect(stdout).not.toContain('\u001b[');
  });

  it('fails bad input with exit code 2 and one line, no stack trace', async () => {
    const { code, stdout, stderr } = await runCli(['inspect', 'test/fixtures/formats/ggcr/tarball/null_manifest.tar']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^error: .*null_manifest\.tar has a manifest\.json that lists no image.*\(hint: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('says what a special file is (a device, a FIFO), and never takes a local one for a registry reference', async () => {
    // They were "does not exist (hint: check the path)"; a FIFO named without a slash went to the registry.
    const dir = mkdtempSync(join(tmpdir(), 'ballast-special-'));
    try {
      execFileSync('mkfifo', [join(dir, 'fifo')]);
      writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
      for (const [args, cwd, message] of [
        [['inspect', '/dev/null'], undefined, '/dev/null is a character device, not a regular file or directory'],
        [['inspect', join(dir, 'fifo')], undefined, `${join(dir, 'fifo')} is a FIFO (a pipe), not a regular file`],
        [['inspect', 'fifo'], dir, 'fifo is a FIFO (a pipe), not a regular file or directory'],
        [['analyze', 'docker-archive:fifo'], dir, 'fifo is a FIFO (a pipe)'],
        [['diff', 'fifo', 'fifo'], dir, 'fifo is a FIFO (a pipe)'],
        [['lint', '--image', 'fifo', 'Dockerfile'], dir, 'fifo is a FIFO (a pipe)'],
      ] as const) {
        const { code, stdout, stderr } = await runCli([...args], { cwd, env: { BALLAST_NO_FAST_PATH: '1' } });
        expect({ args, code, stdout }).toEqual({ args, code: 2, stdout: '' });
        expect(stderr).toMatch(/^error: [^\n]+ \(hint: [^\n]+\)\n$/);
        expect(stderr).toContain(message);
        // The command in use, not always `ballast analyze`, in a form that runs under it: diff takes two images, lint
        // its image as --image.
        expect(stderr).toContain(`\`${STDIN_LINE[args[0]] ?? `ballast ${args[0]} /dev/stdin < image.tar`}\``);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says an image cannot be read from `-`, for every image command, and names what works instead', async () => {
    // `lint -` reads standard input; for an image `-` was an invalid reference or "- does not exist". The command line
    // shown is the command's own (it said `ballast analyze` under inspect and ci too).
    const line = (command: string, image: string) =>
      command === 'diff'
        ? `ballast diff ${image} new.tar`
        : command === 'lint'
          ? `ballast lint --image ${image} Dockerfile`
          : `ballast ${command} ${image}`;
    const hint = (transport: string, command: string) =>
      `(hint: redirect a file to standard input and name it /dev/stdin: \`${line(command, `${transport}/dev/stdin`)} < ${command === 'diff' ? 'old' : 'image'}.tar\`; a pipe is refused (\`docker save IMAGE | ${line(command, '/dev/stdin')}\` is a FIFO), so save the image to a file first)`;
    const plain = (command: string) => `error: an image cannot be read from - (standard input) ${hint('', command)}\n`;
    for (const [args, stderr] of [
      [['analyze', '-'], plain('analyze')],
      [['inspect', '-'], plain('inspect')],
      // diff says which of its images it was.
      [['diff', '-', 'examples/demo/demo.tar'], plain('diff').replace('error: ', 'error: opening A: ')],
      [['diff', 'examples/demo/demo.tar', '-'], plain('diff').replace('error: ', 'error: opening B: ')],
      // The base image is read by --base, beside the image: the command line shown says so.
      [
        ['analyze', 'examples/demo/demo.tar', '--base', '-'],
        'error: opening the base image: an image cannot be read from - (standard input) (hint: redirect a file to standard input and name it /dev/stdin: `ballast analyze app.tar --base /dev/stdin < base.tar`; a pipe is refused (`docker save IMAGE | ballast analyze app.tar --base /dev/stdin` is a FIFO), so save the image to a file first)\n',
      ],
      [['ci', '-'], plain('ci')],
      [['bases', '-'], plain('bases')],
      [['explore', '-'], plain('explore')],
      // lint reads a Dockerfile from `-`; its --image does not.
      [['lint', '--image', '-', 'examples/demo/Dockerfile'], plain('lint')],
      [['analyze', '--source', 'registry', '-'], plain('analyze')],
      [
        ['analyze', 'docker-archive:-'],
        `error: an image cannot be read from docker-archive:- (standard input) ${hint('docker-archive:', 'analyze')}\n`,
      ],
      [
        ['inspect', 'oci-archive:-'],
        `error: an image cannot be read from oci-archive:- (standard input) ${hint('oci-archive:', 'inspect')}\n`,
      ],
      [
        ['inspect', 'oci:-'],
        `error: an image cannot be read from oci:- (standard input) ${hint('oci-archive:', 'inspect')}\n`,
      ],
    ] as const) {
      const result = await runCli([...args]);
      expect({ args, code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
        args,
        code: 2,
        stdout: '',
        stderr,
      });
    }
  });

  it('says a path is a symlink loop, or a symlink to a missing target (naming it), not that it does not exist', async () => {
    // Both were "PATH does not exist (hint: check the path)", which `ls -l PATH` contradicts.
    const dir = mkdtempSync(join(tmpdir(), 'ballast-links-'));
    try {
      const [l1, l2, dangling, missing] = ['l1', 'l2', 'dangling', 'missing.tar'].map((name) => join(dir, name));
      symlinkSync(l2, l1);
      symlinkSync(l1, l2);
      symlinkSync('missing.tar', dangling);
      const loop = (shown: string) =>
        `error: ${shown} is a symlink loop (ELOOP): ${shown} -> ${l2} -> ${l1} (hint: point one of the links at an image)\n`;
      const broken = (shown: string) =>
        `error: ${shown} is a symlink to a missing target, ${missing} (hint: make ${missing}, or point the link at an image)\n`;
      await failsWith([
        [['analyze', l1], undefined, loop(l1)],
        [['inspect', `docker-archive:${l1}`], undefined, loop(l1)],
        [['analyze', '--source', 'registry', l1], undefined, loop(l1)],
        [['inspect', 'l1'], dir, loop('l1')],
        [['analyze', dangling], undefined, broken(dangling)],
        [['inspect', `oci:${dangling}`], undefined, broken(dangling)],
        [['inspect', 'dangling'], dir, broken('dangling')],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says a path below a file is not inside it, and a path too long is too long, not that it does not exist', async () => {
    // Each was "PATH does not exist (hint: check the path)", though the file on the way does exist.
    const dir = mkdtempSync(join(tmpdir(), 'ballast-notdir-'));
    try {
      const file = join(dir, 'f.tar');
      writeFileSync(file, '');
      const notDir = (shown: string, path: string) =>
        `error: ${shown} is not a folder, so ${path} cannot be inside it (hint: check the path; an image inside an archive is named ${shown}:NAME:TAG or ${shown}@N)\n`;
      const longName = `/tmp/${'a'.repeat(300)}.tar`;
      const longPath = `./${'a/'.repeat(2100)}x.tar`;
      await failsWith([
        [['analyze', `${file}/x`], undefined, notDir(file, `${file}/x`)],
        [['inspect', `docker-archive:${file}/x/y.tar`], undefined, notDir(file, `${file}/x/y.tar`)],
        [['inspect', `oci:${file}/x`], undefined, notDir(file, `${file}/x`)],
        [['inspect', 'f.tar/x.tar'], dir, notDir('f.tar', 'f.tar/x.tar')],
        [
          ['analyze', longName],
          undefined,
          'error: a name in the path is too long (304 bytes) (hint: a name in a path may be at most 255 bytes long)\n',
        ],
        [
          ['inspect', `oci:${longPath}`],
          undefined,
          'error: the path is too long (4207 bytes) (hint: a path may be at most 4095 bytes long)\n',
        ],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads an image redirected to /dev/stdin, and says why it cannot read one piped to it', () => {
    const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
    // A shell pipe, as users write it (runCli's stdin is a socket pair, not a pipe).
    const piped = spawnSync(
      'sh',
      ['-c', `cat examples/demo/demo.tar | "${process.execPath}" "${bin}" inspect /dev/stdin`],
      {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 60_000,
      },
    );
    expect([piped.status, piped.stdout]).toEqual([2, '']);
    expect(piped.stderr).toMatch(
      /^error: \/dev\/stdin is a FIFO \(a pipe\), not a regular file or directory \(hint: .*\/dev\/stdin < image\.tar`\)\n$/,
    );
    const fd = openSync('examples/demo/demo.tar', 'r');
    try {
      const result = spawnSync(process.execPath, [bin, 'inspect', '/dev/stdin', '--json'], {
        stdio: [fd, 'pipe', 'pipe'],
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect([result.status, result.stderr]).toEqual([0, '']);
      expect(JSON.parse(result.stdout).layers).toHaveLength(6);
    } finally {
      closeSync(fd);
    }
  });

  it('fails unknown flags and missing arguments with exit code 2', async () => {
    const unknown = await runCli(['inspect', 'examples/demo/demo.tar', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await runCli(['inspect']);
    expect(missing.code).toBe(2);
    const platform = await runCli(['inspect', 'examples/demo/demo.tar', '--platform', 'linux/']);
    expect(platform.code).toBe(2);
    expect(platform.stderr).toMatch(/invalid platform "linux\/"/);
  });

  it('reads --platform ARCH[/VARIANT] alone as linux/ARCH, as Docker does', async () => {
    const multiarch = join(corpusDir, 'multiarch.oci');
    const digest = async (platform: string): Promise<string> => {
      const result = await runCli(['inspect', multiarch, '--platform', platform, '--json']);
      expect([result.code, result.stderr]).toEqual([0, '']);
      return (JSON.parse(result.stdout) as { digest: string }).digest;
    };
    expect(await digest('arm64')).toBe(await digest('linux/arm64'));
    expect(await digest('arm64/v8')).toBe(await digest('linux/arm64'));
    expect(await digest('amd64')).toBe(await digest('linux/amd64'));
    expect(await digest('amd64')).not.toBe(await digest('arm64'));
    // And an OS alone is that OS on this machine's architecture
    expect(await digest('linux')).toBe(await digest(process.arch === 'arm64' ? 'linux/arm64' : 'linux/amd64'));
    const wrong = await runCli(['inspect', multiarch, '--platform', 'arm/v7']);
    expect(wrong.code).toBe(2);
    // The hint lists the platforms in the index's order, which differs between corpus builds (buildah's manifest
    // list had amd64 first on one machine, arm64 first on the next): either order is this image.
    const hint = `error: the OCI layout ${multiarch} has no image for platform linux/arm/v7 (hint: available platforms:`;
    expect([`${hint} linux/amd64, linux/arm64)`, `${hint} linux/arm64, linux/amd64)`]).toContain(wrong.stderr.trim());
  });

  it('picks the best --platform match from an index whatever its order (arm/v7 when v6 is listed first)', async () => {
    // As alpine's index is: arm/v6 before arm/v7. The first compatible entry (v6) used to win.
    const dir = mkdtempSync(join(tmpdir(), 'ballast-arm-'));
    try {
      const { images } = await writeMultiPlatformLayout(dir, ['linux/amd64', 'linux/arm/v6', 'linux/arm/v7']);
      for (const [platform, expected] of [
        ['linux/arm/v7', 'linux/arm/v7'],
        ['arm', 'linux/arm/v7'],
        ['linux/arm/v6', 'linux/arm/v6'],
      ]) {
        const result = await runCli(['inspect', dir, '--platform', platform, '--json']);
        expect([result.code, result.stderr]).toEqual([0, '']);
        const built = images.find((i) => i.platform === expected)!;
        expect({ platform, digest: JSON.parse(result.stdout).digest }).toEqual({
          platform,
          digest: built.manifestDigest,
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows the digest and platforms of the index a platform's image was picked from", async () => {
    // Only the platform manifest's digest was shown: not the one skopeo inspect shows and a pull by digest names.
    const dir = mkdtempSync(join(tmpdir(), 'ballast-index-'));
    try {
      const { indexDigest } = await writeMultiPlatformLayout(dir, ['linux/amd64', 'linux/arm64']);
      const json = await runCli(['inspect', dir, '--platform', 'linux/arm64', '--json']);
      expect([json.code, json.stderr]).toEqual([0, '']);
      expect(JSON.parse(json.stdout).index).toEqual({ digest: indexDigest, platforms: ['linux/amd64', 'linux/arm64'] });
      const text = await runCli(['inspect', dir, '--platform', 'linux/arm64']);
      expect(text.stdout).toMatch(new RegExp(`^Index +${indexDigest}$`, 'm'));
      expect(text.stdout).toMatch(/^Platforms +linux\/amd64, linux\/arm64$/m);
      // A single-platform image has none
      const single = await runCli(['inspect', 'examples/demo/demo.tar', '--json']);
      expect(JSON.parse(single.stdout).index).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the platforms of a layout whose index.json lists them itself (no index blob, so no index digest)', async () => {
    // The platform manifests straight in index.json: the other platforms were not mentioned at all.
    const dir = mkdtempSync(join(tmpdir(), 'ballast-index-'));
    try {
      const { indexDigest } = await writeMultiPlatformLayout(dir, ['linux/amd64', 'linux/arm64']);
      const nested = JSON.parse(readFileSync(join(dir, 'blobs', 'sha256', indexDigest.slice(7)), 'utf8'));
      writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: nested.manifests }));
      const json = await runCli(['inspect', dir, '--platform', 'linux/arm64', '--json']);
      expect([json.code, json.stderr]).toEqual([0, '']);
      expect(JSON.parse(json.stdout).index).toEqual({ digest: null, platforms: ['linux/amd64', 'linux/arm64'] });
      const text = await runCli(['inspect', dir, '--platform', 'linux/arm64']);
      expect(text.stdout).toMatch(/^Index +- \(index\.json lists the platforms\)$/m);
      expect(text.stdout).toMatch(/^Platforms +linux\/amd64, linux\/arm64$/m);
      // A layout of two unrelated images (other names) is not one image's platforms.
      const two = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
      two.manifests[0].annotations = { 'org.opencontainers.image.ref.name': 'a' };
      two.manifests[1].annotations = { 'org.opencontainers.image.ref.name': 'b' };
      writeFileSync(join(dir, 'index.json'), JSON.stringify(two));
      const named = await runCli(['inspect', `oci:${dir}:b`, '--json']);
      // b is an arm64 image whose entry says so: taken with a note on any other machine, as a registry's would be.
      const host = process.arch === 'arm64' ? 'linux/arm64' : 'linux/amd64';
      const note =
        `note: the OCI layout ${dir} has no image for this machine's platform (${host}); ` +
        'using its only one, linux/arm64 (--platform picks another)\n';
      expect([named.code, named.stderr]).toEqual([0, host === 'linux/arm64' ? '' : note]);
      expect(JSON.parse(named.stdout).index).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows HEALTHCHECK, SHELL, ONBUILD and STOPSIGNAL, as docker image inspect does', async () => {
    // They were dropped from both the JSON and the text view.
    const image = await buildOciLayout([layer({ a: 'a' })], {
      config: {
        StopSignal: 'SIGQUIT',
        Healthcheck: { Test: ['CMD-SHELL', 'curl -f http://localhost/'], Interval: 30_000_000_000, Retries: 3 },
        Shell: ['/bin/bash', '-o', 'pipefail', '-c'],
        OnBuild: ['COPY . /app'],
      },
    });
    try {
      const json = await runCli(['inspect', image.path, '--json']);
      expect(JSON.parse(json.stdout).config).toMatchObject({
        stopSignal: 'SIGQUIT',
        healthcheck: {
          test: ['CMD-SHELL', 'curl -f http://localhost/'],
          interval: 30_000_000_000,
          timeout: null,
          retries: 3,
        },
        shell: ['/bin/bash', '-o', 'pipefail', '-c'],
        onBuild: ['COPY . /app'],
      });
      const text = (await runCli(['inspect', image.path])).stdout;
      expect(text).toMatch(/^StopSignal +SIGQUIT$/m);
      expect(text).toMatch(/^Healthcheck +\["CMD-SHELL","curl -f http:\/\/localhost\/"\]$/m);
      expect(text).toMatch(/^Shell +\["\/bin\/bash","-o","pipefail","-c"\]$/m);
      expect(text).toMatch(/^OnBuild +COPY \. \/app$/m);
    } finally {
      image.cleanup();
    }
  });

  it("shows the platform normalised, and says when the image is not for this machine's", async () => {
    // An arm64-only image on an amd64 host (or the reverse) said nothing, and its config's variant showed raw:
    // `linux/arm64/v8`, which --platform and every other report call linux/arm64.
    const other = process.arch === 'arm64' ? 'linux/amd64' : 'linux/arm64/v8';
    const host = process.arch === 'arm64' ? 'linux/arm64' : 'linux/amd64';
    const foreign = await buildOciLayout([layer({ a: 'a' })], { platform: other });
    const native = await buildOciLayout([layer({ a: 'a' })], { platform: host });
    try {
      const text = await runCli(['inspect', foreign.path]);
      expect([text.code, text.stderr]).toEqual([0, '']);
      const shown = other.replace('/v8', '');
      expect(text.stdout).toMatch(
        new RegExp(
          `^Platform +${shown}\n +not this machine's platform \\(${host}\\): it runs here only under emulation$`,
          'm',
        ),
      );
      const json = JSON.parse((await runCli(['inspect', foreign.path, '--json'])).stdout);
      expect(json.expectedPlatform).toEqual({ platform: { os: 'linux', architecture: host.slice(6) }, by: 'host' });
      const fits = await runCli(['inspect', native.path]);
      expect(fits.stdout).toMatch(new RegExp(`^Platform +${host}\nCreated`, 'm'));
      expect(JSON.parse((await runCli(['inspect', native.path, '--json'])).stdout).expectedPlatform).toBeNull();
    } finally {
      foreign.cleanup();
      native.cleanup();
    }
  });

  it('says when --platform picked a compatible image, not the one asked for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-arm-'));
    try {
      await writeMultiPlatformLayout(dir, ['linux/amd64', 'linux/arm/v6']);
      const text = await runCli(['inspect', dir, '--platform', 'linux/arm/v7']);
      expect([text.code, text.stderr]).toEqual([0, '']);
      expect(text.stdout).toMatch(
        /^Platform +linux\/arm\/v6\n +no linux\/arm\/v7 image here; this linux\/arm\/v6 one is the closest that runs on it$/m,
      );
      const exact = await runCli(['inspect', dir, '--platform', 'linux/arm/v6']);
      expect(exact.stdout).toMatch(/^Platform +linux\/arm\/v6\nCreated/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Makes entry `entry` of the layout's nested index malformed (a size of -1); returns the new index's hex digest. */
  function breakEntry(dir: string, indexDigest: string, entry: number): string {
    const blobs = join(dir, 'blobs', 'sha256');
    const nested = JSON.parse(readFileSync(join(blobs, indexDigest.slice(7)), 'utf8'));
    nested.manifests[entry].size = -1;
    const bytes = Buffer.from(JSON.stringify(nested));
    const digest = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(blobs, digest), bytes);
    const top = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
    top.manifests[0] = { ...top.manifests[0], digest: `sha256:${digest}`, size: bytes.length };
    writeFileSync(join(dir, 'index.json'), JSON.stringify(top));
    return digest;
  }

  it("says the asked platform's index entry is broken, not that the platform is absent", async () => {
    // --platform linux/arm64 said "has no image for platform linux/arm64 (hint: available platforms: linux/amd64)"
    // when the index did list arm64, in an entry whose size is not a byte count.
    const dir = mkdtempSync(join(tmpdir(), 'ballast-broken-'));
    try {
      const { indexDigest } = await writeMultiPlatformLayout(dir, ['linux/amd64', 'linux/arm64']);
      breakEntry(dir, indexDigest, 1);
      const broken = await runCli(['inspect', dir, '--platform', 'linux/arm64']);
      expect([broken.code, broken.stdout]).toEqual([2, '']);
      expect(broken.stderr).toBe(
        `error: the OCI layout ${dir} lists an image for platform linux/arm64, but its entry is broken: ` +
          'entry 1 of the index at index.json entry 0 is not a usable descriptor: its size -1 is not a byte count ' +
          '(a whole number from 0 to 2^53-1) (hint: the image is incomplete or corrupt: copy or save it again)\n',
      );
      const readable = await runCli(['inspect', dir, '--platform', 'linux/amd64', '--json']);
      expect([readable.code, readable.stderr]).toEqual([0, '']);
      expect(JSON.parse(readable.stdout).platform.architecture).toBe('amd64');
      // Nor is a lesser variant taken in its place
      const arm = join(dir, 'arm');
      const armIndex = (await writeMultiPlatformLayout(arm, ['linux/arm/v6', 'linux/arm/v7'])).indexDigest;
      breakEntry(arm, armIndex, 1);
      const v7 = await runCli(['inspect', arm, '--platform', 'linux/arm/v7']);
      expect([v7.code, v7.stdout]).toEqual([2, '']);
      expect(v7.stderr).toContain(
        'lists an image for platform linux/arm/v7, but its entry is broken: entry 1 of the index at index.json entry 0 is',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("with no --platform, refuses an index whose entry for this machine's platform is broken", async () => {
    // It took the other platform's image instead (noting it runs here only under emulation), where `docker pull`
    // fails on this machine's entry: in a layout, an OCI archive and a containerd-store docker save alike.
    const host = process.arch === 'arm64' ? 'linux/arm64' : 'linux/amd64';
    const other = process.arch === 'arm64' ? 'linux/amd64' : 'linux/arm64';
    const dir = mkdtempSync(join(tmpdir(), 'ballast-broken-host-'));
    try {
      const layoutDir = join(dir, 'layout');
      const { indexDigest, images } = await writeMultiPlatformLayout(layoutDir, [host, other]);
      breakEntry(layoutDir, indexDigest, 0);
      const reason =
        `lists an image for platform ${host} (this machine's), but its entry is broken: entry 0 of the index at ` +
        `index.json entry 0 is not a usable descriptor: its size -1 is not a byte count (a whole number from 0 to ` +
        `2^53-1) (hint: to read another platform, name it with --platform (available platforms: ${other}); else ` +
        'the image is incomplete or corrupt: copy or save it again)\n';
      const layout = await runCli(['inspect', layoutDir]);
      expect([layout.code, layout.stdout, layout.stderr]).toEqual([
        2,
        '',
        `error: the OCI layout ${layoutDir} ${reason}`,
      ]);
      // The other platform, named, is read as before
      const named = await runCli(['inspect', layoutDir, '--platform', other, '--json']);
      expect([named.code, named.stderr]).toEqual([0, '']);
      expect(JSON.parse(named.stdout).digest).toBe(images[1].manifestDigest);
      // The same layout as an OCI archive, and as a containerd-store docker save whose manifest.json names the one
      // platform it holds whole (the other one)
      const files = [
        'oci-layout',
        'index.json',
        ...readdirSync(join(layoutDir, 'blobs', 'sha256')).map((f) => `blobs/sha256/${f}`),
      ];
      const entries = files.map((name) => ({ name, content: readFileSync(join(layoutDir, name)) }));
      const ociArchive = join(dir, 'oci.tar');
      writeFileSync(ociArchive, await packTar(entries));
      const manifestJson = JSON.stringify([
        {
          Config: `blobs/sha256/${images[1].configDigest.slice(7)}`,
          RepoTags: ['multi:latest'],
          Layers: images[1].layerDigests.map((d) => `blobs/sha256/${d.slice(7)}`),
        },
      ]);
      const dockerArchive = join(dir, 'docker.tar');
      writeFileSync(dockerArchive, await packTar([...entries, { name: 'manifest.json', content: manifestJson }]));
      for (const archive of [ociArchive, dockerArchive]) {
        const result = await runCli(['inspect', archive]);
        expect([result.code, result.stdout]).toEqual([2, '']);
        expect(result.stderr).toMatch(/^error: [^\n]*\n$/);
        expect(result.stderr).toContain(` ${archive} ${reason}`);
        const picked = await runCli(['inspect', archive, '--platform', other, '--json']);
        expect([picked.code, picked.stderr]).toEqual([0, '']);
        expect(JSON.parse(picked.stdout).platform.architecture).toBe(other.slice(6));
      }
      // An index whose host entry is fine and whose other entry is broken still gives this machine's image
      const fine = join(dir, 'fine');
      const fineBuilt = await writeMultiPlatformLayout(fine, [host, other]);
      breakEntry(fine, fineBuilt.indexDigest, 1);
      const ok = await runCli(['inspect', fine, '--json']);
      expect([ok.code, ok.stderr]).toEqual([0, '']);
      expect(JSON.parse(ok.stdout)).toMatchObject({
        digest: fineBuilt.images[0].manifestDigest,
        expectedPlatform: null,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists labels sorted by key, as docker inspect and skopeo inspect do', async () => {
    // They came in the config's order, which depends on the builder.
    const labels = { 'org.opencontainers.image.version': '1.2', maintainer: 'me', 'com.example.b': 'b', Zed: 'z' };
    const image = await buildOciLayout([layer({ a: 'a' })], { config: { Labels: labels } });
    try {
      const sorted = ['Zed', 'com.example.b', 'maintainer', 'org.opencontainers.image.version'];
      const json = JSON.parse((await runCli(['inspect', image.path, '--json'])).stdout);
      expect(Object.keys(json.config.labels)).toEqual(sorted);
      expect(json.config.labels).toEqual(labels);
      const text = (await runCli(['inspect', image.path])).stdout;
      const shown = text.split('\n').filter((l) => /^ {2}\S+=/.test(l) && !l.startsWith('  PATH='));
      expect(shown).toEqual(sorted.map((k) => `  ${k}=${labels[k as keyof typeof labels]}`));
    } finally {
      image.cleanup();
    }
  });

  it("shows the manifest's annotations apart from the config's labels", async () => {
    // The manifest's annotations (org.opencontainers.image.source, .version, as BuildKit --annotation and CI
    // actions write them) were shown nowhere, though inspect shows the manifest; a label of the same key is another value.
    const annotations = { 'org.opencontainers.image.version': '9', 'org.opencontainers.image.source': 'https://x/y' };
    const image = await buildOciLayout([layer({ a: 'a' })], {
      annotations,
      config: { Labels: { 'org.opencontainers.image.version': '1' } },
    });
    try {
      const json = JSON.parse((await runCli(['inspect', image.path, '--json'])).stdout);
      expect(json.config.labels).toEqual({ 'org.opencontainers.image.version': '1' });
      expect(Object.entries(json.annotations)).toEqual([
        ['org.opencontainers.image.source', 'https://x/y'],
        ['org.opencontainers.image.version', '9'],
      ]);
      const text = (await runCli(['inspect', image.path])).stdout;
      expect(text).toContain('\nLabels\n  org.opencontainers.image.version=1\n');
      expect(text).toContain(
        '\nAnnotations\n  org.opencontainers.image.source=https://x/y\n  org.opencontainers.image.version=9\n',
      );
      // Only strings: a manifest's JSON is unchecked, and a number or list is no annotation
      const odd = await buildOciLayout([layer({ a: 'a' })], {
        annotations: { ok: 'v', n: 5, list: ['x'] } as unknown as Record<string, string>,
      });
      try {
        expect(JSON.parse((await runCli(['inspect', odd.path, '--json'])).stdout).annotations).toEqual({ ok: 'v' });
      } finally {
        odd.cleanup();
      }
      // A legacy docker save has no manifest to carry any: null, not none
      const legacy = JSON.parse((await runCli(['inspect', 'examples/demo/demo.tar', '--json'])).stdout);
      expect(legacy.annotations).toBeNull();
    } finally {
      image.cleanup();
    }
  });

  it('lists exposed ports and volumes sorted, as docker inspect does', async () => {
    // They came in the config's order, as labels did: two builds of one Dockerfile could list them differently.
    const image = await buildOciLayout([layer({ a: 'a' })], {
      config: {
        ExposedPorts: { '8080/tcp': {}, '443/tcp': {}, '53/udp': {} },
        Volumes: { '/var/log': {}, '/data': {} },
      },
    });
    try {
      const json = JSON.parse((await runCli(['inspect', image.path, '--json'])).stdout);
      expect(json.config.exposedPorts).toEqual(['443/tcp', '53/udp', '8080/tcp']);
      expect(json.config.volumes).toEqual(['/data', '/var/log']);
      const text = (await runCli(['inspect', image.path])).stdout;
      expect(text).toMatch(/^Exposed +443\/tcp, 53\/udp, 8080\/tcp$/m);
      expect(text).toMatch(/^Volumes +\/data, \/var\/log$/m);
    } finally {
      image.cleanup();
    }
  });

  it("shows an environment variable's spaces as they are and its tabs escaped, as a label's", async () => {
    // `A=a  b` showed as `A=a b`, another value, and a tab as one space; so did an annotation's tab.
    const image = await buildOciLayout([layer({ a: 'a' })], {
      config: { Env: ['SPACED=a  b', 'TAB=x\ty'] },
      annotations: { note: 'one\ntwo' },
    });
    try {
      const text = (await runCli(['inspect', image.path])).stdout;
      expect(text).toContain('\nEnv\n  SPACED=a  b\n  TAB=x\\x09y\n');
      expect(text).toContain('\nAnnotations\n  note=one\\x0atwo\n');
    } finally {
      image.cleanup();
    }
  });

  it('shows every control character of a label escaped, a newline as much as an ESC', async () => {
    // A newline in a label showed as a space (`a b`, another value) while an ESC showed as \x1b.
    const labels = { 'multi\nline': 'one\ntwo\tthree', colour: 'x\u001b[31my', spaced: 'a  b' };
    const image = await buildOciLayout([layer({ a: 'a' })], { config: { Labels: labels } });
    try {
      const text = (await runCli(['inspect', image.path])).stdout;
      expect(text).toContain('\n  colour=x\\x1b[31my\n');
      expect(text).toContain('\n  multi\\x0aline=one\\x0atwo\\x09three\n');
      // and its spaces as they are (`a b` would be another value)
      expect(text).toContain('\n  spaced=a  b\n');
      // JSON keeps the exact strings
      expect(JSON.parse((await runCli(['inspect', image.path, '--json'])).stdout).config.labels).toEqual(labels);
    } finally {
      image.cleanup();
    }
  });

  it('reads a Docker 25 save of an image by ID with --platform, whose index.json lists nothing', async () => {
    // Its index.json has "manifests": null (formats/README.md): with --platform, ballast read only that index and
    // said the archive "holds no container image"; without, it read manifest.json.
    const archive = 'test/fixtures/formats/ggcr/tarball/hello-world-v25.tar';
    const arm = await runCli(['inspect', archive, '--platform', 'linux/arm64', '--json']);
    expect([arm.code, arm.stderr]).toEqual([0, '']);
    expect(JSON.parse(arm.stdout)).toMatchObject({
      imageId: 'sha256:ee301c921b8aadc002973b2e0c3da17d701dcd994b606769a7e6eaa100b81d44',
      platform: { os: 'linux', architecture: 'arm64' },
    });
    const amd = await runCli(['inspect', archive, '--platform', 'linux/amd64']);
    expect([amd.code, amd.stdout]).toEqual([2, '']);
    expect(amd.stderr).toContain('holds a linux/arm64 image, not linux/amd64');
  });

  it('says a legacy docker save has no manifest media type, instead of one ballast made up', async () => {
    // It showed application/vnd.docker.distribution.manifest.v2+json beside "Digest - (no manifest in this source)".
    const legacy = await runCli(['inspect', 'test/fixtures/dive/test-docker-image.tar', '--json']);
    expect([legacy.code, legacy.stderr]).toEqual([0, '']);
    expect(JSON.parse(legacy.stdout)).toMatchObject({ digest: null, mediaType: null });
    const text = await runCli(['inspect', 'test/fixtures/dive/test-docker-image.tar']);
    expect(text.stdout).toMatch(/^Media type +- \(no manifest in this source\)$/m);
    // An archive that carries its manifest keeps its media type: Docker 25's save, and skopeo's OCI archive
    const docker25 = JSON.parse(
      (await runCli(['inspect', 'test/fixtures/snyk/docker-archives--docker-save--hello-world.tar', '--json'])).stdout,
    );
    expect(docker25.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(docker25.digest).toMatch(/^sha256:/);
  });

  it('has help with examples, and a version', async () => {
    const help = await runCli(['inspect', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/EXAMPLES/);
    expect(help.stdout).toMatch(/ballast inspect examples\/demo\/demo\.tar/);
    const root = await runCli(['--help']);
    expect(root.stdout).toMatch(/inspect/);
    const version = await runCli(['--version']);
    expect(version.stdout).toMatch(/^ballast\/\d+\.\d+\.\d+/);
  });
});
