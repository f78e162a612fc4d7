// podman:REF against a private Podman API service (its own storage and socket), found the way rootless
// Podman is: through $XDG_RUNTIME_DIR/podman/podman.sock, or CONTAINER_HOST.
import { join } from 'node:path';
import { formatError } from '../../src/errors.js';
import { openImage } from '../../src/sources/resolve.js';
import { runCli } from '../helpers/cli.js';
import { startPodmanService, type PodmanService } from '../helpers/podman.js';

const ARCHIVE = join(process.cwd(), 'test', 'fixtures', 'dive', 'test-docker-image.tar');

async function diffIds(
  argument: string,
  options: Parameters<typeof openImage>[1],
): Promise<{ diffIds: string[]; source: string }> {
  const image = await openImage(argument, options);
  try {
    const layers = await image.layers();
    // The last layer streams through the archive reader and is verified against its diffId.
    for await (const _chunk of await layers[layers.length - 1].uncompressed());
    return { diffIds: await Promise.all(layers.map((l) => l.diffId())), source: image.ref.source };
  } finally {
    await image.close();
  }
}

describe('podman source (private podman system service)', () => {
  let service: PodmanService;

  beforeAll(async () => {
    service = await startPodmanService();
    await service.podman('load', '-i', ARCHIVE);
  }, 120_000);

  afterAll(async () => service?.stop());

  it('podman:NAME via XDG_RUNTIME_DIR gives the same diffIds as the archive', async () => {
    const archive = await diffIds(ARCHIVE, {});
    const podman = await diffIds('podman:dive-test:latest', { env: { XDG_RUNTIME_DIR: service.runtimeDir } });
    expect(podman.diffIds).toEqual(archive.diffIds);
    expect(podman.source).toBe('podman');
  });

  it("podman://NAME, dive's spelling, reads the same image as podman:NAME", async () => {
    const podman = await diffIds('podman://dive-test:latest', { env: { XDG_RUNTIME_DIR: service.runtimeDir } });
    expect(podman.diffIds).toEqual((await diffIds(ARCHIVE, {})).diffIds);
    expect(podman.source).toBe('podman');
  });

  it('podman:NAME via CONTAINER_HOST', async () => {
    const podman = await diffIds('podman:localhost/dive-test:latest', {
      env: { CONTAINER_HOST: `unix://${service.socket}` },
    });
    expect(podman.diffIds).toHaveLength(14);
  });

  it('refuses a CONTAINER_HOST without a scheme, as podman --remote does, even when it names a live socket', async () => {
    // Given the socket path alone, where a Podman service answers: podman refuses it ("" is not a supported schema)
    const bare = await runCli(['inspect', 'podman:dive-test:latest'], { env: { CONTAINER_HOST: service.socket } });
    // Then ballast refuses it too, on one line, with the unix:// to write
    expect(bare.code).toBe(2);
    expect(bare.stderr.trim()).toBe(
      `error: CONTAINER_HOST "${service.socket}" has no scheme, and Podman refuses an address without one ` +
        `(hint: write unix://${service.socket} in CONTAINER_HOST)`,
    );
    // Given a host and port alone: podman refuses it as not a valid URL
    const hostPort = await runCli(['inspect', 'podman:dive-test:latest'], { env: { CONTAINER_HOST: '127.0.0.1:1' } });
    expect(hostPort.code).toBe(2);
    expect(hostPort.stderr.trim()).toBe(
      'error: CONTAINER_HOST "127.0.0.1:1" has no scheme, and Podman refuses an address without one ' +
        '(hint: write unix:///path/to/podman.sock or tcp://127.0.0.1:1 in CONTAINER_HOST)',
    );
  });

  it('refuses a CONTAINER_HOST scheme podman --remote refuses, and reads unix:/PATH as podman does', async () => {
    // Given http://, https:// or another scheme: podman says '"http" is not a supported schema', where ballast took
    // http:// and https:// as tcp:// and called the rest an "unsupported daemon address"
    for (const [host, tcp] of [
      ['http://127.0.0.1:1', '127.0.0.1:1'],
      ['https://127.0.0.1:2376', '127.0.0.1:2376'],
      ['npipe:////./pipe/podman', 'host:port'],
    ]) {
      const run = await runCli(['inspect', 'podman:dive-test:latest'], { env: { CONTAINER_HOST: host } });
      expect({ host, code: run.code, stderr: run.stderr }).toEqual({
        host,
        code: 2,
        stderr:
          `error: CONTAINER_HOST "${host}" has the scheme ${host.slice(0, host.indexOf(':'))}://, which Podman refuses ` +
          `(hint: write unix:///path/to/podman.sock or tcp://${tcp} in CONTAINER_HOST: Podman reads unix://, tcp:// ` +
          'and ssh://, and ballast the first two)\n',
      });
    }
    // Given unix:PATH with one slash, which podman dials as the socket PATH: ballast reads the image there too
    const podman = await diffIds('podman:localhost/dive-test:latest', {
      env: { CONTAINER_HOST: `unix:${service.socket}` },
    });
    expect(podman.diffIds).toHaveLength(14);
  });

  it('--source podman sends a bare reference to Podman', async () => {
    const podman = await diffIds('dive-test', { source: 'podman', env: { XDG_RUNTIME_DIR: service.runtimeDir } });
    expect(podman.source).toBe('podman');
  });

  it('a bare reference goes to Podman when no Docker daemon answers and Podman holds it', async () => {
    const notes: string[] = [];
    const env = { XDG_RUNTIME_DIR: service.runtimeDir, DOCKER_HOST: `unix://${service.runtimeDir}/no-docker.sock` };
    const podman = await diffIds('dive-test', { env, notice: (m: string) => notes.push(m) });
    expect(podman.source).toBe('podman');
    expect(notes.join('\n')).toContain('reading dive-test:latest from Podman');
  });

  it('says when Podman has no such image', async () => {
    const line = formatError(
      await openImage('podman:nope:2', { env: { XDG_RUNTIME_DIR: service.runtimeDir } }).catch((e: unknown) => e),
    );
    expect(line).toContain(`error: Podman (unix://${service.socket}) has no image nope:2`);
    expect(line).toContain('podman pull nope:2');
  });
});
