// Digests that prove something, end to end on a real legacy `docker save` archive (the dive fixture, Docker
// 18.09) copied into a temp dir and modified after saving: a changed layer.tar is never analyzed silently,
// whether stored plain or compressed under a name that carries no digest, and `--json` says which checks ran.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { extract, pack, type Header } from 'tar-stream';
import { runCli } from '../helpers/cli.js';

const LEGACY = 'test/fixtures/dive/test-docker-image.tar';
const OCI_GZIP = 'test/fixtures/dive/test-oci-gzip-image.tar';

interface Member {
  header: Header;
  data: Buffer;
}

async function readTar(buf: Buffer): Promise<Member[]> {
  const ex = extract();
  const out: Member[] = [];
  ex.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(c as Buffer));
    stream.on('end', () => {
      out.push({ header, data: Buffer.concat(chunks) });
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  ex.end(buf);
  await done;
  return out;
}

async function writeTar(members: Member[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => p.on('end', resolve));
  for (const m of members) {
    await new Promise<void>((resolve, reject) => {
      const header = { ...m.header, size: m.header.type === 'file' ? m.data.length : 0 };
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      if (m.header.type === 'file') p.entry(header, m.data, done);
      else p.entry(header, done);
    });
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Flips one content byte of the first non-empty regular file in a layer tar (its headers stay valid). */
function flipContentByte(layerTar: Buffer): Buffer {
  const out = Buffer.from(layerTar);
  for (let pos = 0; pos + 512 <= out.length;) {
    const size = Number.parseInt(
      out
        .toString('latin1', pos + 124, pos + 136)
        .replace(/\0.*$/, '')
        .trim() || '0',
      8,
    );
    const type = String.fromCharCode(out[pos + 156]);
    if ((type === '0' || type === '\0') && size > 0) {
      out[pos + 512] ^= 1;
      return out;
    }
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error('no file content to modify');
}

let dir: string;
let layerPath: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-digests-'));
  const members = await readTar(readFileSync(LEGACY));
  const manifest = JSON.parse(members.find((m) => m.header.name === 'manifest.json')!.data.toString()) as {
    Layers: string[];
  }[];
  layerPath = manifest[0].Layers[1];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The legacy archive with layer 1's layer.tar replaced by `change(original)`. */
async function variant(name: string, change: (layer: Buffer) => Buffer): Promise<string> {
  const members = await readTar(readFileSync(LEGACY));
  const layer = members.find((m) => m.header.name === layerPath)!;
  layer.data = change(layer.data);
  const path = join(dir, name);
  writeFileSync(path, await writeTar(members));
  return path;
}

const checksOf = (stdout: string) => {
  const r = JSON.parse(stdout) as { image: { checks: unknown }; layers: { checks: unknown }[] };
  return { image: r.image.checks, layer1: r.layers[1]?.checks };
};

describe('digest checks', () => {
  it('an unmodified legacy save: the diff_ids are checked, and no blob digest is claimed', async () => {
    const { code, stdout } = await runCli(['analyze', LEGACY, '--json']);
    expect(code).toBe(0);
    expect(checksOf(stdout)).toEqual({
      image: { blobDigests: 'not-available', diffIds: 'verified' },
      layer1: { blobDigest: 'not-available', diffId: 'verified' },
    });
  });

  it('a plain layer.tar modified after saving: exit 2, one line naming the layer; --no-verify reads it and says so', async () => {
    const path = await variant('plain-modified.tar', flipContentByte);
    const r = await runCli(['analyze', path, '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^error: reading layer 1 .*: the content does not match its diff_id: .*\(hint: .*--no-verify/,
    );
    const forced = await runCli(['analyze', path, '--json', '--no-verify']);
    expect(forced.code).toBe(0);
    expect(checksOf(forced.stdout).image).toEqual({ blobDigests: 'skipped', diffIds: 'skipped' });
  });

  it('a layer.tar stored gzip-compressed (no digest in its name): its diff_id is checked by default', async () => {
    const good = await variant('gzip-good.tar', (layer) => gzipSync(layer));
    const ok = await runCli(['analyze', good, '--json']);
    expect(ok.code).toBe(0);
    // The blob digest would be hashed from the very file it verifies: not claimed.
    expect(checksOf(ok.stdout).layer1).toEqual({ blobDigest: 'not-available', diffId: 'verified' });

    const bad = await variant('gzip-modified.tar', (layer) => gzipSync(flipContentByte(layer)));
    const r = await runCli(['analyze', bad, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: reading layer 1 .*does not match its diff_id/);
  });

  it('a malformed layer tar read with --no-verify: exit 2, one line naming the layer and the problem', async () => {
    // The first header's size field made non-octal: the header decodes to nonsense, as a hostile tar would.
    const path = await variant('malformed.tar', (layer) => {
      const out = Buffer.from(layer);
      out.write('9', 124, 'latin1');
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : out[i];
      out.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
      return out;
    });
    const r = await runCli(['analyze', path, '--json', '--no-verify']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^error: reading layer 1 .*corrupt tar header after 0 entries: the size field is not a valid size/,
    );
  });

  it('an OCI archive: blob digests from the manifest verified; diff_ids only with --verify-diff-ids', async () => {
    // --no-cache: checks of a read (a layer served from the cache says `cached`: test/cli/cache-trust.test.ts).
    const plain = await runCli(['analyze', OCI_GZIP, '--json', '--no-cache']);
    expect(plain.code).toBe(0);
    expect(checksOf(plain.stdout).image).toEqual({ blobDigests: 'verified', diffIds: 'skipped' });
    const both = await runCli(['analyze', OCI_GZIP, '--json', '--verify-diff-ids', '--no-cache']);
    expect(checksOf(both.stdout).image).toEqual({ blobDigests: 'verified', diffIds: 'verified' });
  });
});
