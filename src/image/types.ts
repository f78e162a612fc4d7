// The one image model every source converges on (docker-archive, OCI layout, registry, daemon).
// Nothing outside src/sources/ knows where an image came from. Accessors are async and memoized by the
// implementation; stream accessors return a fresh stream on every call.
import type { Readable } from 'node:stream';

/** `algorithm:encoded`, e.g. `sha256:0123…`. */
export type Digest = string;

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
}

export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  platform?: Platform;
  artifactType?: string;
  data?: string;
}

export interface Manifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
  subject?: Descriptor;
  artifactType?: string;
}

export interface IndexManifest {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ContainerConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[] | null;
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object> | null;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  Shell?: string[];
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; Retries?: number };
  OnBuild?: string[] | null;
}

export interface ConfigFile {
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
  created?: string;
  author?: string;
  config?: ContainerConfig | null;
  rootfs: { type: string; diff_ids: Digest[] };
  history?: HistoryEntry[];
}

/** Where an image came from, for display and for JSON output. */
export interface ImageRef {
  /** `docker-archive`, `oci-layout`, `oci-archive`, `registry`, `docker-daemon`, `podman`. */
  source: string;
  /** What the user typed, or the path; a registry's `registry/repository`, with `@digest` when the reference pinned one. */
  name: string;
  /**
   * The tag or ref name chosen inside an archive/layout/registry, when there is one: never a digest (a registry
   * reference by digest has none, or the tag written beside it).
   */
  tag?: string;
  /** The image's other names there (docker save's further RepoTags), which `ci.images` patterns are tried on too. */
  aliases?: string[];
  /**
   * The multi-platform index the image was picked from: its digest (the one `skopeo inspect` shows and a pull by
   * digest names; null when an OCI layout's index.json is that index, which has no digest) and the platforms it
   * lists, attestations left out.
   */
  index?: { digest: Digest | null; platforms: string[] };
}

/**
 * Where a layer's blob digest comes from. Only `manifest` and `name` are independent of the blob's bytes: for
 * `diff-id` (an uncompressed blob stored without a digest) checking the blob is checking the diff_id, and a
 * `computed` digest was hashed from the very bytes it would verify, so it proves nothing about them.
 */
export type DigestSource = 'manifest' | 'name' | 'diff-id' | 'computed';

export interface Layer {
  /** Digest of the blob as stored (compressed). */
  digest(): Promise<Digest>;
  digestSource(): Promise<DigestSource>;
  /** Digest of the uncompressed tar. */
  diffId(): Promise<Digest>;
  /** Bytes of the blob as stored. */
  size(): Promise<number>;
  mediaType(): Promise<string>;
  /** A fresh stream of the stored bytes, verified against digest() unless verification is off. */
  compressed(): Promise<Readable>;
  /** A fresh stream of the layer tar, verified against digest() and diffId() unless verification is off. */
  uncompressed(): Promise<Readable>;
  /**
   * False for foreign / non-distributable layers whose bytes the image does not carry; fails (`not-a-layer`) for a
   * blob the image carries whose media type is not a filesystem changeset (an artifact's, or one unknown).
   */
  isFilesystem(): Promise<boolean>;
  /**
   * The stored blob's size where it is known without reading the blob (a file's, by a stat; an archive member's, by
   * its tar header); undefined where it is not (a registry's or daemon's layer, a foreign one).
   */
  storedSize(): Promise<number | undefined>;
  /**
   * Fails (`size-mismatch`) when the stored size, known without reading the blob (see storedSize), is not its
   * descriptor's, as reading it would; or not `cachedSize`, the stored size a cache entry recorded for this blob
   * digest, for a blob no descriptor gives a size (a crane or kaniko archive's `<hex>.tar.gz`). Does nothing where
   * the sizes are unknown. For cache hits, which read nothing else of the blob. The second error leaves naming the
   * layer to the caller (the walk's `reading layer 3 (DIGEST) of IMAGE: ...`); the first is the one reading it gives.
   */
  checkStoredSize(cachedSize?: number): Promise<void>;
  /**
   * Where the stored blob lies in a local file (an OCI layout's blob, an archive's member), for a reader on another
   * thread (the walk's workers read and verify it themselves: openStoredFile); undefined where it is not in one.
   */
  storedFile(): Promise<StoredFile | undefined>;
  /**
   * The stored blob written to a local file as it downloads (a registry's layer, into the blob cache), for a reader on
   * another thread that verifies it (the walk's workers): the download starts now. Undefined where the source has no
   * such file (no cache, a local file already: storedFile) or the read would not be checked (the cache keeps only
   * verified blobs).
   */
  download(): Promise<LayerDownload | undefined>;
}

/** A layer blob being downloaded into a local file (see Layer.download). */
export interface LayerDownload {
  /** The file, `growing` while it downloads, and the check its reader makes. */
  file: StoredFile;
  /**
   * Called once the reader is done: `verified` when it read every byte and the digest held (the blob is kept in the
   * cache), false when it failed or stopped (the download, if still running, is stopped and its file dropped).
   */
  settle(verified: boolean): Promise<void>;
  /** The download's own error, once it failed: the reader only saw the file stop growing (GrowthFailed). */
  failure(): Error | undefined;
  /**
   * The file stopped growing because it could not be written (a full disk), not for the source's sake: the reader
   * reads the layer another way (Layer.compressed()), as a cache never fails a command.
   */
  unwritable(): boolean;
}

/** A layer blob's bytes in a local file, and the check reading them makes (see Layer.storedFile). */
export interface StoredFile {
  path: string;
  /** Offset of the blob's first byte. */
  start: number;
  /** The blob's length; undefined: to the end of the file. */
  length?: number;
  /**
   * The file is still being written (Layer.download): how far, in memory shared with the writer (image/growing.ts).
   * A reader takes only the bytes written, waiting for more until the writer says it is done. The file may not be there
   * yet: a reader opens it once a byte is written, or the writing ended.
   */
  growing?: SharedArrayBuffer;
  /** The digest (and size) the bytes are held to, as Layer.compressed() holds them; undefined: not checked. */
  verify?: {
    expected: Digest;
    expectedSize?: number;
    what: string;
    unnamed?: string;
    digestName: 'digest' | 'diff_id';
  };
}

export interface Image {
  readonly ref: ImageRef;
  /** Digest of the manifest, or undefined when the source has no real manifest (a legacy docker save). */
  digest(): Promise<Digest | undefined>;
  mediaType(): Promise<string>;
  rawManifest(): Promise<Buffer>;
  manifest(): Promise<Manifest>;
  rawConfigFile(): Promise<Buffer>;
  configFile(): Promise<ConfigFile>;
  /** Digest of the config blob: the image ID Docker shows for classic stores. */
  configDigest(): Promise<Digest>;
  /** Base layer first. */
  layers(): Promise<Layer[]>;
  layerByDigest(digest: Digest): Promise<Layer | undefined>;
  layerByDiffId(diffId: Digest): Promise<Layer | undefined>;
  /** Releases temp files or sockets held by the source (spooled archives). Safe to call twice. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `os/arch[/variant]`; default: the host's. */
  platform?: string;
  /** Verify blob digests and diffIds while streaming (default true). */
  verify?: boolean;
  /** Notes for the user (stderr): an index read through a platform other than this machine's. */
  notice?: (message: string) => void;
}
