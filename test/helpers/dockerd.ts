// A private Docker daemon for the tests: Debian's dockerd with its own data-root, exec-root, pidfile and
// unix socket in a temp dir, no bridge and no iptables, so it touches no network and no other daemon.
// Optionally also on tcp://127.0.0.1 with mutual TLS (a test-made CA), as DOCKER_TLS_VERIFY setups are.
// Stopped by its PID; the temp dir is removed afterwards.
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, selfSigned, stopChild, waitFor } from './registry.js';

const run = promisify(execFile);

export interface Dockerd {
  /** `unix:///tmp/.../docker.sock` */
  host: string;
  /** `tcp://127.0.0.1:PORT` with mutual TLS, when started with `tls: true`. */
  tcpHost?: string;
  /** DOCKER_CERT_PATH for the TCP endpoint: ca.pem, cert.pem, key.pem of a client the daemon trusts. */
  certPath?: string;
  socket: string;
  pid: number;
  /** Runs the docker CLI against this daemon. */
  docker(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Whether a Docker-compatible API answers `/_ping` on this unix socket (dockerd and podman's service alike). */
export function pingSocket(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath: socket, path: '/_ping' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.setTimeout(1000, () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, as `docker --tlsverify` expects them. */
async function makeTlsFiles(dir: string): Promise<{ server: string[]; clientDir: string }> {
  const ssl = async (...args: string[]): Promise<void> => {
    await run('openssl', args, { cwd: dir });
  };
  const clientDir = join(dir, 'client');
  await mkdir(clientDir);
  await selfSigned(join(dir, 'ca-key.pem'), join(dir, 'ca.pem'), '/CN=ballast-test-ca');
  await writeFile(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  await writeFile(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, subject] of [
    ['server', '/CN=127.0.0.1'],
    ['client', '/CN=ballast-test-client'],
  ]) {
    await ssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      `${name}-key.pem`,
      '-out',
      `${name}.csr`,
    );
    await ssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}-cert.pem`,
    );
  }
  await copyFile(join(dir, 'ca.pem'), join(clientDir, 'ca.pem'));
  await copyFile(join(dir, 'client-cert.pem'), join(clientDir, 'cert.pem'));
  await copyFile(join(dir, 'client-key.pem'), join(clientDir, 'key.pem'));
  return {
    server: [
      '--tlsverify',
      '--tlscacert',
      join(dir, 'ca.pem'),
      '--tlscert',
      join(dir, 'server-cert.pem'),
      '--tlskey',
      join(dir, 'server-key.pem'),
    ],
    clientDir,
  };
}

/** `experimental`: features such as the classic builder's `--squash`. */
export async function startDockerd(options: { tls?: boolean; experimental?: boolean } = {}): Promise<Dockerd> {
  const dir = await mkdtemp(join(tmpdir(), 'ballast-dockerd-'));
  const socket = join(dir, 'docker.sock');
  let tcpHost: string | undefined;
  let certPath: string | undefined;
  const extra: string[] = [];
  if (options.tls) {
    const tls = await makeTlsFiles(dir);
    tcpHost = `tcp://127.0.0.1:${await freePort()}`;
    certPath = tls.clientDir;
    extra.push('--host', tcpHost, ...tls.server);
  }
  if (options.experimental) extra.push('--experimental');
  const child = spawn(
    'dockerd',
    [
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      join(dir, 'exec'),
      '--pidfile',
      join(dir, 'dockerd.pid'),
      '--host',
      `unix://${socket}`,
      '--bridge=none',
      '--iptables=false',
      '--ip6tables=false',
      '--ip-forward=false',
      '--ip-masq=false',
      ...extra,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  try {
    await waitFor(() => pingSocket(socket), `dockerd at ${socket}`, 60_000);
  } catch (error) {
    await stopChild(child, 20_000);
    await rm(dir, { recursive: true, force: true }).catch(() => {});
    throw new Error(`${(error as Error).message}; log: ${log}`);
  }
  const host = `unix://${socket}`;
  return {
    host,
    tcpHost,
    certPath,
    socket,
    pid: child.pid!,
    docker: async (...args) => (await run('docker', ['--host', host, ...args], { timeout: 120_000 })).stdout,
    stop: async () => {
      await stopChild(child, 30_000);
      await unmountBelow(dir);
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    },
  };
}

/**
 * Unmounts what a dockerd left mounted below `dir` (it bind-mounts its data root onto itself, and a daemon killed with
 * SIGKILL, as the fault tests do, never unmounts it), deepest first, so the folder can be removed.
 */
async function unmountBelow(dir: string): Promise<void> {
  const mounts = (await readFile('/proc/mounts', 'utf8').catch(() => ''))
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((point) => point === dir || point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) await run('umount', ['-l', point]).catch(() => {});
}
