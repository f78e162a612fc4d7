// Property-based fuzzing of the archive readers with fast-check: real fixture archives (docker save, Docker 25 with an
// OCI layout inside, whiteouts, links, and one gzip-compressed whole) with bytes flipped, the file cut, and tar headers
// rewritten (size, type, name, link; checksum fixed up or not). Each mutant is analyzed in-process, with and without
// digest verification (without it, mutated layer bytes reach the tar reader instead of stopping at the digest check).
// The bar: it resolves, or fails with a BallastError of exit code 2 whose message is one line; never another error
// (a crash), an unhandled rejection, or a hang.
//
// CI runs FUZZ_RUNS (default 200) cases from FUZZ_SEED (default below, printed); a long run by hand:
//   FUZZ_RUNS=5000 FUZZ_SEED=$RANDOM npm test -- test/robustness/fuzz.test.ts
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { BallastError, BugError, formatError } from '../../src/errors.js';
import { analyze } from '../../src/services/analyze.js';
import { BLOCK } from '../helpers/hostile.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? 1_204_662);
const CASE_TIMEOUT_MS = 15_000;

const fixture = (path: string) => readFileSync(new URL(`../fixtures/formats/${path}`, import.meta.url));
const whiteouts = fixture('ggcr/mutate/whiteout_image.tar');
const SEEDS: { name: string; bytes: Buffer }[] = [
  { name: 'hello-world-v25.tar', bytes: fixture('ggcr/tarball/hello-world-v25.tar') },
  { name: 'whiteout_image.tar', bytes: whiteouts },
  { name: 'overwritten_file.tar', bytes: fixture('ggcr/mutate/overwritten_file.tar') },
  { name: 'test_link.tar', bytes: fixture('ggcr/tarball/test_link.tar') },
  { name: 'whiteout_image.tar.gz', bytes: gzipSync(whiteouts) },
];

/** Offsets of every ustar header in the file, the outer archive's and those of the layer tars stored inside it. */
function headerOffsets(bytes: Buffer): number[] {
  const out: number[] = [];
  for (let at = 0; at + BLOCK <= bytes.length; at += BLOCK)
    if (bytes.toString('latin1', at + 257, at + 262) === 'ustar') out.push(at);
  return out;
}

function fixChecksum(bytes: Buffer, at: number): void {
  bytes.fill(0x20, at + 148, at + 156);
  let sum = 0;
  for (let i = at; i < at + BLOCK; i++) sum += bytes[i];
  bytes.write(sum.toString(8).padStart(6, '0') + '\0 ', at + 148, 8, 'latin1');
}

type Mutation =
  | { kind: 'flip'; offset: number; xor: number }
  | { kind: 'cut'; keep: number }
  | {
      kind: 'header';
      which: number;
      field: 'size' | 'type' | 'name' | 'link' | 'huge-size';
      value: Uint8Array;
      fix: boolean;
    };

const FIELDS = { size: [124, 12], type: [156, 1], name: [0, 100], link: [157, 100] } as const;

function apply(seed: Buffer, mutations: Mutation[]): Buffer {
  let bytes = Buffer.from(seed);
  const headers = headerOffsets(bytes);
  for (const m of mutations) {
    if (m.kind === 'flip') bytes[m.offset % bytes.length] ^= m.xor;
    else if (m.kind === 'cut') bytes = bytes.subarray(0, Math.floor(bytes.length * m.keep));
    else if (headers.length) {
      const at = headers[m.which % headers.length];
      if (at + BLOCK > bytes.length) continue;
      if (m.field === 'huge-size') {
        // base-256 size field: up to 2^88 bytes claimed
        bytes[at + 124] = 0x80;
        Buffer.from(m.value).copy(bytes, at + 125, 0, 11);
      } else {
        const [start, length] = FIELDS[m.field];
        bytes.fill(0, at + start, at + start + length);
        Buffer.from(m.value).copy(bytes, at + start, 0, length);
      }
      if (m.fix) fixChecksum(bytes, at);
    }
  }
  return bytes;
}

const octalText = fc
  .bigInt({ min: 0n, max: 0o77777777777n })
  .map((n) => new Uint8Array(Buffer.from(n.toString(8).padStart(11, '0') + '\0', 'latin1')));
// Offsets and header picks unbiased (fast-check favours small numbers, which would keep hitting the first header);
// cuts rarer than the rest, since a cut archive is refused early.
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('flip' as const),
      offset: fc.noBias(fc.nat()),
      xor: fc.integer({ min: 1, max: 255 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cut' as const),
      keep: fc.noBias(fc.integer({ min: 1, max: 999 })).map((n) => n / 1000),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('header' as const),
      which: fc.noBias(fc.nat()),
      field: fc.constantFrom('size' as const, 'type' as const, 'name' as const, 'link' as const, 'huge-size' as const),
      value: fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        octalText,
        fc.constantFrom(
          ...['0', '1', '2', '5', 'x', 'g', 'L', 'K', 'S', '../../etc/passwd', '/abs', '.wh..wh..opq', 'a/.wh.b'].map(
            (t) => new Uint8Array(Buffer.from(t)),
          ),
        ),
      ),
      fix: fc.boolean(),
    }),
  },
);

const work = mkdtempSync(join(tmpdir(), 'ballast-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => process.off('unhandledRejection', onUnhandled));

/** What the CLI would do with this input, as far as the bar is concerned. */
async function outcome(path: string, verify: boolean): Promise<{ ok: true } | { ok: false; error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`HANG: no answer in ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS);
  });
  try {
    await Promise.race([
      analyze({
        image: path,
        workers: 0,
        verify,
        limits: { maxDecompressedBytes: 256 * 1024 * 1024, maxEntries: 100_000 },
      }),
      hang,
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
}

describe('fuzz: mutated real archives', () => {
  it(`never crashes, hangs or mis-codes (${RUNS} cases, seed ${SEED})`, async () => {
    // The seed is printed so a failure can be replayed: FUZZ_SEED=<seed> (fast-check also prints the path).
    console.log(`fuzz: ${RUNS} cases, FUZZ_SEED=${SEED}`);
    let count = 0;
    const tally = { ok: 0, clean: 0 };
    const codes: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: SEEDS.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (seedIndex, mutations, verify) => {
          const seed = SEEDS[seedIndex];
          const path = join(work, `case-${count++}-${seed.name}`);
          writeFileSync(path, apply(seed.bytes, mutations));
          unhandled = [];
          const result = await outcome(path, verify);
          rmSync(path, { force: true });
          if (unhandled.length) throw new Error(`unhandled rejection: ${String(unhandled[0])}`);
          if (result.ok) {
            tally.ok++;
            return;
          }
          const error = result.error;
          // A crash: anything but a BallastError (TypeError, RangeError, a raw zlib error...), or ballast's own bug.
          if (!(error instanceof BallastError) || error instanceof BugError) throw error;
          expect(error.exitCode).toBe(2);
          expect(formatError(error)).not.toMatch(/\n/);
          tally.clean++;
          codes[error.code] = (codes[error.code] ?? 0) + 1;
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(
      `fuzz: ${tally.ok} analyzed, ${tally.clean} refused with one clean line (${JSON.stringify(codes)}), 0 crashes`,
    );
  }, 600_000);
});
