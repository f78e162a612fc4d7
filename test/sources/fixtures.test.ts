// Every real archive and layout in test/fixtures opens, with the layer counts and diff_ids their READMEs state,
// and every broken one fails with a one-line SourceError/UsageError (exit code 2) saying what it is.
import { BallastError, formatError } from '../../src/errors.js';
import { chainId } from '../../src/image/digest.js';
import { mapHistory } from '../../src/image/history.js';
import { openImage } from '../../src/sources/resolve.js';
import { validateImage } from '../helpers/validate-image.js';

const F = 'test/fixtures';

interface Case {
  image: string;
  source: string;
  layers: number;
  /** diff_ids from the fixture READMEs, as a prefix of the hex; null where the README states none. */
  diffIds?: (string | null)[];
  platform?: string;
  tag?: string;
}

const cases: Case[] = [
  { image: `${F}/dive/test-docker-image.tar`, source: 'docker-archive', layers: 14, tag: 'dive-test:latest' },
  { image: `${F}/dive/test-kaniko-image.tar`, source: 'docker-archive', layers: 14, tag: 'dive-test:kaniko-latest' },
  {
    image: `${F}/dive/test-oci-uncompressed-image.tar`,
    source: 'oci-archive',
    layers: 1,
    diffIds: ['356d5e7f4012'],
    platform: 'linux/arm64',
  },
  {
    image: `${F}/dive/test-oci-gzip-image.tar`,
    source: 'oci-archive',
    layers: 1,
    diffIds: ['356d5e7f4012'],
    platform: 'linux/arm64',
  },
  {
    image: `${F}/dive/test-oci-zstd-image.tar`,
    source: 'oci-archive',
    layers: 1,
    diffIds: ['356d5e7f4012'],
    platform: 'linux/arm64',
  },
  {
    image: `${F}/dive/test-oci-estargz-image.tar`,
    source: 'oci-archive',
    layers: 1,
    diffIds: ['2b3dbfdf131b'],
    platform: 'linux/arm64',
  },
  {
    image: `${F}/formats/ggcr/tarball/hello-world-v25.tar`,
    source: 'docker-archive',
    layers: 1,
    diffIds: ['12660636fe55'],
    platform: 'linux/arm64',
  },
  {
    image: `${F}/formats/ggcr/tarball/test_image_1.tar`,
    source: 'docker-archive',
    layers: 1,
    diffIds: ['8897395fd26d'],
    tag: 'bazel/v1/tarball:test_image_1',
  },
  {
    image: `${F}/formats/ggcr/tarball/test_image_2.tar`,
    source: 'docker-archive',
    layers: 1,
    diffIds: ['3610aa5267a2'],
  },
  {
    image: `${F}/formats/ggcr/tarball/test_bundle.tar`,
    source: 'docker-archive',
    layers: 1,
    diffIds: ['3610aa5267a2'],
    tag: 'test_image_2',
  },
  {
    image: `${F}/formats/ggcr/tarball/test_bundle.tar@1`,
    source: 'docker-archive',
    layers: 1,
    diffIds: ['8897395fd26d'],
    tag: 'test_image_1',
  },
  {
    image: `${F}/formats/ggcr/tarball/test_bundle.tar:test_image_1:latest`,
    source: 'docker-archive',
    layers: 1,
    diffIds: ['8897395fd26d'],
  },
  {
    image: `docker-archive:${F}/formats/ggcr/tarball/test_link.tar:bazel/v1/tarball:test_image_3`,
    source: 'docker-archive',
    layers: 2,
    diffIds: ['8897395fd26d', '6b617a270657'],
  },
  // dive's spelling of the transport, a path relative to the working directory after it
  {
    image: `docker-archive://${F}/formats/ggcr/tarball/test_link.tar:bazel/v1/tarball:test_image_3`,
    source: 'docker-archive',
    layers: 2,
    diffIds: ['8897395fd26d', '6b617a270657'],
  },
  {
    image: `${F}/formats/ggcr/tarball/test_link.tar@0`,
    source: 'docker-archive',
    layers: 1,
    diffIds: ['8897395fd26d'],
  },
  {
    image: `${F}/formats/ggcr/mutate/whiteout_image.tar`,
    source: 'docker-archive',
    layers: 3,
    diffIds: [null, null, '84ff92691f90'],
  },
  { image: `${F}/formats/ggcr/mutate/overwritten_file.tar`, source: 'docker-archive', layers: 3 },
  {
    image: `${F}/formats/ggcr/mutate/whiteout_dir.tar`,
    source: 'docker-archive',
    layers: 4,
    tag: 'localhost:5000/whiteout:latest',
  },
  {
    image: `${F}/formats/ggcr/mutate/source_image_with_empty_layer_history.tar`,
    source: 'docker-archive',
    layers: 1,
    diffIds: ['8897395fd26d'],
  },
  {
    image: `${F}/formats/containers-image/almostempty.tar`,
    source: 'docker-archive',
    layers: 1,
    diffIds: ['0b916d257bd4'],
    tag: 'emptyimage:latest',
  },
  { image: `${F}/formats/ggcr/layout/test_index`, source: 'oci-layout', layers: 1, diffIds: ['8897395fd26d'] },
  { image: `oci:${F}/formats/ggcr/layout/test_index:3`, source: 'oci-layout', layers: 1, diffIds: ['8897395fd26d'] },
  { image: `oci:${F}/formats/ggcr/layout/test_index:4`, source: 'oci-layout', layers: 1, diffIds: ['8897395fd26d'] },
  { image: `${F}/formats/ggcr/layout/test_index_one_image`, source: 'oci-layout', layers: 1, diffIds: ['59cd31f5'] },
  {
    image: `${F}/snyk/containerd-archives--alpine.tar`,
    source: 'docker-archive',
    layers: 1,
    diffIds: ['625523cb9cce'],
    tag: 'alpine:3.14',
  },
  {
    image: `${F}/snyk/containerd-archives--busybox.amd64.tar`,
    source: 'docker-archive',
    layers: 1,
    diffIds: ['2e112031b4b9'],
  },
  {
    image: `${F}/snyk/docker-archives--docker-save--hello-world.tar`,
    source: 'docker-archive',
    layers: 1,
    diffIds: ['ac28800ec8bb'],
  },
  {
    image: `${F}/snyk/docker-archives--skopeo-copy--busybox.tar`,
    source: 'docker-archive',
    layers: 1,
    diffIds: ['195be5f8be1d'],
  },
  {
    image: `${F}/snyk/kaniko-archives--kaniko-busybox.tar`,
    source: 'docker-archive',
    layers: 1,
    diffIds: ['2b299159176a'],
  },
  { image: `${F}/snyk/oci-archives--busybox-1.31.1.tar`, source: 'oci-archive', layers: 1, diffIds: ['1be74353c3d0'] },
];

describe('every fixture opens', () => {
  it.each(cases)('$image', async (c) => {
    const image = await openImage(c.image, { notice: () => {} });
    try {
      expect(image.ref.source).toBe(c.source);
      if (c.tag) expect(image.ref.tag).toBe(c.tag);
      const config = await image.configFile();
      expect(config.rootfs.diff_ids).toHaveLength(c.layers);
      for (const [i, prefix] of (c.diffIds ?? []).entries()) {
        if (prefix !== null) expect(config.rootfs.diff_ids[i]).toMatch(new RegExp(`^sha256:${prefix}`));
      }
      if (c.platform) expect(`${config.os}/${config.architecture}`).toBe(c.platform);
      await validateImage(image);
    } finally {
      await image.close();
    }
  });
});

describe('fixture facts', () => {
  it('gives the dive image the top ChainID its README states', async () => {
    const image = await openImage(`${F}/dive/test-docker-image.tar`);
    const config = await image.configFile();
    expect(chainId(config.rootfs.diff_ids)).toBe(
      'sha256:a1c47b1903e5c10581a02d31a80056a7534202ba4d4a352f5c737747d0db4ca7',
    );
    await image.close();
  });

  it('maps history around empty_layer entries (history[1] made layer 0)', async () => {
    const image = await openImage(`${F}/formats/ggcr/mutate/source_image_with_empty_layer_history.tar`);
    const map = mapHistory(await image.configFile(), 1);
    expect(map.known).toBe(true);
    expect(map.layerSteps[0]?.index).toBe(1);
    await image.close();
  });

  it('reads the Docker 25 real OCI manifest digest and crane-named compressed layers', async () => {
    const docker25 = await openImage(`${F}/snyk/docker-archives--docker-save--hello-world.tar`);
    expect(await docker25.digest()).toBe('sha256:8876a860b8c40b280440ed7678ba677f5a3cb972fddde4198a9a5e159184732f');
    await docker25.close();
    const crane = await openImage(`${F}/formats/ggcr/mutate/whiteout_dir.tar`);
    const [first] = await crane.layers();
    expect(await first.mediaType()).toBe('application/vnd.docker.image.rootfs.diff.tar.gzip');
    expect(await first.digest()).not.toBe(await first.diffId());
    await crane.close();
  });

  it('types the layers of a containerd-store save as its embedded manifest does (Docker or OCI)', async () => {
    // alpine's Docker v2 manifest lists a rootfs.diff.tar.gzip layer, which was reported as an OCI tar+gzip.
    for (const [archive, type] of [
      ['containerd-archives--alpine.tar', 'application/vnd.docker.image.rootfs.diff.tar.gzip'],
      ['containerd-archives--busybox.amd64.tar', 'application/vnd.oci.image.layer.v1.tar+gzip'],
    ]) {
      const image = await openImage(`${F}/snyk/${archive}`);
      const [layer] = await image.layers();
      expect(await layer.mediaType()).toBe(type);
      expect((await image.manifest()).layers[0].mediaType).toBe(type);
      await image.close();
    }
  });

  it('stops at the end-of-archive marker of eStargz only in the tar walk, not in the diff_id', async () => {
    // The diff_id covers the whole decompressed stream, TOC included (fixture README).
    const image = await openImage(`${F}/dive/test-oci-estargz-image.tar`);
    const [layer] = await image.layers();
    expect(await layer.diffId()).toBe('sha256:2b3dbfdf131b60e153f6c11e1781c35dcaab001dde8f65c5efaad5813817800e');
    await image.close();
  });
});

describe('broken inputs fail with one clear line', () => {
  it.each([
    [`${F}/formats/ggcr/tarball/no_manifest.tar`, /legacy \(pre-Docker 1\.10\) image archive/],
    [`${F}/formats/moby/emptyLayer.tar`, /legacy \(pre-Docker 1\.10\) image archive/],
    [`${F}/formats/ggcr/tarball/null_manifest.tar`, /manifest\.json that lists no image/],
    [`${F}/dive/test-uncompressed-image.tar`, /plain tar \(a filesystem, not an image archive\)/],
    [
      `${F}/formats/ggcr/layout/test_index_media_type`,
      /OCI artifact \(config application\/vnd\.cncf\.helm\.config\.v1\+json\)/,
    ],
    [`${F}/formats/moby/xattr-layer.tar`, /plain tar/],
    [`${F}/formats/ggcr/crane/content.tar.zst`, /plain tar/],
    [`${F}/README.md`, /not a tar archive/],
    [`${F}/formats`, /not an OCI image layout/],
    [`${F}/does-not-exist.tar`, /does not exist/],
    [
      `oci:${F}/formats/ggcr/layout/test_index:2`,
      /"2" names an entry of type application\/vnd\.oci\.descriptor\.v1\+json, not an image/,
    ],
    [`${F}/formats/ggcr/tarball/test_bundle.tar:nope:1`, /has no image "nope:1"/],
    [`oci:${F}/dive/test-docker-image.tar`, /is a file, not an OCI layout directory/],
  ])('%s', async (input, message) => {
    const error = await openImage(input).then(
      async (image) => {
        await image.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BallastError);
    expect((error as BallastError).exitCode).toBe(2);
    expect((error as BallastError).message).toMatch(message);
    expect((error as BallastError).message).not.toContain('\n');
  });

  it('another scheme is named as a transport ballast does not read, not taken for a registry host', async () => {
    for (const [argument, scheme] of [
      ['http://registry.example.com/app:1', 'http:'],
      ['containers-storage:localhost/app:1', 'containers-storage:'],
      ['dir:/var/tmp/app', 'dir:'],
    ]) {
      await expect(openImage(argument)).rejects.toMatchObject({
        exitCode: 2,
        message: `${scheme} is not a transport ballast reads (in ${argument})`,
        hint: expect.stringMatching(/^use docker-archive:PATH, oci:DIR, .*podman:REF/),
      });
    }
  });

  it('a transport with nothing after it says so, with an example of its own kind', async () => {
    // `oci:` alone said "error: does not exist"; `podman:` alone offered a docker-daemon: example.
    for (const [argument, message, hint] of [
      ['oci:', 'no path after oci:', 'for example oci:DIR'],
      ['oci-archive: ', 'no path after oci-archive:', 'for example oci-archive:image.tar'],
      ['docker-archive:', 'no path after docker-archive:', 'for example docker-archive:image.tar'],
      ['podman:', 'no image name after the transport', 'for example podman:node:20'],
      ['docker-daemon:', 'no image name after the transport', 'for example docker-daemon:node:20'],
    ]) {
      await expect(openImage(argument)).rejects.toMatchObject({ exitCode: 2, message, hint });
    }
  });
  it('a transport naming the other archive format says which format the file is, and the transport to use', async () => {
    // docker-archive: on an OCI archive said "a plain tar ... no manifest.json or index.json", though it has index.json.
    const oci = `${F}/dive/test-oci-uncompressed-image.tar`;
    await expect(openImage(`docker-archive:${oci}`)).rejects.toMatchObject({
      exitCode: 2,
      message: `${oci} is an OCI archive (it has index.json, no manifest.json), not a docker-archive`,
      hint: `use oci-archive:${oci}`,
    });
    // oci-archive: on a docker save archive said it was a legacy archive without manifest.json.
    const docker = `${F}/dive/test-docker-image.tar`;
    await expect(openImage(`oci-archive:${docker}`)).rejects.toMatchObject({
      exitCode: 2,
      message: `${docker} is a docker-archive (it has manifest.json, no index.json), not an OCI archive`,
      hint: `use docker-archive:${docker}`,
    });
  });

  it('a path is read from disk whatever --source says; a name that is also a path says --source is why not', async () => {
    // `--source registry` took `./x` for a reference: '"." is not a valid registry host'.
    const nowhere = {
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
      CONTAINER_HOST: 'unix:///nonexistent/podman.sock',
    };
    for (const source of ['registry', 'daemon', 'podman'] as const) {
      const image = await openImage(`./${F}/dive/test-docker-image.tar`, { source, env: nowhere });
      expect(image.ref.source).toBe('docker-archive');
      await image.close();
      await expect(openImage(`${F}/nothing-here.tar`, { source, env: nowhere })).rejects.toMatchObject({
        message: `${F}/nothing-here.tar does not exist`,
      });
    }
    // A bare name is a reference under --source, even when a directory has that name; the hint says how to read it.
    await expect(
      openImage(`${F}/formats`, { source: 'daemon', sourceFlag: '$BALLAST_SOURCE', env: nowhere }),
    ).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/^cannot reach the Docker daemon/),
      hint: expect.stringMatching(
        new RegExp(
          `^\\$BALLAST_SOURCE daemon reads ${F}/formats as an image name; drop it, or write \\./${F}/formats, to read the local path; else start Docker`,
        ),
      ),
    });
  });

  it('a name that is not an image names what was typed, and a mistyped path is said to be no file here', async () => {
    // `build/app.oci` (no such file) printed only "cannot resolve the registry host registry-1.docker.io".
    const nowhere = {
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
      CONTAINER_HOST: 'unix:///nonexistent/podman.sock',
    };
    const docker = 'cannot reach the Docker daemon at unix:///nonexistent/docker.sock';
    for (const [argument, message] of [
      ['build/app.oci', `no file build/app.oci here; as an image name: ${docker}`],
      ['app.oci', `no file app.oci here; as an image name: ${docker}`],
      ['out/image', `no file or directory out/image here; as an image name: ${docker}`],
      // Names, not paths: a tag's dots, a registry host's.
      ['node:20.11', `node:20.11: ${docker}`],
      ['ghcr.io/org/app.v2', `ghcr.io/org/app.v2: ${docker}`],
    ]) {
      await expect(openImage(argument, { source: 'daemon', env: nowhere })).rejects.toMatchObject({
        exitCode: 2,
        message,
      });
    }
    // Each transport's failure names the argument once.
    for (const [argument, message] of [
      ['docker-daemon:nope', `docker-daemon:nope: ${docker}`],
      ['podman:nope', /^podman:nope: cannot reach Podman at unix:\/\/\/nonexistent\/podman\.sock$/],
      ['docker://127.0.0.1:1/x', /^docker:\/\/127\.0\.0\.1:1\/x: cannot connect to the registry 127\.0\.0\.1:1 /],
      ['oci:nope-dir', 'nope-dir does not exist'],
      ['oci-archive:nope.tar', 'nope.tar does not exist'],
    ] as const) {
      await expect(openImage(argument, { env: nowhere, noCache: true })).rejects.toMatchObject({
        exitCode: 2,
        message,
      });
    }
    // Looked up where no --source forces it: the daemons are not there, and the registry either has no DNS here or
    // answers that it has no such image; the line names the path once either way.
    const error = await openImage('build/app.oci', { env: nowhere, noCache: true, timeoutMs: 5_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BallastError);
    const line = formatError(error);
    expect(line.split('build/app.oci')).toHaveLength(2);
    expect(line).toMatch(/no file build\/app\.oci here|there is no file of that name here either/);
  }, 30_000);

  it('asks for an existing platform and lists the available ones', async () => {
    await expect(openImage(`${F}/dive/test-oci-gzip-image.tar`, { platform: 'linux/amd64' })).rejects.toMatchObject({
      message: expect.stringMatching(/no image for platform linux\/amd64/),
      hint: expect.stringMatching(/available platforms: linux\/arm64/),
    });
    await expect(openImage(`${F}/dive/test-docker-image.tar`, { platform: 'linux/arm64' })).rejects.toMatchObject({
      code: 'platform-not-found',
    });
    // A containerd-store save lists every platform of busybox's index but holds only amd64.
    await expect(
      openImage(`${F}/snyk/containerd-archives--busybox.amd64.tar`, { platform: 'linux/arm64' }),
    ).rejects.toMatchObject({
      code: 'platform-not-found',
      hint: expect.stringMatching(/^available platforms: linux\/amd64 \(listed but not included: .*linux\/arm64,/),
    });
    const amd64 = await openImage(`${F}/snyk/containerd-archives--busybox.amd64.tar`, { platform: 'linux/amd64' });
    await validateImage(amd64);
    await amd64.close();
  });

  it('reads a containerd-store save as the same docker-archive, under the same tag, with --platform or without', async () => {
    // With --platform it was read through its index.json as `oci-archive` under the ref name (`3.14`); without, as the
    // docker-archive `docker load` reads, under its RepoTag (`alpine:3.14`).
    for (const [file, tag] of [
      ['containerd-archives--alpine.tar', 'alpine:3.14'],
      ['containerd-archives--busybox.amd64.tar', 'busybox:latest'],
    ]) {
      const refs = [];
      for (const platform of [undefined, 'linux/amd64']) {
        const image = await openImage(`${F}/snyk/${file}`, platform ? { platform } : {});
        refs.push({ source: image.ref.source, tag: image.ref.tag, aliases: image.ref.aliases });
        await image.close();
      }
      expect(refs).toEqual([
        { source: 'docker-archive', tag, aliases: undefined },
        { source: 'docker-archive', tag, aliases: undefined },
      ]);
    }
  });

  it('names the index a containerd-store save keeps, with --platform or without', async () => {
    // Without --platform the archive is read by its manifest.json, and its index was not named (`index: null` in
    // `inspect --json`); with --platform, through index.json, it was. The image is one platform of that index either way.
    for (const [file, digest, platforms] of [
      ['containerd-archives--alpine.tar', 'sha256:6cc7fe2dd7a4ee19c589de7371870f9350b6218db31c610939251e189edf2288', 1],
      [
        'containerd-archives--busybox.amd64.tar',
        'sha256:6d9ac9237a84afe1516540f40a0fafdc86859b2141954b4d643af7066d598b74',
        10,
      ],
    ] as const) {
      for (const platform of [undefined, 'linux/amd64']) {
        const image = await openImage(`${F}/snyk/${file}`, platform ? { platform } : {});
        await image.close();
        expect({ file, platform, digest: image.ref.index?.digest, count: image.ref.index?.platforms.length }).toEqual({
          file,
          platform,
          digest,
          count: platforms,
        });
        expect(image.ref.index?.platforms[0]).toBe('linux/amd64');
      }
    }
    // An archive whose index.json lists a single-platform manifest, not an index, has none.
    const plain = await openImage(`${F}/snyk/docker-archives--docker-save--hello-world.tar`);
    await plain.close();
    expect(plain.ref.index).toBeUndefined();
  });
});
