// Turns the small core a source knows (raw config, raw manifest if any, and how to open each layer blob)
// into a full Image. Digest checks, config parsing, diffId <-> digest mapping and compression sniffing
// are written once, here, for every source.
import { Readable } from 'node:stream';
import { SourceError, parseDocument } from '../errors.js';
import { decompressStream } from './compression.js';
import { SHA256_OF, isDigest, verified, sha256, shortDigest, sizeMismatch, type SelfHashing } from './digest.js';
import { jsonKind, platformFieldProblem } from './manifest-shape.js';
import { digestStream, firstBytes, readHead } from './streams.js';
import { MediaTypes, isEncryptedLayerType, isTarLayerType, layerTypeFor, sniffCompression } from './media-types.js';
import type { FileRange } from '../sources/files.js';
import type {
  ConfigFile,
  Descriptor,
  Digest,
  DigestSource,
  Image,
  ImageRef,
  Layer,
  LayerDownload,
  Manifest,
  StoredFile,
} from './types.js';

export interface LayerCore {
  /** The descriptor from a real manifest, when the source has one. */
  descriptor?: Descriptor;
  /** A digest the source knows from a file name (crane's `<hex>.tar.gz`); still verified on read. */
  digestHint?: Digest;
  /** Opens the stored bytes. Undefined when the blob is not in the source (foreign layers). */
  open?: () => Readable | Promise<Readable>;
  /** Stored byte count, when the source knows it without reading. */
  storedSize?: () => Promise<number>;
  /** The first bytes of the stored blob, for sniffing compression. */
  head?: () => Promise<Buffer>;
  /** Where `open` reads, when that is a local file (see Layer.storedFile). */
  locate?: () => FileRange;
  /**
   * Starts writing the blob into a local file as it downloads (see Layer.download); undefined when the source will
   * not (no cache). The reader checks the bytes: the source keeps the file only once told they held.
   */
  download?: () => Promise<DownloadCore | undefined>;
}

/** A download a source started (LayerCore.download): its file and how far it is written, and the download's end. */
export type DownloadCore = Omit<LayerDownload, 'file'> & {
  path: string;
  /** How far the file is written (image/growing.ts). */
  growing: SharedArrayBuffer;
};

export interface ImageCore {
  ref: ImageRef;
  rawConfig: Buffer;
  /** Bytes of the real manifest, when the source has one (OCI layout, registry, Docker >= 25 save). */
  rawManifest?: Buffer;
  manifestDigest?: Digest;
  manifestMediaType?: string;
  /** True for OCI-flavoured sources (media types are reported in OCI terms). */
  oci: boolean;
  layers: LayerCore[];
  verify: boolean;
  close?: () => Promise<void>;
}

function memo<T>(fn: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= fn());
}

export function parseConfig(raw: Buffer, describe: string): ConfigFile {
  const config = parseDocument<ConfigFile>(raw, {
    message: `the image config in ${describe} is not valid JSON`,
    code: 'bad-config',
    hint: 'the image is corrupt; copy or save it again',
  });
  if (!config || typeof config !== 'object' || !config.rootfs || !Array.isArray(config.rootfs.diff_ids)) {
    throw new SourceError(`the config in ${describe} has no rootfs.diff_ids, so it is not a container image config`, {
      code: 'not-an-image-config',
      hint: 'this looks like an OCI artifact (Helm chart, signature, SBOM), not a container image',
    });
  }
  const problem = configFieldProblem(config);
  if (problem) {
    throw new SourceError(`the config in ${describe} is not a valid image config: ${problem}`, {
      code: 'bad-config',
      hint: 'the image is corrupt or was written by a broken tool; rebuild or save it again',
    });
  }
  for (const diffId of config.rootfs.diff_ids) {
    if (!isDigest(diffId)) {
      throw new SourceError(`the config in ${describe} has an invalid diff_id "${String(diffId)}"`, {
        code: 'bad-config',
        hint: 'the image is corrupt; copy or save it again',
      });
    }
  }
  return config;
}

/** A field's type check: undefined when the value is of the type, else what is wrong, naming the field. */
type FieldCheck = (value: unknown, name: string) => string | undefined;

const aString: FieldCheck = (v, name) =>
  typeof v === 'string' ? undefined : `${name} is ${jsonKind(v)}, not a string`;
const anObject: FieldCheck = (v, name) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : `${name} is ${jsonKind(v)}, not an object`;
const strings: FieldCheck = (v, name) => {
  if (!Array.isArray(v)) return `${name} is ${jsonKind(v)}, not a list of strings`;
  const bad = v.findIndex((x) => typeof x !== 'string');
  return bad >= 0 ? `${name}[${bad}] is ${jsonKind(v[bad])}, not a string` : undefined;
};

/** The fields of `config` ballast reads, and their types. */
const CONTAINER_CONFIG_FIELDS: [string, FieldCheck][] = [
  ['User', aString],
  ['WorkingDir', aString],
  ['StopSignal', aString],
  ['Env', strings],
  ['Entrypoint', strings],
  ['Cmd', strings],
  ['Shell', strings],
  ['OnBuild', strings],
  ['ExposedPorts', anObject],
  ['Volumes', anObject],
  ['Labels', anObject],
];

/** The first of `fields` in `record` whose value has the wrong type; absent and null pass (docker writes null). */
function firstFieldProblem(
  record: Record<string, unknown>,
  fields: readonly (readonly [string, FieldCheck])[],
  prefix: string,
): string | undefined {
  for (const [key, check] of fields) {
    const value = record[key];
    const problem = value === undefined || value === null ? undefined : check(value, prefix + key);
    if (problem) return problem;
  }
  return undefined;
}

const stringFields = (keys: string[]): [string, FieldCheck][] => keys.map((key) => [key, aString]);

/**
 * The first field, among those ballast reads, whose JSON type is wrong (docker and skopeo refuse such a config too):
 * a number where a string goes used to surface as a JavaScript TypeError.
 */
function configFieldProblem(config: ConfigFile): string | undefined {
  const top = config as unknown as Record<string, unknown>;
  const problem = firstFieldProblem(top, stringFields(['created', 'author']), '') ?? platformFieldProblem(top, '');
  if (problem) return problem;
  const history = top.history;
  if (history !== undefined && history !== null && !Array.isArray(history))
    return `history is ${jsonKind(history)}, not a list`;
  for (const [i, entry] of ((history as unknown[] | null) ?? []).entries()) {
    const notObject = anObject(entry, `history[${i}]`);
    if (notObject) return notObject;
    const entryProblem = firstFieldProblem(
      entry as Record<string, unknown>,
      stringFields(['created', 'created_by', 'author', 'comment']),
      `history[${i}].`,
    );
    if (entryProblem) return entryProblem;
  }
  const c = top.config;
  if (c === undefined || c === null) return undefined;
  const notObject = anObject(c, 'config');
  if (notObject) return notObject;
  const cc = c as Record<string, unknown>;
  const fieldProblem = firstFieldProblem(cc, CONTAINER_CONFIG_FIELDS, 'config.');
  if (fieldProblem) return fieldProblem;
  for (const [key, value] of Object.entries((cc.Labels as Record<string, unknown> | null) ?? {})) {
    if (typeof value !== 'string') return `the label ${JSON.stringify(key)} is ${jsonKind(value)}, not a string`;
  }
  return undefined;
}

function makeLayer(core: ImageCore, layer: LayerCore, index: number, diffId: Digest, describe: string): Layer {
  const what = `layer ${index} (${shortDigest(diffId)})`;
  const open = layer.open;
  const absent = (): SourceError =>
    new SourceError(`${what} of ${describe} is not included in the image (a foreign or non-distributable layer)`, {
      code: 'layer-absent',
      hint: 'its bytes live at the URLs in its descriptor; ballast reports such layers but cannot read them',
    });
  // A layer of a type ballast does not read, in an image whose other layers it does: left out, its files and bytes
  // would be missing from every figure (a 0 B layer, the rest of the image reported as if that were all of it).
  // An encrypted layer (ocicrypt's `+encrypted` types) is a filesystem layer all the same: what stops ballast is the
  // key it does not have, which is what the user can do something about.
  const notALayer = (type: string): SourceError =>
    isEncryptedLayerType(type)
      ? new SourceError(`${what} of ${describe} is encrypted (${type}); ballast cannot decrypt it`, {
          code: 'not-a-layer',
          hint: 'decrypt the image first, e.g. `skopeo copy --decryption-key KEY.pem SOURCE oci:DIR`, and analyze the copy',
        })
      : new SourceError(`${what} of ${describe} has the media type ${type}, which is not a filesystem layer`, {
          code: 'not-a-layer',
          hint:
            'ballast reads OCI layers (tar, tar+gzip, tar+zstd, non-distributable) and Docker rootfs diffs ' +
            '(plain, gzip, zstd, foreign); an OCI artifact has no filesystem',
        });

  const compression = memo(async () => {
    if (!open) return 'none' as const;
    const head = layer.head ? await layer.head() : await readHead(await open());
    return sniffCompression(head);
  });
  const storedMeasure = memo(async () => {
    if (!open) throw absent();
    return digestStream(await open());
  });
  const mediaType = memo(async () => {
    if (layer.descriptor?.mediaType) return layer.descriptor.mediaType;
    return layerTypeFor(await compression(), core.oci);
  });
  const digestSource = memo(async (): Promise<DigestSource> => {
    if (layer.descriptor?.digest) return 'manifest';
    if ((await compression()) === 'none') return 'diff-id';
    if (layer.digestHint) return 'name';
    return 'computed';
  });
  const digest = memo(async () => {
    switch (await digestSource()) {
      case 'manifest':
        return layer.descriptor!.digest;
      case 'diff-id':
        return diffId;
      case 'name':
        return layer.digestHint!;
      default:
        return (await storedMeasure()).digest;
    }
  });
  /** The size the manifest declares, where it has a descriptor. */
  const describedSize = (): number | undefined => {
    const described = layer.descriptor?.size;
    return described !== undefined && Number.isFinite(described) ? described : undefined;
  };
  /**
   * How many stored bytes a read takes: unverified, no more than the descriptor declares, as the manifest names the
   * blob (one still being written, or listed with a smaller size, is not read past it); verified, all of them, so that
   * bytes the descriptor does not count fail the check (sizeMismatch). Undefined: the whole blob.
   */
  const readLimit = (): number | undefined => (core.verify ? undefined : describedSize());
  const size = memo(async () => {
    const described = describedSize();
    if (described !== undefined) return described;
    if (layer.storedSize) return layer.storedSize();
    return (await storedMeasure()).size;
  });
  // Without `what`, for an error's detail: the walk names the layer by its blob digest, and `what` names it by its
  // diff_id, a second digest for one layer.
  const blobUnnamed = async () => ((await digestSource()) === 'diff-id' ? 'the content' : 'the blob');
  const blobWhat = async () => `${what} ${(await blobUnnamed()).replace(/^the /, '')}`;
  /** The check reading the stored bytes makes; undefined: none. */
  const verifyOptions = async (): Promise<StoredFile['verify']> => {
    const source = await digestSource();
    // A digest computed from this blob cannot disagree with it: hashing again would prove nothing.
    if (!core.verify || source === 'computed') return undefined;
    return {
      expected: await digest(),
      expectedSize: layer.descriptor?.size,
      what: await blobWhat(),
      unnamed: await blobUnnamed(),
      digestName: source === 'diff-id' ? 'diff_id' : 'digest',
    };
  };
  const compressed = async (): Promise<Readable> => {
    if (!open) throw absent();
    // Everything the verifier needs is settled before the blob is opened: a request that fails at once errors its
    // stream on the next turn, and an await between opening and listening (a sniff of the first bytes is a request of
    // its own) left that 'error' with no listener, which ends the process.
    const options = await verifyOptions();
    if (!options) {
      const limit = readLimit();
      return limit === undefined ? open() : firstBytes(await open(), limit);
    }
    const stream = await open();
    // A registry download hashes its bytes for the blob cache already: one sha256 pass, not two.
    return verified(stream, { ...options, computed: (stream as SelfHashing)[SHA256_OF] });
  };
  const storedSize = async (): Promise<number | undefined> =>
    open && layer.storedSize ? layer.storedSize() : undefined;
  const checkStoredSize = async (cachedSize?: number): Promise<void> => {
    const expected = describedSize();
    if (expected === undefined && cachedSize === undefined) return;
    const stored = await storedSize();
    if (stored === undefined) return;
    // What a read takes (readLimit): bytes past the descriptor's count, unverified, are not read, so not the cache's
    // business either.
    const limit = readLimit();
    const actual = limit === undefined ? stored : Math.min(stored, limit);
    // The error reading the blob gives, word for word, so a cache hit fails as --no-cache does.
    if (expected !== undefined && actual !== expected)
      throw sizeMismatch(await blobWhat(), actual, expected, 'descriptor', await blobUnnamed());
    // One blob digest has one size: a blob of another is not the one the entry was read from. The walk's error names
    // the layer (`reading layer 3 (DIGEST) of IMAGE: ...`) by the digest its archive member is named by, as it names it
    // for any other read: named here too, by its diff_id, it read as one layer with two names.
    if (cachedSize !== undefined && actual !== cachedSize) {
      const blob = await blobUnnamed();
      throw sizeMismatch(blob, actual, cachedSize, 'cached', blob);
    }
  };
  const storedFile = async (): Promise<StoredFile | undefined> => {
    if (!open || !layer.locate) return undefined;
    const range = layer.locate();
    const limit = readLimit();
    const length = limit === undefined ? range.length : Math.min(range.length ?? limit, limit);
    return { ...range, length, verify: await verifyOptions() };
  };
  const download = async (): Promise<LayerDownload | undefined> => {
    if (!open || !layer.download) return undefined;
    // Only a checked read may fill the cache, and only a manifest's digest names the blob before it is read.
    const verify = await verifyOptions();
    if (!verify || (await digestSource()) !== 'manifest' || !verify.expected.startsWith('sha256:')) return undefined;
    const started = await layer.download();
    if (!started) return undefined;
    const { path, growing, settle, failure, unwritable } = started;
    return { file: { path, start: 0, growing, verify }, settle, failure, unwritable };
  };
  return {
    digest,
    digestSource,
    storedFile,
    download,
    diffId: async () => diffId,
    size,
    storedSize,
    checkStoredSize,
    mediaType,
    compressed,
    isFilesystem: async () => {
      if (!open) return false;
      if (!layer.descriptor) return true;
      const type = await mediaType();
      if (isTarLayerType(type)) return true;
      throw notALayer(type);
    },
    uncompressed: async () => {
      const type = await mediaType();
      if (layer.descriptor && !isTarLayerType(type)) throw notALayer(type);
      if (!open) throw absent();
      const stored = await compressed();
      // The blob's download is under way (first, so a sniff of its first bytes does not hold it up), and the sniff may
      // be a request of its own: an error of the download meanwhile is held and thrown here, for the reason
      // compressed() gives.
      let early: Error | undefined;
      const hold = (error: Error) => (early ??= error);
      stored.on('error', hold);
      let plain: boolean;
      try {
        plain = (await compression()) === 'none' && (await digest()) === diffId;
      } catch (error) {
        stored.destroy();
        throw error;
      } finally {
        stored.off('error', hold);
      }
      if (early) throw early;
      // An uncompressed blob whose digest is its diffId is already verified by `compressed()`.
      const tar = plain ? stored : decompressStream(stored, what, 'the blob');
      if (!core.verify || plain) return tar;
      return verified(tar, {
        expected: diffId,
        what: `${what} content`,
        unnamed: 'the content',
        digestName: 'diff_id',
      });
    },
  };
}

/** A Docker v2 manifest standing in for sources that have none (legacy docker save). */
async function synthesizeManifest(rawConfig: Buffer, layers: Layer[]): Promise<Manifest> {
  return {
    schemaVersion: 2,
    mediaType: MediaTypes.dockerManifest,
    config: { mediaType: MediaTypes.dockerConfig, size: rawConfig.length, digest: sha256(rawConfig) },
    layers: await Promise.all(
      layers.map(async (layer) => ({
        mediaType: await layer.mediaType(),
        size: await layer.size(),
        digest: await layer.digest(),
      })),
    ),
  };
}

export function imageFromCore(core: ImageCore): Image {
  const describe = core.ref.name;
  const configFile = memo(async () => parseConfig(core.rawConfig, describe));
  const layers = memo(async () => {
    const config = await configFile();
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== core.layers.length) {
      throw new SourceError(
        `${describe} lists ${core.layers.length} layers, but its config has ${diffIds.length} diff_ids`,
        { code: 'layer-count-mismatch', hint: 'the image is inconsistent; rebuild or re-save it' },
      );
    }
    return core.layers.map((layer, i) => makeLayer(core, layer, i, diffIds[i], describe));
  });
  const manifest = memo(async (): Promise<Manifest> => {
    if (core.rawManifest) return JSON.parse(core.rawManifest.toString('utf8')) as Manifest;
    return synthesizeManifest(core.rawConfig, await layers());
  });
  let closed = false;
  return {
    ref: core.ref,
    digest: async () => core.manifestDigest,
    mediaType: async () => core.manifestMediaType ?? (await manifest()).mediaType ?? MediaTypes.ociManifest,
    rawManifest: async () => core.rawManifest ?? Buffer.from(JSON.stringify(await manifest())),
    manifest,
    rawConfigFile: async () => core.rawConfig,
    configFile,
    configDigest: async () => sha256(core.rawConfig),
    layers,
    layerByDigest: async (d) => {
      for (const layer of await layers()) if ((await layer.digest()) === d) return layer;
      return undefined;
    },
    layerByDiffId: async (d) => findByDiffId(await layers(), d),
    close: async () => {
      if (closed) return;
      closed = true;
      await core.close?.();
    },
  };
}

async function findByDiffId(layers: Layer[], diffId: Digest): Promise<Layer | undefined> {
  for (const layer of layers) if ((await layer.diffId()) === diffId) return layer;
  return undefined;
}
