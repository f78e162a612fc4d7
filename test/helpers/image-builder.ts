// Builds small images in memory with tar-stream, for analysis and rule tests: layers from `{path: spec}` maps
// (size, content, directory, symlink, hardlink, whiteout, opaque marker), written as an OCI layout directory
// in a temp dir or as a docker-archive tar. Every digest and diff_id is real, so the images open through the
// normal sources and verify.
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { packTar, type TarEntry } from './tar.js';

export type EntrySpec =
  | number
  | string
  | Buffer
  | { kind: 'dir'; mode?: number }
  | { kind: 'symlink'; target: string }
  | { kind: 'hardlink'; target: string; mode?: number; uid?: number; gid?: number; mtime?: Date }
  | { kind: 'whiteout' }
  | { kind: 'opaque' }
  | {
      kind: 'special';
      type: 'character-device' | 'block-device' | 'fifo';
      mode?: number;
      device?: { major: number; minor: number };
    }
  | {
      kind: 'file';
      content?: string | Buffer;
      size?: number;
      mode?: number;
      uid?: number;
      gid?: number;
      mtime?: Date;
      xattrs?: Record<string, string>;
    };

export const DIR = { kind: 'dir' } as const;
export const WHITEOUT = { kind: 'whiteout' } as const;
export const OPAQUE = { kind: 'opaque' } as const;
export const symlink = (target: string) => ({ kind: 'symlink', target }) as const;
/**
 * A device node or FIFO. tar-stream, like most tar writers, stores only the permission bits in the mode: the type is
 * the header's typeflag alone. `device`: a device's major and minor numbers (0,0 when not given).
 */
export const special = (
  type: 'character-device' | 'block-device' | 'fifo',
  mode = 0o644,
  device?: { major: number; minor: number },
) => ({ kind: 'special', type, mode, ...(device ? { device } : {}) }) as const;
/**
 * A second name for `target`. A tar gives every name of an inode its mode and owner, so a test that gives the
 * file a mode gives the link the same one; like a file, 0644 when none is given.
 */
export const hardlink = (target: string, extra: { mode?: number; uid?: number; gid?: number; mtime?: Date } = {}) =>
  ({ kind: 'hardlink', target, ...extra }) as const;
export const file = (
  content: string | Buffer | number,
  extra: { mode?: number; uid?: number; gid?: number; mtime?: Date; xattrs?: Record<string, string> } = {},
) =>
  typeof content === 'number'
    ? ({ kind: 'file', size: content, ...extra } as const)
    : ({ kind: 'file', content, ...extra } as const);

export interface LayerSpec {
  /** Path -> spec, in tar order. Whiteouts: `dir/.wh.name` with WHITEOUT; opaque: `dir/.wh..wh..opq` with OPAQUE. */
  entries: Record<string, EntrySpec> | [string, EntrySpec][];
  /** The history line for this layer (default `RUN layer N`). */
  createdBy?: string;
}

export function layer(entries: LayerSpec['entries'], createdBy?: string): LayerSpec {
  return { entries, createdBy };
}

/** Deterministic bytes for a size-only file: different paths give different content. */
export function filler(path: string, size: number): Buffer {
  const seed = createHash('sha256').update(path).digest();
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = seed[i % 32] ^ (i & 0xff);
  return out;
}

export async function layerTar(spec: LayerSpec): Promise<Buffer> {
  const list = Array.isArray(spec.entries) ? spec.entries : Object.entries(spec.entries);
  return packTar(
    list.map(([name, s]): TarEntry => {
      if (typeof s === 'number' || typeof s === 'string' || Buffer.isBuffer(s)) {
        return { name, type: 'file', content: typeof s === 'number' ? filler(name, s) : Buffer.from(s) };
      }
      switch (s.kind) {
        case 'file':
          return {
            name,
            type: 'file',
            content: s.content !== undefined ? Buffer.from(s.content) : filler(name, s.size ?? 0),
            mode: s.mode,
            uid: s.uid,
            gid: s.gid,
            mtime: s.mtime,
            ...(s.xattrs
              ? { pax: Object.fromEntries(Object.entries(s.xattrs).map(([k, v]) => [`SCHILY.xattr.${k}`, v])) }
              : {}),
          };
        case 'dir':
          return { name, type: 'directory', mode: s.mode };
        case 'symlink':
          return { name, type: 'symlink', linkname: s.target };
        case 'special':
          return {
            name,
            type: s.type,
            mode: s.mode ?? 0o644,
            ...(s.device ? { devmajor: s.device.major, devminor: s.device.minor } : {}),
          };
        case 'hardlink':
          // (packTar's default for an entry without content is a directory's 0755.)
          return {
            name,
            type: 'link',
            linkname: s.target,
            mode: s.mode ?? 0o644,
            uid: s.uid,
            gid: s.gid,
            mtime: s.mtime,
          };
        default:
          // Whiteout and opaque markers are empty regular files.
          return { name, type: 'file', content: Buffer.alloc(0), mode: 0o644 };
      }
    }),
  );
}

export interface BuiltImage {
  path: string;
  diffIds: string[];
  cleanup(): void;
}

export interface BuildOptions {
  /** Layer blobs gzip-compressed (OCI only; default true). */
  gzip?: boolean;
  /** Extra history entries: `empty` steps inserted before layer i (`{before: i, createdBy}`). */
  emptySteps?: { before: number; createdBy: string }[];
  /** The container config (User, Env, Entrypoint, Cmd, Labels ...); default `{}`. */
  config?: Record<string, unknown>;
  /** The config's os/architecture[/variant]; default linux/amd64. */
  platform?: string;
  /** Top-level config fields beside the container config (`created`, `author`, `os.version` ...); default none. */
  image?: Record<string, unknown>;
  /** Manifest annotations (OCI layout only). */
  annotations?: Record<string, string>;
  /** RepoTags (docker archive only); default `['test:latest']`. */
  repoTags?: string[];
}

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function configFor(
  layers: LayerSpec[],
  tars: Buffer[],
  options: BuildOptions,
): Promise<{ config: Buffer; diffIds: string[] }> {
  const diffIds = tars.map(sha);
  const history: { created_by: string; empty_layer?: boolean }[] = [];
  layers.forEach((l, i) => {
    for (const e of options.emptySteps ?? [])
      if (e.before === i) history.push({ created_by: e.createdBy, empty_layer: true });
    history.push({ created_by: l.createdBy ?? `/bin/sh -c layer ${i}` });
  });
  const [os, architecture, variant] = (options.platform ?? 'linux/amd64').split('/');
  const config = Buffer.from(
    JSON.stringify({
      architecture,
      os,
      ...(variant ? { variant } : {}),
      ...options.image,
      config: options.config ?? {},
      rootfs: { type: 'layers', diff_ids: diffIds },
      history,
    }),
  );
  return { config, diffIds };
}

/** An OCI image layout directory (index.json -> manifest -> config + layers), ref name `latest`. */
export async function buildOciLayout(layers: LayerSpec[], options: BuildOptions = {}): Promise<BuiltImage> {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-img-'));
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (data: Buffer) => {
    const d = sha(data);
    writeFileSync(join(blobs, d.slice(7)), data);
    return d;
  };
  const tars = await Promise.all(layers.map(layerTar));
  const { config, diffIds } = await configFor(layers, tars, options);
  const gzip = options.gzip !== false;
  const layerDescs = tars.map((t) => {
    const blob = gzip ? gzipSync(t) : t;
    return {
      mediaType: `application/vnd.oci.image.layer.v1.tar${gzip ? '+gzip' : ''}`,
      digest: put(blob),
      size: blob.length,
    };
  });
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: put(config), size: config.length },
      layers: layerDescs,
      ...(options.annotations ? { annotations: options.annotations } : {}),
    }),
  );
  const md = put(manifest);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: md,
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        },
      ],
    }),
  );
  return { path: dir, diffIds, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A docker-archive (`docker save` <= 24 layout: manifest.json, config, `<n>/layer.tar`). */
export async function buildDockerArchive(layers: LayerSpec[], options: BuildOptions = {}): Promise<BuiltImage> {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-img-'));
  const tars = await Promise.all(layers.map(layerTar));
  const { config, diffIds } = await configFor(layers, tars, options);
  const configName = `${sha(config).slice(7)}.json`;
  const names = tars.map((_, i) => `${i}/layer.tar`);
  const manifest = JSON.stringify([
    { Config: configName, RepoTags: options.repoTags ?? ['test:latest'], Layers: names },
  ]);
  const archive = await packTar([
    { name: configName, type: 'file', content: config },
    ...tars.map((tar, i): TarEntry => ({ name: names[i], type: 'file', content: tar })),
    { name: 'manifest.json', type: 'file', content: manifest },
  ]);
  const path = join(dir, 'image.tar');
  writeFileSync(path, archive);
  return { path, diffIds, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
