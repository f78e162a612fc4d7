// Daemon faults through the real CLI (dist/) against a private dockerd (test/helpers/dockerd.ts): a socket the user
// may not open (the CLI run as `nobody` with setpriv, the socket mode 0600 and owned by root) and the daemon killed by
// PID while `analyze docker-daemon:IMAGE` streams its export (an image of ~60 MB of random bytes built in memory and
// `docker load`ed), the image removed between its description and its export, a description without an Id (a proxy
// answering for the daemon), and the daemon frozen (SIGSTOP) mid-export. Each is exit 2 with one line naming the socket or the daemon, and leaves no temp file in TMPDIR.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli, startCli } from '../helpers/cli.js';
import { startDockerd, type Dockerd } from '../helpers/dockerd.js';
import { buildDockerArchive, file, layer } from '../helpers/image-builder.js';

/** The daemon's answers back to the client, and either side's end or error closing the other. */
function splice(client: Socket, upstream: Socket): void {
  upstream.pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.on('close', () => upstream.destroy());
}

let dockerd: Dockerd;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ballast-daemon-faults-'));
  dockerd = await startDockerd();
  const image = await buildDockerArchive(
    [
      layer({ 'big/one.bin': file(randomBytes(20_000_000)) }),
      layer({ 'big/two.bin': file(randomBytes(20_000_000)) }),
      layer({ 'big/three.bin': file(randomBytes(20_000_000)) }),
    ],
    {},
  );
  await dockerd.docker('load', '-i', image.path);
  image.cleanup();
}, 240_000);

afterAll(async () => {
  await dockerd?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('daemon faults', () => {
  it('permission denied on the socket: exit 2, one line naming the socket and the problem', async () => {
    // The daemon's folder is traversable, the socket itself is root's alone (as /var/run/docker.sock is root:docker).
    chmodSync(dirname(dockerd.socket), 0o755);
    chmodSync(dockerd.socket, 0o600);
    // In the shared temp dir, not below this test's private (0700) folder, so `nobody` can use it as HOME and TMPDIR.
    const tmp = mkdtempSync(join(tmpdir(), 'ballast-nobody-'));
    chmodSync(tmp, 0o777);
    const result = await runCli(['analyze', 'docker-daemon:test:latest'], {
      wrapper: ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'],
      env: { DOCKER_HOST: dockerd.host, HOME: tmp, TMPDIR: tmp, BALLAST_CACHE_DIR: join(tmp, 'cache') },
    });
    expect([result.code, result.stdout]).toEqual([2, '']);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(dockerd.socket);
    expect(lines[0]).toMatch(/^error: .*permission denied.*\(hint: .+\)$/i);
    expect(readdirSync(tmp).filter((n) => n !== 'cache')).toEqual([]);
    rmSync(tmp, { recursive: true, force: true });
  }, 90_000);

  it('the image removed between its description and its export: exit 2, one line saying so', async () => {
    await dockerd.docker('tag', 'test:latest', 'victim:1');
    // A pass-through to the real daemon's socket that, when the export request comes, first removes the tag: the
    // moment a `docker image prune` or a cleanup job could hit, made certain.
    const socket = join(work, 'removing.sock');
    const server = createServer((client) => {
      const upstream = createConnection(dockerd.socket);
      let removed = false;
      let queue = Promise.resolve();
      client.on('data', (chunk: Buffer) => {
        queue = queue.then(async () => {
          if (!removed && /^GET \S*\/images\/victim:1\/get /m.test(chunk.toString('latin1'))) {
            removed = true;
            await dockerd.docker('rmi', 'victim:1');
          }
          upstream.write(chunk);
        });
      });
      splice(client, upstream);
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const result = await runCli(['analyze', 'docker-daemon:victim:1'], { env: { DOCKER_HOST: `unix://${socket}` } });
      expect([result.code, result.stdout]).toEqual([2, '']);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^error: the Docker daemon at unix:\S+ no longer holds victim:1: it was removed while being read/,
      );
      expect(lines[0]).toMatch(/\(hint: check that nothing removes or re-tags victim:1 .+\)$/);
    } finally {
      server.close();
    }
  }, 120_000);

  // Regression: a bare reference read a malformed description as "the daemon does not hold it" and went on to the
  // registry, whose error (no network, no such repository) hid the daemon's broken answer.
  it('a malformed description of a bare reference is reported as for docker-daemon:NAME, not looked up in a registry', async () => {
    // A pass-through to the real daemon's socket that answers the description of app:1 itself, without an Id.
    const socket = join(work, 'malformed.sock');
    const body = JSON.stringify({ RepoTags: ['app:1'], Os: 'linux', Architecture: 'amd64' });
    const server = createServer((client) => {
      const upstream = createConnection(dockerd.socket);
      client.on('data', (chunk: Buffer) => {
        if (!/^GET \S*\/images\/app:1\/json /m.test(chunk.toString('latin1'))) return void upstream.write(chunk);
        client.end(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
        );
      });
      splice(client, upstream);
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const env = { DOCKER_HOST: `unix://${socket}` };
      const typed = await runCli(['analyze', 'docker-daemon:app:1'], { env });
      const bare = await runCli(['analyze', 'app:1'], { env });
      for (const result of [typed, bare]) {
        expect([result.code, result.stdout]).toEqual([2, '']);
        const lines = result.stderr.trimEnd().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(
          /^error: the Docker daemon at unix:\S+ answered the description of app:1 with a malformed image description: it has no Id \(hint: .+\)$/,
        );
      }
      expect(bare.stderr).toBe(typed.stderr);
    } finally {
      server.close();
    }
  }, 120_000);

  it('the daemon stalled mid-export: exit 2 after --timeout, one line saying it did not answer, no temp file left', async () => {
    const tmp = mkdtempSync(join(work, 'tmp-stall-'));
    let stopped = false;
    const { done } = startCli(['analyze', 'docker-daemon:test:latest', '--timeout', '2'], {
      env: { DOCKER_HOST: dockerd.host, TMPDIR: tmp },
      timeoutMs: 120_000,
    });
    // Freeze dockerd (SIGSTOP: the socket stays open, nothing more comes) once the export is arriving.
    const watcher = setInterval(() => {
      for (const dir of readdirSync(tmp)) {
        for (const name of readdirSync(join(tmp, dir), { withFileTypes: true }).filter((e) => e.isFile())) {
          if (!stopped && statSync(join(tmp, dir, name.name)).size > 0) {
            stopped = true;
            process.kill(dockerd.pid, 'SIGSTOP');
            clearInterval(watcher);
          }
        }
      }
    }, 2);
    let result: Awaited<typeof done>;
    try {
      result = await done;
    } finally {
      clearInterval(watcher);
      if (stopped) process.kill(dockerd.pid, 'SIGCONT');
    }
    expect(stopped).toBe(true);
    expect([result.code, result.stdout]).toEqual([2, '']);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^error: the Docker daemon at unix:\S+ did not answer within 2s exporting test:latest \(hint: .*--timeout\)$/,
    );
    expect(readdirSync(tmp)).toEqual([]);
  }, 120_000);

  it('the daemon killed mid-export: exit 2, one line naming the daemon, no temp file left', async () => {
    chmodSync(dockerd.socket, 0o660);
    const tmp = mkdtempSync(join(work, 'tmp-kill-'));
    let killedAtBytes = -1;
    const { done } = startCli(['analyze', 'docker-daemon:test:latest'], {
      env: { DOCKER_HOST: dockerd.host, TMPDIR: tmp },
      timeoutMs: 120_000,
    });
    // Kill dockerd as soon as the export has started arriving in ballast's spool file.
    const watcher = setInterval(() => {
      for (const dir of readdirSync(tmp)) {
        for (const name of readdirSync(join(tmp, dir), { withFileTypes: true }).filter((e) => e.isFile())) {
          const size = statSync(join(tmp, dir, name.name)).size;
          if (size > 0 && killedAtBytes < 0) {
            killedAtBytes = size;
            process.kill(dockerd.pid, 'SIGKILL');
            clearInterval(watcher);
          }
        }
      }
    }, 2);
    const result = await done;
    clearInterval(watcher);
    console.log(
      `dockerd killed with ${killedAtBytes} bytes of the export spooled; ballast said: ${result.stderr.trim()}`,
    );
    expect(killedAtBytes).toBeGreaterThan(0);
    expect(killedAtBytes).toBeLessThan(60_000_000);
    expect([result.code, result.stdout]).toEqual([2, '']);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: .*\(hint: .+\)$/);
    expect(lines[0]).toMatch(/Docker daemon/);
    expect(lines[0]).toMatch(/stopped answering mid-export/);
    expect(readdirSync(tmp)).toEqual([]);
    // The CLI still answers clearly with the daemon gone.
    const after = await runCli(['analyze', 'docker-daemon:test:latest'], { env: { DOCKER_HOST: dockerd.host } });
    expect(after.code).toBe(2);
  }, 180_000);
});
