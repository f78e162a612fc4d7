// The daemon source against a private dockerd (its own data-root and socket) holding images loaded with
// `docker load`, and bare references that go to the daemon when it holds the image, else to the registry.
import { join } from 'node:path';
import { formatError } from '../../src/errors.js';
import type { Image } from '../../src/image/types.js';
import { inspect } from '../../src/services/inspect.js';
import { openImage } from '../../src/sources/resolve.js';
import { startDockerd, type Dockerd } from '../helpers/dockerd.js';
import { buildOciLayout, file, layer } from '../helpers/image-builder.js';
import { skopeoCopy, startRegistry, type Registry } from '../helpers/registry.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures');
const DIVE = join(FIXTURES, 'dive', 'test-docker-image.tar');
const HELLO = join(FIXTURES, 'snyk', 'docker-archives--docker-save--hello-world.tar');
const HELLO_DIFF_ID = 'sha256:ac28800ec8bb38d5c35b49d45a6ac4777544941199075dff8c4eb63e093aa81e';

async function facts(image: Image): Promise<{ diffIds: string[]; configDigest: string; config: unknown }> {
  const layers = await image.layers();
  return {
    diffIds: await Promise.all(layers.map((l) => l.diffId())),
    configDigest: await image.configDigest(),
    config: (await image.configFile()).config,
  };
}

async function read(
  argument: string,
  options: Parameters<typeof openImage>[1],
): Promise<{ diffIds: string[]; configDigest: string; config: unknown; source: string }> {
  const image = await openImage(argument, options);
  try {
    const [layer] = await image.layers();
    // Stream one layer through the archive reader: it decompresses and verifies to its diffId.
    for await (const _chunk of await layer.uncompressed());
    return { ...(await facts(image)), source: image.ref.source };
  } finally {
    await image.close();
  }
}

describe('daemon source (private dockerd)', () => {
  let dockerd: Dockerd;
  let registry: Registry;
  const notes: string[] = [];
  const env = (): NodeJS.ProcessEnv => ({ DOCKER_HOST: dockerd.host, HOME: '/nonexistent-ballast-home' });

  beforeAll(async () => {
    [dockerd, registry] = await Promise.all([startDockerd({ tls: true }), startRegistry()]);
    await dockerd.docker('load', '-i', DIVE);
    await dockerd.docker('load', '-i', HELLO);
    await skopeoCopy(`docker-archive:${HELLO}`, `docker://${registry.host}/only/in-registry:1`, { format: 'v2s2' });
  }, 180_000);

  afterAll(async () => {
    await dockerd?.stop();
    await registry?.stop();
  });

  beforeEach(() => {
    notes.length = 0;
  });

  it('docker-daemon:NAME gives the same diffIds and config as the archive that was loaded', async () => {
    const archive = await read(DIVE, {});
    const daemon = await read('docker-daemon:dive-test:latest', { env: env() });
    expect(daemon.diffIds).toEqual(archive.diffIds);
    expect(daemon.diffIds).toHaveLength(14);
    expect(daemon.configDigest).toBe(archive.configDigest);
    expect(daemon.config).toEqual(archive.config);
    expect(daemon.source).toBe('docker-daemon');
  });

  it("daemon://NAME, container-diff's spelling, reads the same image as docker-daemon:NAME", async () => {
    const daemon = await read('daemon://dive-test:latest', { env: env() });
    expect(daemon.diffIds).toEqual((await read(DIVE, {})).diffIds);
    expect(daemon.source).toBe('docker-daemon');
  });

  it('a report names a daemon image by the argument that reads it from the daemon again, its tag apart', async () => {
    const { runCli } = await import('../helpers/cli.js');
    for (const [argument, reference] of [
      ['docker-daemon:hello-world', 'docker-daemon:hello-world'],
      // A bare reference the daemon held: read again from the daemon, not possibly from the registry.
      ['hello-world', 'docker-daemon:hello-world:latest'],
    ]) {
      const inspected = await inspect({ image: argument, env: env() });
      expect(inspected).toMatchObject({ source: 'docker-daemon', reference, tag: 'hello-world:latest' });
      const { os, architecture, variant } = inspected.platform;
      // ci and its markdown name the image so that it can be passed back (it was `docker-daemon:hello-world:hello-world:latest`)
      const markdown = await runCli(['ci', argument, '--format', 'markdown', '--no-cache'], {
        env: { ...process.env, ...env() },
      });
      expect(markdown.stdout.split('\n')[0]).toBe(
        `### ballast ci: passed for \`${reference}\`, ${[os, architecture, variant].filter(Boolean).join('/')}`,
      );
    }
  }, 120_000);

  it('inspect docker-daemon:NAME works through the service, and the spooled export is removed', async () => {
    const { mkdtemp, readdir, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    // A private TMPDIR, so the check sees only this export's temp files.
    const privateTmp = await mkdtemp(join(tmpdir(), 'ballast-daemon-tmp-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      const result = await inspect({ image: 'docker-daemon:hello-world', env: env() });
      expect(result.source).toBe('docker-daemon');
      expect(result.layers.map((l) => l.diffId)).toEqual([
        'sha256:ac28800ec8bb38d5c35b49d45a6ac4777544941199075dff8c4eb63e093aa81e',
      ]);
      expect(await readdir(privateTmp)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      await rm(privateTmp, { recursive: true, force: true });
    }
  });

  it('docker-daemon:REPO with no tag reads REPO:latest, as docker run does, whatever other tags the daemon holds', async () => {
    // Given a repository the daemon holds under two tags
    await dockerd.docker('tag', 'dive-test:latest', 'two/tags:latest');
    await dockerd.docker('tag', 'hello-world:latest', 'two/tags:0-older');
    // Then the name alone reads :latest, with no note of other images to pick from
    const latest = await read('docker-daemon:two/tags', { env: env(), notice: (m: string) => notes.push(m) });
    expect(latest.diffIds).toHaveLength(14);
    expect(notes).toEqual([]);
    expect((await inspect({ image: 'docker-daemon:two/tags', env: env() })).tag).toBe('two/tags:latest');
    // And a tag reads that tag
    expect((await read('docker-daemon:two/tags:0-older', { env: env() })).diffIds).toHaveLength(1);
    // And a repository without :latest is said to lack that tag, the one looked for
    await dockerd.docker('tag', 'hello-world:latest', 'one/tag:v1');
    expect(formatError(await openImage('docker-daemon:one/tag', { env: env() }).catch((e: unknown) => e))).toBe(
      `error: the Docker daemon (${dockerd.host}) has no image one/tag:latest (hint: pull it first (\`docker pull one/tag:latest\`), or read it from its registry with docker://one/tag:latest)`,
    );
  });

  it("docker-daemon:NAME@N, an archive's image number, is refused before asking the daemon, with the forms it takes", async () => {
    expect(formatError(await openImage('docker-daemon:two/tags@1', { env: env() }).catch((e: unknown) => e))).toBe(
      "error: docker-daemon:two/tags@1: @N numbers the images of an archive; a daemon's image is named by its tag, digest or ID (hint: name one, e.g. docker-daemon:two/tags:TAG; `docker images two/tags` lists its tags)",
    );
    // A reference with its tag is told to drop the @N: the hint was `name one, e.g. podman:busy:1:TAG`.
    expect(formatError(await openImage('podman:busy:1@0', { env: env() }).catch((e: unknown) => e))).toBe(
      "error: podman:busy:1@0: @N numbers the images of an archive; a daemon's image is named by its tag, digest or ID (hint: drop the @0: podman:busy:1)",
    );
    expect(
      formatError(await openImage('docker-daemon:localhost:5000/app@3', { env: env() }).catch((e: unknown) => e)),
    ).toMatch(/hint: name one, e\.g\. docker-daemon:localhost:5000\/app:TAG;/);
  });

  it('an image ID, as docker images shows it, is read from the daemon, not looked up as a Docker Hub name', async () => {
    const id = (await dockerd.docker('image', 'inspect', '--format', '{{.Id}}', 'hello-world:latest')).trim();
    const hex = id.slice('sha256:'.length);
    expect(hex).toMatch(/^[a-f0-9]{64}$/);
    for (const argument of [hex.slice(0, 12), hex, id]) {
      notes.length = 0;
      // Given the ID alone, short, full, or with its algorithm
      const bare = await read(argument, { env: env(), noCache: true, notice: (m: string) => notes.push(m) });
      // Then it is read from the daemon, and the note says so
      expect(bare).toMatchObject({ source: 'docker-daemon', diffIds: [HELLO_DIFF_ID] });
      expect(notes).toContain(`reading ${argument} from the Docker daemon (${dockerd.host})`);
      // And docker-daemon: takes it too
      expect((await read(`docker-daemon:${argument}`, { env: env() })).diffIds).toEqual([HELLO_DIFF_ID]);
    }
    // And a report names it by the argument that reads it from the daemon again
    const { runCli } = await import('../helpers/cli.js');
    const analyzed = await runCli(['inspect', hex.slice(0, 12), '--json', '--no-cache'], {
      env: { ...process.env, ...env() },
    });
    expect(analyzed.code).toBe(0);
    expect(JSON.parse(analyzed.stdout)).toMatchObject({
      source: 'docker-daemon',
      reference: `docker-daemon:${hex.slice(0, 12)}`,
    });
    // An ID no daemon holds is no name to look up in a registry (Docker refuses a 64-hex name): the daemon is named
    const unknown = 'f'.repeat(64);
    expect(formatError(await openImage(unknown, { env: env(), noCache: true }).catch((e: unknown) => e))).toBe(
      `error: the Docker daemon (${dockerd.host}) has no image ${unknown} (hint: an image ID is looked up in the local daemons only; \`docker images --no-trunc\` lists the daemon's image IDs)`,
    );
    expect(
      formatError(
        await openImage(unknown, {
          env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock', CONTAINER_HOST: 'unix:///nonexistent/podman.sock' },
        }).catch((e: unknown) => e),
      ),
    ).toBe(
      `error: cannot look up the image ID ${unknown}: neither the Docker daemon nor Podman answers (hint: start Docker or set DOCKER_HOST (for Podman, CONTAINER_HOST); an image ID is looked up in the local daemons only)`,
    );
  });

  it('reads the daemon named by the daemonHost option too', async () => {
    const daemon = await read('docker-daemon:hello-world:latest', { daemonHost: dockerd.host, env: {} });
    expect(daemon.diffIds).toHaveLength(1);
  });

  it('a bare reference goes to the daemon when it holds the image', async () => {
    const result = await read('dive-test', { env: env(), notice: (m: string) => notes.push(m) });
    expect(result.source).toBe('docker-daemon');
    expect(notes.join('\n')).toContain('reading dive-test:latest from the Docker daemon');
  });

  it('a bare reference the daemon does not hold goes to the registry', async () => {
    const result = await read(`${registry.host}/only/in-registry:1`, { env: env(), noCache: true });
    expect(result.source).toBe('registry');
    expect(result.diffIds).toEqual(['sha256:ac28800ec8bb38d5c35b49d45a6ac4777544941199075dff8c4eb63e093aa81e']);
  });

  it('a bare reference found nowhere says the daemon was asked too, not only the registry', async () => {
    // Given a name neither the daemon nor the registry holds (a typo in a locally built image's name)
    const missing = formatError(
      await openImage(`${registry.host}/only/not-built:1`, { env: env(), noCache: true }).catch((e: unknown) => e),
    );
    // Then the one line names both places, and the hint says how to list what the daemon holds
    expect(missing).toBe(
      `error: ${registry.host} has no repository only/not-built, and the Docker daemon (${dockerd.host}) has no image ${registry.host}/only/not-built:1 either (hint: check the name (and that you are logged in, since private repositories can look absent); \`docker images\` lists the daemon's images)`,
    );
    // And a registry that is down is not the whole story either
    const down = formatError(
      await openImage('127.0.0.1:1/app:dev', { env: env(), noCache: true }).catch((e: unknown) => e),
    );
    expect(down).toContain(
      `cannot connect to the registry 127.0.0.1:1 (connection refused), and the Docker daemon (${dockerd.host}) has no image 127.0.0.1:1/app:dev either`,
    );
    // A forced source is about that source alone
    const forced = formatError(
      await openImage('127.0.0.1:1/app:dev', { env: env(), noCache: true, source: 'registry' }).catch(
        (e: unknown) => e,
      ),
    );
    expect(forced).not.toContain('Docker daemon');
  });

  it('a bare reference with --platform the daemon lacks is read from the registry, as docker run --platform pulls', async () => {
    // Given a name the daemon holds for linux/amd64 and the registry for linux/arm64
    const name = `${registry.host}/plat/split:1`;
    const arm = await buildOciLayout([layer({ 'arm.txt': file('arm64') })], { platform: 'linux/arm64' });
    try {
      await skopeoCopy(`oci:${arm.path}:latest`, `docker://${name}`);
    } finally {
      arm.cleanup();
    }
    await dockerd.docker('tag', 'dive-test:latest', name);
    // Then --platform linux/arm64 takes the registry's copy, saying why it passed the daemon's
    const result = await read(name, {
      env: env(),
      noCache: true,
      platform: 'linux/arm64',
      notice: (m: string) => notes.push(m),
    });
    expect(result.source).toBe('registry');
    expect(result.diffIds).toEqual(arm.diffIds);
    expect(notes).toContain(
      `the Docker daemon (${dockerd.host}) holds ${name} for linux/amd64 only; reading it from its registry`,
    );
    // And a platform found in neither place names both
    const neither = formatError(
      await openImage(name, { env: env(), noCache: true, platform: 'linux/s390x' }).catch((e: unknown) => e),
    );
    expect(neither).toContain(`${name} is a single-platform linux/arm64 image, not linux/s390x`);
    expect(neither).not.toContain('docker images');
    expect(neither).toContain(`the Docker daemon (${dockerd.host}) holds ${name} for linux/amd64 only`);
  });

  it('--source registry skips the daemon even when it holds the image', async () => {
    // Given the same name in the daemon and in the (loopback) registry
    const name = `${registry.host}/both/places:1`;
    await skopeoCopy(`docker-archive:${HELLO}`, `docker://${name}`, { format: 'v2s2' });
    await dockerd.docker('tag', 'dive-test:latest', name);
    // Then auto picks the daemon's copy and --source registry the registry's
    expect((await read(name, { env: env(), noCache: true })).diffIds).toHaveLength(14);
    const fromRegistry = await read(name, { env: env(), noCache: true, source: 'registry' });
    expect(fromRegistry.source).toBe('registry');
    expect(fromRegistry.diffIds).toHaveLength(1);
  });

  it('reaches a daemon on tcp:// with mutual TLS (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH)', async () => {
    const tlsEnv = {
      DOCKER_HOST: dockerd.tcpHost!,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: dockerd.certPath!,
      HOME: '/nonexistent-ballast-home',
    };
    const result = await read('docker-daemon:hello-world', { env: tlsEnv });
    expect(result.diffIds).toHaveLength(1);
    // Without a client certificate the daemon refuses the connection, and ballast says it cannot reach it.
    const line = formatError(
      await openImage('docker-daemon:hello-world', {
        env: { ...tlsEnv, DOCKER_CERT_PATH: '/nonexistent-certs' },
      }).catch((e: unknown) => e),
    );
    expect(line).toContain(`cannot reach the Docker daemon at ${dockerd.tcpHost}`);
  });

  it('follows DOCKER_CONTEXT and currentContext to the context endpoint, as the docker CLI does', async () => {
    const { createHash } = await import('node:crypto');
    const { mkdir, mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const home = await mkdtemp(join(tmpdir(), 'ballast-context-'));
    try {
      const id = createHash('sha256').update('private').digest('hex');
      await mkdir(join(home, '.docker', 'contexts', 'meta', id), { recursive: true });
      await writeFile(
        join(home, '.docker', 'contexts', 'meta', id, 'meta.json'),
        JSON.stringify({ Name: 'private', Metadata: {}, Endpoints: { docker: { Host: dockerd.host } } }),
      );
      expect(
        (await read('docker-daemon:hello-world', { env: { HOME: home, DOCKER_CONTEXT: 'private' } })).diffIds,
      ).toHaveLength(1);
      await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: 'private' }));
      expect((await read('docker-daemon:hello-world', { env: { HOME: home } })).diffIds).toHaveLength(1);
      const line = formatError(
        await openImage('docker-daemon:hello-world', { env: { HOME: home, DOCKER_CONTEXT: 'gone' } }).catch(
          (e: unknown) => e,
        ),
      );
      expect(line).toContain('the Docker context "gone" does not exist');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('says the daemon has no such image, and how to get it', async () => {
    const line = formatError(await openImage('docker-daemon:nope:1', { env: env() }).catch((e: unknown) => e));
    expect(line).toBe(
      `error: the Docker daemon (${dockerd.host}) has no image nope:1 (hint: pull it first (\`docker pull nope:1\`), or read it from its registry with docker://nope:1)`,
    );
  });

  it('checks --platform on the metadata before exporting', async () => {
    const line = formatError(
      await openImage('docker-daemon:dive-test', { env: env(), platform: 'linux/s390x' }).catch((e: unknown) => e),
    );
    expect(line).toContain('the Docker daemon holds dive-test:latest for linux/amd64, not linux/s390x');
    expect(line).toContain('docker pull --platform linux/s390x dive-test:latest');
    // An architecture alone is named in full, as the image's platform is
    const short = formatError(
      await openImage('docker-daemon:dive-test', { env: env(), platform: 's390x' }).catch((e: unknown) => e),
    );
    expect(short).toContain('the Docker daemon holds dive-test:latest for linux/amd64, not linux/s390x');
  });

  it('says when no daemon answers', async () => {
    const line = formatError(
      await openImage('docker-daemon:x', { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } }).catch(
        (e: unknown) => e,
      ),
    );
    expect(line).toMatch(
      /^error: docker-daemon:x: cannot reach the Docker daemon at unix:\/\/\/nonexistent\/docker\.sock \(hint: start Docker or set DOCKER_HOST/,
    );
  });
});
