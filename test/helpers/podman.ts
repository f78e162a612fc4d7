// A private Podman API service for the tests: `podman system service` on a unix socket in a temp dir,
// with its own storage root (vfs) and run root, so it shares nothing with any other Podman on the machine.
// The socket sits where rootless Podman puts it ($XDG_RUNTIME_DIR/podman/podman.sock). Stopped by its PID.
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pingSocket } from './dockerd.js';
import { stopChild, waitFor } from './registry.js';

const run = promisify(execFile);

export interface PodmanService {
  /** Use as XDG_RUNTIME_DIR: the socket is `<runtimeDir>/podman/podman.sock`. */
  runtimeDir: string;
  socket: string;
  pid: number;
  /** Runs the podman CLI on this service's storage. */
  podman(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startPodmanService(): Promise<PodmanService> {
  // podman refuses a --runroot longer than 50 characters: a short name, as the test run's TMPDIR is a folder in /tmp.
  const dir = await mkdtemp(join(tmpdir(), 'pm-'));
  const runtimeDir = join(dir, 'xdg');
  await mkdir(join(runtimeDir, 'podman'), { recursive: true });
  await mkdir(join(dir, 'tmp'));
  const socket = join(runtimeDir, 'podman', 'podman.sock');
  const global = [
    '--root',
    join(dir, 'root'),
    '--runroot',
    join(dir, 'run'),
    '--storage-driver',
    'vfs',
    '--events-backend',
    'file',
    '--cgroup-manager',
    'cgroupfs',
    '--tmpdir',
    join(dir, 'tmp'),
  ];
  const child = spawn('podman', [...global, 'system', 'service', '--time=0', `unix://${socket}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  try {
    await waitFor(() => pingSocket(socket), `podman service at ${socket}`, 30_000);
  } catch (error) {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}; log: ${log}`);
  }
  return {
    runtimeDir,
    socket,
    pid: child.pid!,
    podman: async (...args) => (await run('podman', [...global, ...args], { timeout: 120_000 })).stdout,
    stop: async () => {
      await stopChild(child, 20_000);
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    },
  };
}
