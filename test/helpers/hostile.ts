// Builders for hostile and broken images: raw tar headers written byte by byte (so a test can make a header lie,
// carry NUL or invalid UTF-8, or declare 100 GB), and OCI layouts from raw blobs with any manifest, config or index,
// right or wrong. Everything is written into a temp dir the caller removes.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BLOCK = 512;
export const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface RawEntry {
  /** Bytes or text of the name; longer than 100 bytes goes into a PAX `path` record. */
  name: string | Buffer;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  content?: Buffer | string;
  /** The size the header claims (default: the content's length). */
  declaredSize?: number;
  linkname?: string | Buffer;
  /** Extra PAX records written before the header (e.g. the `GNU.sparse.*` records of a PAX 1.0 sparse file). */
  pax?: Record<string, string>;
}

const TYPEFLAG = { file: '0', hardlink: '1', symlink: '2', dir: '5' } as const;

function octal(buf: Buffer, offset: number, length: number, value: number): void {
  buf.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'latin1');
}

/** One 512-byte ustar header. Sizes past the 11-digit octal limit are written base-256 (GNU), as real tars do. */
export function tarHeader(name: Buffer, typeflag: string, size: number, linkname: Buffer = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(BLOCK);
  name.copy(h, 0, 0, Math.min(100, name.length));
  octal(h, 100, 8, typeflag === '5' ? 0o755 : 0o644);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  if (size > 0o77777777777) {
    h[124] = 0x80;
    let v = size;
    for (let i = 135; i > 124; i--) {
      h[i] = v % 256;
      v = Math.floor(v / 256);
    }
  } else octal(h, 124, 12, size);
  octal(h, 136, 12, 0);
  h.write(typeflag, 156, 1, 'latin1');
  linkname.copy(h, 157, 0, Math.min(100, linkname.length));
  h.write('ustar\0', 257, 6, 'latin1');
  h.write('00', 263, 2, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return h;
}

const pad = (n: number): Buffer => Buffer.alloc((BLOCK - (n % BLOCK)) % BLOCK);

/** One PAX record, `LEN key=value\n`, its length counting its own digits. */
export function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length = String(length).length + body.length;
  return Buffer.concat([Buffer.from(String(length)), body]);
}

/** The bytes of one entry: a PAX header when the name or link is long, the header, the content and its padding. */
export function tarEntry(entry: RawEntry): Buffer {
  const name = Buffer.isBuffer(entry.name) ? entry.name : Buffer.from(entry.name, 'latin1');
  const link =
    entry.linkname === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(entry.linkname)
        ? entry.linkname
        : Buffer.from(entry.linkname, 'latin1');
  const content = entry.content === undefined ? Buffer.alloc(0) : Buffer.from(entry.content);
  const parts: Buffer[] = [];
  const records: Buffer[] = [];
  if (name.length > 100) records.push(paxRecord('path', name));
  if (link.length > 100) records.push(paxRecord('linkpath', link));
  for (const [key, value] of Object.entries(entry.pax ?? {}))
    records.push(paxRecord(key, Buffer.from(value, 'latin1')));
  if (records.length) {
    const pax = Buffer.concat(records);
    parts.push(tarHeader(Buffer.from('PaxHeader'), 'x', pax.length), pax, pad(pax.length));
  }
  parts.push(
    tarHeader(name, TYPEFLAG[entry.type ?? 'file'], entry.declaredSize ?? content.length, link),
    content,
    pad(content.length),
  );
  return Buffer.concat(parts);
}

export const END = Buffer.alloc(2 * BLOCK);

/**
 * An old-GNU sparse entry (typeflag `S`): `stored` bytes of data at offset 0, then holes up to `realSize`. The
 * archive holds a block or two whatever `realSize` says; a reader expands the holes to zeros.
 */
export function gnuSparseEntry(name: string, realSize: number, stored = 'x'): Buffer {
  const header = tarHeader(Buffer.from(name, 'latin1'), 'S', stored.length);
  octal(header, 386, 12, 0); // region 0: offset
  octal(header, 398, 12, stored.length); // region 0: length
  octal(header, 483, 12, realSize); // the file's real (expanded) size
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return Buffer.concat([header, Buffer.from(stored, 'latin1'), pad(stored.length)]);
}

/** A PAX 1.0 sparse entry (GNU tar's default today): the map starts the data, one region of `stored` at 0. */
export function pax1SparseEntry(name: string, realSize: number, stored = 'y'): Buffer {
  const map = Buffer.from(`1\n0\n${stored.length}\n`);
  const content = Buffer.concat([map, pad(map.length), Buffer.from(stored, 'latin1')]);
  return tarEntry({
    name: `GNUSparseFile.0/${name}`,
    content,
    pax: {
      'GNU.sparse.major': '1',
      'GNU.sparse.minor': '0',
      'GNU.sparse.name': name,
      'GNU.sparse.realsize': String(realSize),
    },
  });
}

/** A whole tar: the entries and the end-of-archive marker. */
export function rawTar(entries: RawEntry[]): Buffer {
  return Buffer.concat([...entries.map(tarEntry), END]);
}

export interface LayoutParts {
  /** Stored layer blobs (gzip, zstd or plain tar: sniffed by content, as ballast does). */
  layers: Buffer[];
  /** The layers' media types (default: tar+gzip). */
  layerTypes?: string[];
  /** diff_ids for the config (default: sha256 of each blob, right for plain tars only; tests that verify pass them). */
  diffIds?: string[];
  /** Replaces the config document (an object is serialised; a Buffer is written as is). */
  config?: object | Buffer;
  /** Edits the manifest object before it is written, or replaces it with raw bytes. */
  manifest?: ((m: Record<string, unknown>) => unknown) | Buffer;
  /** Edits index.json (object) before it is written, or replaces it with raw bytes. */
  index?: ((i: Record<string, unknown>, manifestDescriptor: Record<string, unknown>) => unknown) | Buffer;
}

export interface Layout {
  dir: string;
  /** Writes a blob into blobs/sha256 and returns its digest. */
  put(data: Buffer): string;
  blobFile(digest: string): string;
  layerDigests: string[];
  configDigest: string;
  manifestDigest: string;
  cleanup(): void;
}

/** An OCI layout directory made of exactly these parts, in a new temp dir. */
export function writeLayout(parts: LayoutParts): Layout {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-hostile-'));
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const blobFile = (digest: string) => join(blobs, digest.slice(7));
  const put = (data: Buffer) => {
    const d = sha(data);
    writeFileSync(blobFile(d), data);
    return d;
  };
  const layerDigests = parts.layers.map(put);
  const diffIds = parts.diffIds ?? layerDigests;
  const configDoc = Buffer.isBuffer(parts.config)
    ? parts.config
    : Buffer.from(
        JSON.stringify(
          parts.config ?? {
            architecture: 'amd64',
            os: 'linux',
            config: {},
            rootfs: { type: 'layers', diff_ids: diffIds },
            history: [],
          },
        ),
      );
  const configDigest = put(configDoc);
  const manifestObject = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: configDoc.length },
    layers: parts.layers.map((blob, i) => ({
      mediaType: parts.layerTypes?.[i] ?? 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: layerDigests[i],
      size: blob.length,
    })),
  };
  const manifest = Buffer.isBuffer(parts.manifest)
    ? parts.manifest
    : Buffer.from(JSON.stringify(parts.manifest ? parts.manifest(manifestObject) : manifestObject));
  const manifestDigest = put(manifest);
  const descriptor = {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: manifestDigest,
    size: manifest.length,
  };
  const indexObject = { schemaVersion: 2, manifests: [descriptor] };
  const index = Buffer.isBuffer(parts.index)
    ? parts.index
    : Buffer.from(JSON.stringify(parts.index ? parts.index(indexObject, descriptor) : indexObject));
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(join(dir, 'index.json'), index);
  return {
    dir,
    put,
    blobFile,
    layerDigests,
    configDigest,
    manifestDigest,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
