// A blob held to its digest and size (digest.ts): VerifyingStream for streams, verifyError for the walk workers'
// reads of a file (test/analysis/scan-file.test.ts compares the two paths), the same errors from both.
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { SHA256_OF, verified, verifyError, VerifyingStream, type VerifyOptions } from '../../src/image/digest.js';
import { digestStream } from '../../src/image/streams.js';

const blob = Buffer.from('the bytes of a layer blob\n'.repeat(5000));

function digest(data: Buffer, algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

const options = (extra: Partial<VerifyOptions>): VerifyOptions => ({
  expected: digest(blob),
  what: 'layer 2 of app.tar blob',
  unnamed: 'the blob',
  ...extra,
});

/** Streams `data` in 1000-byte chunks through a VerifyingStream: its sha256, or the error it ends with. */
async function through(data: Buffer, verify: VerifyOptions): Promise<string | Record<string, unknown>> {
  const chunks = Array.from({ length: Math.ceil(data.length / 1000) }, (_, i) =>
    data.subarray(i * 1000, i * 1000 + 1000),
  );
  try {
    return (await digestStream(Readable.from(chunks).pipe(new VerifyingStream(verify)))).digest;
  } catch (error) {
    const e = error as Error & { code?: string; detail?: string; hint?: string };
    return { message: e.message, code: e.code, detail: e.detail, hint: e.hint };
  }
}

describe('VerifyingStream and verifyError', () => {
  it('pass the bytes their sha256 or sha512 digest names, and fail others with both names of the blob', async () => {
    expect(await through(blob, options({ expectedSize: blob.length }))).toBe(digest(blob));
    expect(await through(blob, options({ expected: digest(blob, 'sha512') }))).toBe(digest(blob));
    const other = Buffer.from(blob);
    other[100] ^= 1;
    const expected = `expected ${digest(blob)}, got ${digest(other)}`;
    expect(await through(other, options({}))).toEqual({
      message: `layer 2 of app.tar blob does not match its digest: ${expected}`,
      code: 'digest-mismatch',
      detail: `the blob does not match its digest: ${expected}`,
      hint: expect.stringMatching(/--no-verify/),
    });
    // The error verifyError gives a reader of the same bytes, hashed by itself.
    expect(verifyError(options({}), other.length, () => digest(other))).toMatchObject({
      message: `layer 2 of app.tar blob does not match its digest: ${expected}`,
      detail: `the blob does not match its digest: ${expected}`,
    });
  });

  it('call a diff_id by its name, and give no detail where the blob has no name of its own', async () => {
    const failed = await through(
      blob,
      options({ expected: digest(Buffer.from('x')), digestName: 'diff_id', unnamed: undefined }),
    );
    expect(failed).toMatchObject({
      message: expect.stringMatching(/does not match its diff_id: expected/),
      detail: undefined,
    });
  });

  it('check the size before the digest: a short blob is cut short, a long one has bytes its descriptor lacks', async () => {
    const short = await through(blob.subarray(1), options({ expectedSize: blob.length }));
    expect(short).toMatchObject({ code: 'size-mismatch', hint: expect.stringMatching(/cut short/) });
    const long = await through(Buffer.concat([blob, Buffer.from('x')]), options({ expectedSize: blob.length }));
    expect(long).toMatchObject({
      code: 'size-mismatch',
      message: `layer 2 of app.tar blob is ${blob.length + 1} bytes, but its descriptor says ${blob.length}`,
      hint: expect.stringMatching(/does not count/),
    });
    expect(verifyError(options({ expectedSize: 5 }), blob.length, undefined)).toMatchObject({ code: 'size-mismatch' });
  });

  it('leave an algorithm they cannot check unchecked, but not the size', async () => {
    const unknown = `blake3:${'0'.repeat(64)}`;
    expect(await through(blob, options({ expected: unknown }))).toBe(digest(blob));
    expect(await through(blob, options({ expected: unknown, expectedSize: 1 }))).toMatchObject({
      code: 'size-mismatch',
    });
    expect(verifyError(options({ expected: unknown }), blob.length, undefined)).toBeUndefined();
  });

  it('take a sha256 the source computed (SHA256_OF) instead of hashing again, but hash a sha512 themselves', async () => {
    const claimed = digest(Buffer.from('what the source says it hashed'));
    // The bytes are right: only the source's own hash can make the check fail, so the check used it.
    expect(await through(blob, options({ computed: () => claimed }))).toMatchObject({
      code: 'digest-mismatch',
      message: expect.stringContaining(`got ${claimed}`),
    });
    expect(await through(blob, options({ computed: () => digest(blob) }))).toBe(digest(blob));
    expect(await through(blob, options({ expected: digest(blob, 'sha512'), computed: () => claimed }))).toBe(
      digest(blob),
    );
  });

  it('verified(): a stream that hashes itself is checked from its hash; its errors pass on; stopping reading stops it', async () => {
    const source = Readable.from([blob]) as Readable & { [SHA256_OF]?: () => string };
    const claimed = digest(Buffer.from('x'));
    source[SHA256_OF] = () => claimed;
    await expect(
      digestStream(verified(source, options({ computed: (source as { [SHA256_OF]?: () => string })[SHA256_OF] }))),
    ).rejects.toMatchObject({ code: 'digest-mismatch', message: expect.stringContaining(claimed) });

    const failing = new PassThrough();
    const reading = digestStream(verified(failing, options({})));
    failing.destroy(new Error('connection reset'));
    await expect(reading).rejects.toThrow('connection reset');

    const endless = new PassThrough();
    const reader = verified(endless, options({}));
    endless.write(blob);
    reader.destroy();
    await new Promise((resolve) => reader.on('close', resolve));
    expect(endless.destroyed).toBe(true);
  });
});
