// Digests: parsing, hashing, and a pass-through stream that verifies what flows through it.
import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { SourceError } from '../errors.js';
import type { Digest } from './types.js';

const digestPattern = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export function isDigest(value: unknown): value is Digest {
  return typeof value === 'string' && digestPattern.test(value);
}

/** Hex lengths of the algorithms the OCI spec registers: their digests must be lowercase hex of this length. */
const HEX_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 };

/**
 * Why `value` cannot be used as a blob's digest; undefined if it can. A registered algorithm must be lowercase hex of
 * its length: `sha256:ABC…` names no blob a layout or registry can hold (the file names and the hash are lowercase).
 */
export function digestProblem(value: unknown): string | undefined {
  if (value === undefined) return 'missing';
  if (typeof value !== 'string') return `${value === null ? 'null' : `a ${typeof value}`}, not a digest string`;
  if (!isDigest(value)) return `"${value}", not a digest (algorithm:hex)`;
  const colon = value.indexOf(':');
  const algorithm = value.slice(0, colon);
  const length = HEX_LENGTH[algorithm];
  if (length !== undefined && !new RegExp(`^[a-f0-9]{${length}}$`).test(value.slice(colon + 1))) {
    return `"${value}", not a ${algorithm} digest (${length} lowercase hex digits)`;
  }
  return undefined;
}

export function isSha256(value: unknown): value is Digest {
  return typeof value === 'string' && /^sha256:[a-f0-9]{64}$/.test(value);
}

/** The algorithms whose digests ballast checks: the two the OCI image spec registers. */
const CHECKED = new Set(['sha256', 'sha512']);

/** The algorithm of `digest` when ballast can check it (`sha256`, `sha512`), else undefined. */
export function checkedAlgorithm(digest: string): string | undefined {
  const algorithm = digest.slice(0, digest.indexOf(':'));
  return CHECKED.has(algorithm) ? algorithm : undefined;
}

/** Whether `data` hashes to `digest`; true for an algorithm ballast cannot check. */
export function matchesDigest(data: Uint8Array, digest: string): boolean {
  const algorithm = checkedAlgorithm(digest);
  return !algorithm || `${algorithm}:${createHash(algorithm).update(data).digest('hex')}` === digest;
}

export function sha256(data: Uint8Array | string): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function hexOf(digest: Digest): string {
  return digest.slice(digest.indexOf(':') + 1);
}

/** `sha256:0123456789ab` for tables. */
export function shortDigest(digest: Digest | undefined, length = 12): string {
  if (!digest) return '-';
  const colon = digest.indexOf(':');
  return `${digest.slice(0, colon + 1)}${digest.slice(colon + 1, colon + 1 + length)}`;
}

/**
 * ChainID of a layer stack: ChainID(L0) = DiffID(L0); ChainID(L0..n) = sha256("ChainID(L0..n-1) DiffID(n)").
 */
export function chainId(diffIds: Digest[]): Digest | undefined {
  let chain: Digest | undefined;
  for (const diffId of diffIds) chain = chain === undefined ? diffId : sha256(`${chain} ${diffId}`);
  return chain;
}

export interface VerifyOptions {
  /** Expected digest; sha256 and sha512 are checked, other algorithms pass through unverified. */
  expected: Digest;
  /** Expected byte count, when known (a descriptor's size). */
  expectedSize?: number;
  /** What is being read, for the error message ("layer 3 blob"). */
  what: string;
  /** The same without the layer's name ("the blob"), for the error's detail (BallastErrorOptions.detail). */
  unnamed?: string;
  /**
   * What the expected digest is called in the error: a layer's uncompressed content is held to its diff_id, and says
   * so whichever path checks it ("the content does not match its diff_id").
   */
  digestName?: 'digest' | 'diff_id';
  /**
   * The sha256 of the same bytes, computed by the stream they come from (`sha256:...`, known once it has ended):
   * then they are not hashed a second time here. See `SHA256_OF`.
   */
  computed?: () => Digest | undefined;
}

/**
 * Set on a Readable that hashes what it emits (a registry download does, for its cache): a function giving
 * `sha256:<hex>` of everything it emitted, once it has ended. The digest is still checked, from that hash.
 */
export const SHA256_OF: unique symbol = Symbol('ballast.sha256Of');
export type SelfHashing = { [SHA256_OF]?: () => Digest | undefined };

/**
 * A blob whose stored size is not its descriptor's: what reading it fails with, and what a cache hit fails with when
 * a stat (or an archive member's header) shows it. The hint leaves out --no-verify: that reads a short blob to its
 * missing end and fails there, and a longer one is not the blob the manifest names (--no-verify reads only the bytes
 * its descriptor counts, unchecked). `against: 'cached'`: with no descriptor size, the size the blob had when a cache
 * entry was read from it.
 */
export function sizeMismatch(
  what: string,
  actual: number,
  expected: number,
  against: 'descriptor' | 'cached' = 'descriptor',
  unnamed?: string,
): SourceError {
  const cached = against === 'cached';
  const uncounted = cached ? 'it did not have when it was cached' : 'its descriptor does not count';
  const says = (subject: string) =>
    cached
      ? `${subject} is ${actual} bytes, but it was ${expected} when it was cached`
      : `${subject} is ${actual} bytes, but its descriptor says ${expected}`;
  return new SourceError(says(what), {
    code: 'size-mismatch',
    detail: unnamed === undefined ? undefined : says(unnamed),
    hint:
      actual < expected
        ? 'the blob was cut short (an interrupted copy, download or save); fetch or save the image again'
        : `the blob has bytes ${uncounted} (a corrupt copy); fetch or save the image again`,
  });
}

/**
 * `stream` held to `options` (see VerifyingStream): its errors pass on, and a reader that stops early (or fails) stops
 * the source too, or a registry download would go on.
 */
export function verified(stream: Readable, options: VerifyOptions): Readable {
  const verifier = new VerifyingStream(options);
  stream.on('error', (error) => verifier.destroy(error));
  verifier.on('close', () => {
    if (!stream.destroyed) stream.destroy();
  });
  return stream.pipe(verifier);
}

/**
 * A Transform that hashes what passes and fails the stream at its end when the bytes do not match the
 * expected digest (or size). Downstream consumers therefore never finish successfully on corrupt data.
 */
export class VerifyingStream extends Transform {
  private readonly algorithm: string | undefined;
  private readonly hash;
  private bytes = 0;
  private readonly checkable: boolean;

  private readonly hashHere: boolean;

  constructor(private readonly options: VerifyOptions) {
    super();
    this.algorithm = checkedAlgorithm(options.expected);
    this.checkable = this.algorithm !== undefined;
    // A stream that hashes what it emits does so in sha256 only: a sha512 blob is hashed here.
    this.hashHere = this.checkable && !(this.algorithm === 'sha256' && options.computed);
    this.hash = createHash(this.algorithm ?? 'sha256');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.hashHere) this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const actual = () => (this.hashHere ? `${this.algorithm}:${this.hash.digest('hex')}` : this.options.computed!());
    callback(verifyError(this.options, this.bytes, this.checkable ? actual : undefined));
  }
}

/**
 * What reading `bytes` bytes whose digest is `actual()` (undefined: not checkable) fails with under `options`: the
 * size first, then the digest; undefined when they pass. VerifyingStream's end, and the walk's reader of a file.
 */
export function verifyError(
  options: VerifyOptions,
  bytes: number,
  actual: (() => string | undefined) | undefined,
): SourceError | undefined {
  const { expected, expectedSize, what, unnamed, digestName = 'digest' } = options;
  if (expectedSize !== undefined && expectedSize !== bytes)
    return sizeMismatch(what, bytes, expectedSize, 'descriptor', unnamed);
  if (!actual) return undefined;
  const got = actual();
  if (got === expected) return undefined;
  const mismatch = (subject: string) => `${subject} does not match its ${digestName}: expected ${expected}, got ${got}`;
  return new SourceError(mismatch(what), {
    code: 'digest-mismatch',
    detail: unnamed === undefined ? undefined : mismatch(unnamed),
    hint: 'the image is corrupt or was modified; fetch or save it again (or pass --no-verify to read it anyway)',
  });
}
