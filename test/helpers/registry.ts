// Real registries for the tests: Debian's docker-registry (CNCF distribution 2.8) on 127.0.0.1 with an
// ephemeral port and a temp dir, and images pushed with skopeo (the fault-injecting proxy that goes in front of
// it is in fault-proxy.ts). Everything is stopped by PID.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import tarStream from 'tar-stream';

const run = promisify(execFile);

/** A port that was free a moment ago on 127.0.0.1 (for servers that cannot report their own port). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000}s`);
}

export function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.setTimeout(2000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Stops a child we started, by its PID, and waits for it to exit. */
export async function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(
    () => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'),
    timeoutMs,
  );
  await exited;
  clearTimeout(timer);
}

export type RegistryAuth =
  | { kind: 'htpasswd'; username: string; password: string }
  | { kind: 'token'; realm: string; service: string; issuer: string; certPath: string };

export interface Registry {
  /** `127.0.0.1:PORT` */
  host: string;
  dir: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startRegistry(
  auth?: RegistryAuth,
  tls?: { certPath: string; keyPath: string },
): Promise<Registry> {
  const dir = await mkdtemp(join(tmpdir(), 'ballast-registry-'));
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    'http:',
    `  addr: 127.0.0.1:${port}`,
  ];
  if (tls) lines.push('  tls:', `    certificate: ${tls.certPath}`, `    key: ${tls.keyPath}`);
  if (auth?.kind === 'htpasswd') {
    const { stdout } = await run('htpasswd', ['-Bbn', auth.username, auth.password]);
    await writeFile(join(dir, 'htpasswd'), stdout);
    lines.push('auth:', '  htpasswd:', '    realm: ballast-test', `    path: ${join(dir, 'htpasswd')}`);
  } else if (auth?.kind === 'token') {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${auth.realm}`,
      `    service: ${auth.service}`,
      `    issuer: ${auth.issuer}`,
      `    rootcertbundle: ${auth.certPath}`,
    );
  }
  await writeFile(join(dir, 'config.yml'), `${lines.join('\n')}\n`);
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const host = `127.0.0.1:${port}`;
  try {
    const ready = tls
      ? async () => (await httpStatus(`http://${host}/v2/`)) === 400
      : async () => [200, 401].includes(await httpStatus(`http://${host}/v2/`));
    await waitFor(ready, `docker-registry on ${host}`, 20_000);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${(error as Error).message}: ${stderr}`);
  }
  return {
    host,
    dir,
    pid: child.pid!,
    stop: async () => {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `openssl req -x509`: a new RSA key and a self-signed certificate for `subject`, valid two days. */
export async function selfSigned(
  keyPath: string,
  certPath: string,
  subject: string,
  extra: string[] = [],
): Promise<void> {
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    subject,
    ...extra,
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
}

/** A self-signed certificate for 127.0.0.1 (and localhost), written into `dir`. */
export async function makeCertificate(dir: string): Promise<{ certPath: string; keyPath: string }> {
  const certPath = join(dir, 'registry-cert.pem');
  const keyPath = join(dir, 'registry-key.pem');
  await selfSigned(keyPath, certPath, '/CN=127.0.0.1', ['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']);
  return { certPath, keyPath };
}

/** `skopeo copy` into a test registry over plain HTTP. */
export async function skopeoCopy(
  source: string,
  destination: string,
  options: { creds?: string; all?: boolean; format?: 'v2s2' | 'oci' } = {},
): Promise<void> {
  const args = ['copy', '-q', '--dest-tls-verify=false', '--preserve-digests'];
  if (options.all) args.push('--all');
  if (options.creds) args.push('--dest-creds', options.creds);
  if (options.format) {
    args.splice(args.indexOf('--preserve-digests'), 1);
    args.push('--format', options.format);
  }
  args.push(source, destination);
  await run('skopeo', args, {
    env: { ...process.env, REGISTRY_AUTH_FILE: join(tmpdir(), 'ballast-no-such-auth.json') },
    timeout: 120_000,
  });
}

// The fault-injecting proxy lives in fault-proxy.ts; re-exported for the tests that import it from here.
export { startProxy, type Fault, type Proxy, type RecordedRequest } from './fault-proxy.js';

function sha(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const [name, content] of Object.entries(files)) pack.entry({ name, mtime: new Date(0), mode: 0o644 }, content);
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export interface BuiltImage {
  platform: string;
  manifestDigest: string;
  configDigest: string;
  layerDigests: string[];
  diffIds: string[];
}

/**
 * Writes an OCI layout holding an index of small single-layer images, one per platform (`linux/amd64`,
 * `linux/arm64`, ...), each with a file naming its platform. Returns what the index holds.
 */
export async function writeMultiPlatformLayout(
  dir: string,
  platforms: string[],
): Promise<{ indexDigest: string; images: BuiltImage[] }> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = async (data: Buffer): Promise<string> => {
    const digest = sha(data);
    await writeFile(join(dir, 'blobs', 'sha256', digest.slice(7)), data);
    return digest;
  };
  const images: BuiltImage[] = [];
  const descriptors: object[] = [];
  for (const platform of platforms) {
    const [os, architecture, variant] = platform.split('/');
    const tar = await tarOf({
      'etc/platform': `${platform}\n`,
      [`opt/${architecture}/payload.txt`]: `${architecture} `.repeat(500),
    });
    const layer = gzipSync(tar);
    const layerDigest = await put(layer);
    const config = Buffer.from(
      JSON.stringify({
        architecture,
        os,
        ...(variant ? { variant } : {}),
        created: '2025-01-01T00:00:00Z',
        config: { Cmd: ['/bin/sh'] },
        rootfs: { type: 'layers', diff_ids: [sha(tar)] },
        history: [{ created: '2025-01-01T00:00:00Z', created_by: `COPY ${architecture} / # test` }],
      }),
    );
    const configDigest = await put(config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
      }),
    );
    const manifestDigest = await put(manifest);
    descriptors.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: manifestDigest,
      size: manifest.length,
      platform: { os, architecture, ...(variant ? { variant } : {}) },
    });
    images.push({ platform, manifestDigest, configDigest, layerDigests: [layerDigest], diffIds: [sha(tar)] });
  }
  const index = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: descriptors }),
  );
  const indexDigest = await put(index);
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.index.v1+json',
          digest: indexDigest,
          size: index.length,
          annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        },
      ],
    }),
  );
  return { indexDigest, images };
}
