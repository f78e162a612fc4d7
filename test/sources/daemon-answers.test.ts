// Daemons that answer, but not as ballast needs: a TLS daemon (a node https server answering /_ping, with a
// self-signed certificate) whose certificate the DOCKER_CERT_PATH files do not trust or cannot be read, and a fake
// Engine API on a unix socket (a node http server) that answers an image's description with garbage, late, or a 500,
// describes it with fields of the wrong type, or exports it as an archive whose manifest.json is wrong.
// Each is one error line naming the daemon and the problem, with a hint; never "cannot reach ... start Docker".
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatError } from '../../src/errors.js';
import { MAX_DAEMON_ANSWER_BYTES } from '../../src/sources/daemon.js';
import { openImage } from '../../src/sources/resolve.js';
import { packTar } from '../helpers/tar.js';
import { makeCertificate, selfSigned } from '../helpers/registry.js';

// Two images in one docker-archive (crane's bundle), as a daemon's export should never be.
const TWO_IMAGES = join(process.cwd(), 'test', 'fixtures', 'formats', 'ggcr', 'tarball', 'test_bundle.tar');

// What a daemon's description holds of the fields ballast reads.
const GOOD = { Id: `sha256:${'a'.repeat(64)}`, RepoTags: ['app:1'], Os: 'linux', Architecture: 'amd64', Config: {} };
const DESCRIPTION = JSON.stringify(GOOD);

// Descriptions each wrong in one field, and what the error line says of it.
const BAD_DESCRIPTIONS: [Record<string, unknown>, string][] = [
  [{ ...GOOD, RepoTags: 'app:1' }, 'RepoTags is a string, not a list of strings'],
  [{ ...GOOD, RepoTags: [1] }, 'RepoTags[0] is a number, not a string'],
  [{ ...GOOD, RepoTags: ['app:1', null] }, 'RepoTags[1] is null, not a string'],
  [{ ...GOOD, Config: 'x' }, 'Config is a string, not an object'],
  [{ ...GOOD, Config: [] }, 'Config is a list, not an object'],
  [{ ...GOOD, Id: undefined }, 'it has no Id'],
  [{ ...GOOD, Id: 7 }, 'Id is a number, not a string'],
  [{ ...GOOD, Os: { toString: 1 } }, 'Os is an object, not a string'],
  [{ ...GOOD, Architecture: 5 }, 'Architecture is a number, not a string'],
];

// Exports whose only member is this manifest.json, and what the error line says of it.
const BAD_EXPORTS: [string, RegExp][] = [
  ['{"Config": "c.json", "Layers": []}', /manifest\.json in \S+ is not a docker save manifest/],
  ['[{"Config": "c.json", "Layers": [], "RepoTags": "app:1"}]', /entry 0 RepoTags is a string, not a list of strings/],
  ['[{"Config": 5, "Layers": []}]', /manifest\.json in \S+ is not a docker save manifest/],
  ['[]', /exported badexport-3:latest as an archive of no image/],
];

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ballast-daemon-answers-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function errorLine(ref: string, env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<string> {
  return formatError(
    await openImage(ref, { env: { HOME: work, ...env }, timeoutMs }).then(
      () => new Error('opened'),
      (error: unknown) => error,
    ),
  );
}

describe('a TLS daemon whose certificate is not trusted', () => {
  let server: https.Server;
  let host: string;
  let wrongCerts: string;

  beforeAll(async () => {
    const cert = await makeCertificate(work);
    server = https.createServer({ key: readFileSync(cert.keyPath), cert: readFileSync(cert.certPath) }, (req, res) =>
      res.writeHead(req.url === '/_ping' ? 200 : 404, { 'api-version': '1.43' }).end('OK'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Readable client files that have nothing to do with this daemon.
    wrongCerts = join(work, 'certs-wrong');
    mkdirSync(wrongCerts);
    await selfSigned(join(wrongCerts, 'key.pem'), join(wrongCerts, 'cert.pem'), '/CN=someone-else');
    copyFileSync(join(wrongCerts, 'cert.pem'), join(wrongCerts, 'ca.pem'));
  }, 60_000);

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('says the certificate is not trusted and where the certificates should be', async () => {
    const line = await errorLine('docker-daemon:slim:latest', {
      DOCKER_HOST: host,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: wrongCerts,
    });
    expect(line).toBe(
      `error: docker-daemon:slim:latest: the Docker daemon at ${host} presented a certificate that is not trusted (self-signed certificate) ` +
        `(hint: ${wrongCerts} must hold ca.pem (the CA that signed the daemon certificate), cert.pem and key.pem ` +
        '(your client certificate) for this daemon: point DOCKER_CERT_PATH at the right folder)',
    );
  });

  it('names the certificate files it cannot read', async () => {
    const missing = join(work, 'no-such-certs');
    const line = await errorLine('docker-daemon:slim:latest', {
      DOCKER_HOST: host,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: missing,
    });
    expect(line).toBe(
      `error: docker-daemon:slim:latest: cannot verify the Docker daemon at ${host}: ca.pem, cert.pem, key.pem cannot be read in ${missing} ` +
        '(self-signed certificate) (hint: point DOCKER_CERT_PATH at the folder holding ca.pem (the CA that signed ' +
        'the daemon certificate), cert.pem and key.pem (your client certificate))',
    );
  });

  it('names a certificate file that is a FIFO, without waiting on it', async () => {
    // ca.pem was read with readFileSync: a FIFO held the run in open() for good, deaf to SIGINT.
    const fifos = join(work, 'fifo-certs');
    mkdirSync(fifos);
    for (const name of ['ca.pem', 'cert.pem', 'key.pem']) copyFileSync(join(wrongCerts, name), join(fifos, name));
    rmSync(join(fifos, 'ca.pem'));
    execFileSync('mkfifo', [join(fifos, 'ca.pem')]);
    const line = await errorLine('docker-daemon:slim:latest', {
      DOCKER_HOST: host,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: fifos,
    });
    expect(line).toBe(
      `error: docker-daemon:slim:latest: cannot verify the Docker daemon at ${host}: ca.pem cannot be read in ${fifos} ` +
        '(self-signed certificate) (hint: point DOCKER_CERT_PATH at the folder holding ca.pem (the CA that signed ' +
        'the daemon certificate), cert.pem and key.pem (your client certificate))',
    );
  });
});

describe('a daemon whose API answers are wrong', () => {
  let server: http.Server;
  let socket: string;

  beforeAll(async () => {
    socket = join(work, 'fake-docker.sock');
    server = http.createServer((req, res) => {
      const url = req.url ?? '';
      if (url === '/_ping') return void res.writeHead(200, { 'api-version': '1.43' }).end('OK');
      if (url === '/v1.43/images/notjson:latest/json') return void res.writeHead(200).end('<<not json>>');
      if (url === '/v1.43/images/null:latest/json') return void res.writeHead(200).end('null');
      if (url === '/v1.43/images/hang:latest/json') return; // never answers
      // Headers at once, then the body a byte every 100 ms: each byte resets an idle timeout.
      if (url === '/v1.43/images/drip:latest/json' || url === '/v1.43/images/dripexport:latest/get') {
        res.writeHead(200, { 'content-length': '100000' });
        const drip = setInterval(() => res.write(' '), 100);
        return void res.on('close', () => clearInterval(drip));
      }
      if (url === '/v1.43/images/dripexport:latest/json') return void res.writeHead(200).end(DESCRIPTION);
      // A description without end, as fast as it is taken.
      if (url === '/v1.43/images/endless:latest/json') {
        res.writeHead(200);
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        const more = (): void => {
          while (!res.destroyed) if (!res.write(chunk)) return void res.once('drain', more);
        };
        res.on('error', () => {});
        return more();
      }
      if (url === '/v1.43/images/err500:latest/json') {
        return void res.writeHead(500).end(JSON.stringify({ message: 'boom from daemon' }));
      }
      if (url === '/v1.43/images/export500:latest/json') return void res.writeHead(200).end(DESCRIPTION);
      if (url === '/v1.43/images/export500:latest/get') {
        return void res.writeHead(500).end(JSON.stringify({ message: 'boom from export' }));
      }
      // No Docker or Podman export holds more than the image asked for; this one holds two, as `docker save A B` does.
      if (url === '/v1.43/images/two:1/json') return void res.writeHead(200).end(DESCRIPTION);
      // Descriptions with a field of the wrong type: /images/bad-KEY:latest/json is a valid one with KEY replaced.
      const bad = /^\/v1\.43\/images\/bad-(\d+):latest\/json$/.exec(url);
      if (bad) return void res.writeHead(200).end(JSON.stringify(BAD_DESCRIPTIONS[Number(bad[1])][0]));
      // Exports whose manifest.json is wrong, after a valid description.
      const export_ = /^\/v1\.43\/images\/badexport-(\d+):latest\/(json|get)$/.exec(url);
      if (export_?.[2] === 'json') return void res.writeHead(200).end(DESCRIPTION);
      if (export_) {
        const manifest = BAD_EXPORTS[Number(export_[1])][0];
        return void packTar([{ name: 'manifest.json', content: manifest }]).then((tar) => res.writeHead(200).end(tar));
      }
      if (url === '/v1.43/images/two:1/get') return void res.writeHead(200).end(readFileSync(TWO_IMAGES));
      res.writeHead(404).end(JSON.stringify({ message: 'no such image' }));
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const daemon = (): string => `the Docker daemon at unix://${socket}`;
  const line = (name: string, timeoutMs?: number): Promise<string> =>
    errorLine(`docker-daemon:${name}`, { DOCKER_HOST: `unix://${socket}` }, timeoutMs);

  it.each(['notjson', 'null'])('an image description of %s names the daemon and the image, with a hint', async (n) => {
    expect(await line(`${n}:latest`)).toMatch(
      new RegExp(
        `^error: ${daemon()} answered the description of ${n}:latest with something that is not a JSON object: .+ ` +
          '\\(hint: check that DOCKER_HOST \\(or CONTAINER_HOST\\) points at a Docker or Podman API socket\\)$',
      ),
    );
  });

  // Regression: they were used as they came: `"Os": {"toString": 1}` (with --platform) or a hex name's `"RepoTags":
  // [{}]` surfaced as a JavaScript TypeError, `"Os": 5` was printed as the image's platform, and a hex name without an
  // Id was exported by that name, which can be another image (a repository so named).
  it.each(BAD_DESCRIPTIONS.map(([, problem], i) => [i, problem]))(
    'a description with a field of the wrong type (%i) names the field, the daemon and the image, with a hint',
    async (i, problem) => {
      const n = `bad-${i}:latest`;
      const error = await openImage(`docker-daemon:${n}`, {
        env: { HOME: work, DOCKER_HOST: `unix://${socket}` },
        platform: 'linux/arm64',
      }).then(
        () => new Error('opened'),
        (e: unknown) => e,
      );
      expect(formatError(error)).toBe(
        `error: ${daemon()} answered the description of ${n} with a malformed image description: ${problem} ` +
          '(hint: check that DOCKER_HOST (or CONTAINER_HOST) points at a Docker or Podman API socket, ' +
          `and whether \`docker image inspect ${n}\` shows the same)`,
      );
      expect((error as { exitCode?: number }).exitCode).toBe(2);
    },
  );

  it.each(BAD_EXPORTS.map(([manifest, message], i) => [i, manifest, message]))(
    'an export whose manifest.json is wrong (%i: %s) is one line with a hint about the daemon, not "save it again"',
    async (i, _manifest, message) => {
      const n = `badexport-${i}:latest`;
      const text = await line(n);
      expect(text).toMatch(/^error: [^\n]+$/);
      expect(text).toMatch(message as RegExp);
      expect(text).toMatch(
        new RegExp(
          `\\(hint: Docker and Podman export no such archive: see whether \`docker save ${n}\` writes the same, ` +
            'and check that DOCKER_HOST \\(or CONTAINER_HOST\\) points at a Docker or Podman API socket\\)$',
        ),
      );
    },
  );

  it('a description without end is cut past 16 MiB, naming the daemon and the image, with a hint', async () => {
    // It was read whole: the heap ran out.
    expect(await line('endless:latest')).toBe(
      `error: ${daemon()} answered over ${MAX_DAEMON_ANSWER_BYTES} bytes describing endless:latest, more than the ` +
        'Engine API answers (hint: check that DOCKER_HOST (or CONTAINER_HOST) points at a Docker or Podman API socket)',
    );
  });

  it('a description that never comes names the daemon and the image, with a hint', async () => {
    expect(await line('hang:latest', 1000)).toBe(
      `error: ${daemon()} did not answer within 1s describing hang:latest ` +
        '(hint: check that the daemon is running and not stuck, or raise --timeout)',
    );
  });

  // Regression: a daemon that sent its headers, then a byte a second, held `inspect --timeout 5` past a minute (the
  // registry client cut the same server).
  it('a description or an export that trickles in is cut after --timeout as too slow, naming the daemon', async () => {
    for (const [name, doing] of [
      ['drip:latest', 'describing drip:latest'],
      ['dripexport:latest', 'exporting dripexport:latest'],
    ]) {
      const started = Date.now();
      expect(await line(name, 1000)).toBe(
        `error: ${daemon()} is too slow ${doing} (the server sent less than 1024 bytes/s for 1s) ` +
          '(hint: check that the daemon is running and not stuck, or raise --timeout)',
      );
      expect(Date.now() - started).toBeLessThan(5000);
    }
  }, 20_000);

  it("a 500 while describing or exporting names the daemon and the image, with the daemon's message and a hint", async () => {
    expect(await line('err500:latest')).toBe(
      `error: ${daemon()} failed to describe err500:latest: boom from daemon ` +
        "(hint: that is the daemon's own error: see whether `docker image inspect err500:latest` fails too, and check the daemon's logs)",
    );
    expect(await line('export500:latest')).toBe(
      `error: ${daemon()} failed to export export500:latest: boom from export ` +
        "(hint: that is the daemon's own error: see whether `docker save export500:latest` fails too, and check the daemon's logs)",
    );
  });

  it('an export holding several images is told in daemon words: the tags to read another by, not an archive @N', async () => {
    const notes: string[] = [];
    const image = await openImage('docker-daemon:two:1', {
      env: { HOME: work, DOCKER_HOST: `unix://${socket}` },
      notice: (m) => notes.push(m),
    });
    await image.close();
    expect(notes).toEqual([
      'docker-daemon:two:1: the Docker daemon exported 2 images for it (test_image_2; test_image_1); showing test_image_2. ' +
        'Read another by its tag, as docker-daemon:NAME:TAG.',
    ]);
  });
});

describe('a daemon socket that accepts connections but never answers', () => {
  let server: net.Server;
  let socket: string;
  const connections = new Set<net.Socket>();

  beforeAll(async () => {
    socket = join(work, 'silent.sock');
    // Takes every connection and says nothing: a daemon stuck at start-up, or a socket that is not an Engine API.
    server = net.createServer((connection) => void connections.add(connection));
    await new Promise<void>((resolve) => server.listen(socket, resolve));
  });

  afterAll(async () => {
    for (const connection of connections) connection.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('says it accepted the connection but did not answer, not that it cannot be reached', async () => {
    const line = await errorLine('docker-daemon:slim:latest', { DOCKER_HOST: `unix://${socket}` });
    expect(line).toBe(
      `error: docker-daemon:slim:latest: the Docker daemon at unix://${socket} accepted the connection but did not answer within 5s ` +
        '(hint: the daemon may be starting or stuck: check it (`docker info`, its logs) and try again, ' +
        'or check that DOCKER_HOST points at its API socket)',
    );
  }, 30_000);

  it('a bare reference tells that the daemon did not answer, and the error after the registry says so too', async () => {
    // Given a silent Docker socket, no Podman, and a registry that refuses connections
    const notes: string[] = [];
    const env = { HOME: work, DOCKER_HOST: `unix://${socket}`, CONTAINER_HOST: `unix://${join(work, 'none.sock')}` };
    const error = await openImage('127.0.0.1:1/slim:latest', { env, notice: (m) => notes.push(m) }).then(
      () => new Error('opened'),
      (e: unknown) => e,
    );
    // Then the skip is told when it happens, not only implied by reading from the registry
    expect(notes).toEqual([
      `the Docker daemon at unix://${socket} accepted the connection but did not answer within 2s; not asking it for 127.0.0.1:1/slim:latest`,
    ]);
    // And the registry's error says the daemon did not answer, not that it lacks the image (it was never asked)
    const line = formatError(error);
    expect(line).toMatch(
      new RegExp(
        `^error: .*127\\.0\\.0\\.1:1.*, and the Docker daemon \\(unix://${socket}\\) did not answer \\(hint: `,
      ),
    );
    expect(line).not.toMatch(/has no image|docker images/);
  }, 30_000);

  it('still says it cannot reach a socket that is not there', async () => {
    const missing = join(work, 'no-such.sock');
    expect(await errorLine('docker-daemon:slim:latest', { DOCKER_HOST: `unix://${missing}` })).toMatch(
      new RegExp(
        `^error: docker-daemon:slim:latest: cannot reach the Docker daemon at unix://${missing} \\(hint: start Docker`,
      ),
    );
  });
});

describe('a daemon address ballast cannot use', () => {
  it('names the variable that set it, CONTAINER_HOST for Podman and DOCKER_HOST for Docker', async () => {
    // Given Podman's remote-machine address, an ssh:// URL, in CONTAINER_HOST
    const podman = await errorLine('podman:app:1', { CONTAINER_HOST: 'ssh://core@127.0.0.1:1/run/podman/podman.sock' });
    // Then the line blames CONTAINER_HOST, not a DOCKER_HOST that was never set
    expect(podman).toBe(
      'error: unsupported daemon address "ssh://core@127.0.0.1:1/run/podman/podman.sock" in CONTAINER_HOST (hint: use unix:///path/to/podman.sock or tcp://host:port in CONTAINER_HOST (ssh:// and npipe:// are not supported))',
    );
    const docker = await errorLine('docker-daemon:app:1', { DOCKER_HOST: 'ssh://me@127.0.0.1' });
    expect(docker).toBe(
      'error: unsupported daemon address "ssh://me@127.0.0.1" in DOCKER_HOST (hint: use unix:///path/to/docker.sock or tcp://host:port in DOCKER_HOST (ssh:// and npipe:// are not supported))',
    );
  });

  it('reads a DOCKER_HOST without a scheme as tcp, as the docker CLI does, so a bare socket path is refused with the fix', async () => {
    // Given a host and port alone: the docker CLI reads tcp://127.0.0.1:1
    expect(await errorLine('docker-daemon:app:1', { DOCKER_HOST: '127.0.0.1:1' })).toMatch(
      /^error: docker-daemon:app:1: cannot reach the Docker daemon at tcp:\/\/127\.0\.0\.1:1 \(hint:/,
    );
    // Given a socket path alone: the docker CLI reads tcp://localhost:2375/PATH, never the socket
    const socket = join(work, 'docker.sock');
    expect(await errorLine('docker-daemon:app:1', { DOCKER_HOST: socket })).toBe(
      `error: DOCKER_HOST "${socket}" has no scheme, so Docker reads it as tcp://localhost:2375${socket}, not as a socket (hint: write unix://${socket} in DOCKER_HOST)`,
    );
  });
});

describe('an address where something else answers HTTP', () => {
  let server: http.Server;
  let socket: string;

  beforeAll(async () => {
    socket = join(work, 'not-engine.sock');
    // A web server, a registry or a metrics endpoint: it answers, but /_ping is no page of its.
    server = http.createServer((_req, res) => res.writeHead(404).end('404 page not found\n'));
    await new Promise<void>((resolve) => server.listen(socket, resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('says what answered and how, not that nothing could be reached', async () => {
    const line = await errorLine('docker-daemon:slim:latest', { DOCKER_HOST: `unix://${socket}` });
    expect(line).toBe(
      `error: docker-daemon:slim:latest: the Docker daemon at unix://${socket} answered /_ping with HTTP 404, as no Docker or Podman API does ` +
        '(hint: check that DOCKER_HOST points at the API socket of Docker)',
    );
    const podman = await errorLine('podman:slim:latest', { CONTAINER_HOST: `unix://${socket}` });
    expect(podman).toContain('(hint: check that CONTAINER_HOST points at the API socket of Podman)');
  });

  it('a daemon failing its own health check (HTTP 500 on /_ping) is told to be checked, not re-addressed', async () => {
    const sick = join(work, 'sick.sock');
    const failing = http.createServer((_req, res) => res.writeHead(500).end('{"message":"storage broken"}'));
    await new Promise<void>((resolve) => failing.listen(sick, resolve));
    try {
      expect(await errorLine('docker-daemon:slim:latest', { DOCKER_HOST: `unix://${sick}` })).toBe(
        `error: docker-daemon:slim:latest: the Docker daemon at unix://${sick} answered /_ping with HTTP 500 ` +
          '(hint: the daemon reports itself unhealthy: check it (`docker info`, its logs) and try again)',
      );
    } finally {
      await new Promise((resolve) => failing.close(resolve));
    }
  });
});
