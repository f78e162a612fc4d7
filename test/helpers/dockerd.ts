// A private Docker daemon for the tests: Debian's dockerd with its own data-root, exec-root, pidfile and
// unix socket in a temp dir, no bridge and no iptables, so it touches no network and no other daemon.
// Stopped by its PID; the temp dir is removed afterwards.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stopChild, waitFor } from './registry.js';

const run = promisify(execFile);

export interface Dockerd {
  /** `unix:///tmp/.../docker.sock` */
  host: string;
  socket: string;
  pid: number;
  /** Runs the docker CLI against this daemon. */
  docker(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath: socket, path: '/_ping' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.setTimeout(1000, () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

export async function startDockerd(): Promise<Dockerd> {
  const dir = await mkdtemp(join(tmpdir(), 'ballast-dockerd-'));
  const socket = join(dir, 'docker.sock');
  const child = spawn(
    'dockerd',
    [
      '--data-root', join(dir, 'data'),
      '--exec-root', join(dir, 'exec'),
      '--pidfile', join(dir, 'dockerd.pid'),
      '--host', `unix://${socket}`,
      '--bridge=none', '--iptables=false', '--ip6tables=false', '--ip-forward=false', '--ip-masq=false',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  try {
    await waitFor(() => ping(socket), `dockerd at ${socket}`, 60_000);
  } catch (error) {
    await stopChild(child, 20_000);
    await rm(dir, { recursive: true, force: true }).catch(() => {});
    throw new Error(`${(error as Error).message}; log: ${log}`);
  }
  const host = `unix://${socket}`;
  return {
    host,
    socket,
    pid: child.pid!,
    docker: async (...args) => (await run('docker', ['--host', host, ...args], { timeout: 120_000 })).stdout,
    stop: async () => {
      await stopChild(child, 30_000);
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    },
  };
}
