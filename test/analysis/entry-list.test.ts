// A layer's entry list in columns: every field of every entry comes back as it went in, through the scanner, through
// a worker's message (its buffers moved, not copied), and its columns hold no spare capacity for a message to carry.
import { createHash } from 'node:crypto';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { EntryList, NUMBERS, SHA_BYTES, type EntryColumns } from '../../src/analysis/entry-list.js';
import { LayerScanner, type ScanEntry } from '../../src/analysis/scan-layer.js';
import { packTar } from '../helpers/tar.js';

const sha = (text: string) => createHash('sha256').update(text).digest('binary');

/** Entries of every kind and field, past the builder's first capacity (256) so its columns grow. */
function sample(): ScanEntry[] {
  const out: ScanEntry[] = [
    { path: 'etc', kind: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, mtime: 1.5 },
    { path: 'etc/\xe9t\xe9', kind: 'file', size: 3, mode: 0o644, uid: 1000, gid: 2 ** 40, mtime: 0, sha: sha('abc') },
    { path: 'bin/sh', kind: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, link: '/bin/dash' },
    { path: 'bin/ash', kind: 'hardlink', size: 0, mode: 0o755, uid: 0, gid: 0, mtime: 7, link: 'bin/busybox' },
    { path: 'dev/null', kind: 'other', size: 0, mode: 0o20666, uid: 0, gid: 0, mtime: 7 },
    { path: 'var/gone', kind: 'whiteout', size: 0, mode: 0, uid: 0, gid: 0, mtime: 7 },
    { path: 'opt', kind: 'opaque', size: 0, mode: 0, uid: 0, gid: 0, mtime: 7 },
    { path: 'x', kind: 'file', size: 0, mode: 0o644, uid: 0, gid: 0, mtime: 7, xattrs: { 'user.a': '\x00\xff' } },
    { path: '', kind: 'file', size: 0, mode: 0, uid: 0, gid: 0, mtime: 7, sha: sha('') },
  ];
  for (let i = 0; i < 600; i++)
    out.push({
      path: `d/${'n'.repeat(i % 40)}${i}`,
      kind: 'file',
      size: i,
      mode: 0o600,
      uid: i,
      gid: 0,
      sha: sha(`${i}`),
    });
  return out;
}

/** An entry as the list gives it: absent optional fields read as undefined. */
const full = (e: ScanEntry): ScanEntry => ({ mtime: undefined, sha: undefined, link: undefined, ...e });

async function across(port1: MessagePort, port2: MessagePort, list: EntryList): Promise<EntryList> {
  const received = new Promise<EntryColumns>((resolve) => port2.once('message', resolve));
  port1.postMessage(list.columns, list.transferables());
  return new EntryList(await received);
}

describe('EntryList', () => {
  it('gives back every field of every entry, by index and in order', () => {
    const entries = sample();
    const list = EntryList.of(entries);
    expect(list.length).toBe(entries.length);
    expect([...list]).toEqual(entries.map(full));
    for (const i of [0, 1, 5, 608]) {
      expect(list.entry(i)).toEqual(full(entries[i]));
      expect(list.kind(i)).toBe(entries[i].kind);
      expect(list.path(i)).toBe(entries[i].path);
      expect(list.size(i)).toBe(entries[i].size);
      expect(list.sha(i)).toBe(entries[i].sha);
    }
    expect(EntryList.of([]).length).toBe(0);
  });

  it('holds each column in a buffer of its own of exactly its length, so a message carries no spare capacity', () => {
    const n = sample().length;
    const { columns } = EntryList.of(sample());
    const pathBytes = sample().reduce((s, e) => s + e.path.length, 0);
    const sizes = [n, n * NUMBERS * 8, n * SHA_BYTES, n * 4, pathBytes];
    const arrays = [columns.kinds, columns.numbers, columns.shas, columns.pathEnds, columns.pathBytes];
    expect(arrays.map((a) => a.buffer.byteLength)).toEqual(sizes);
  });

  it('crosses a message port with its buffers moved, and reads the same on the other side', async () => {
    const { port1, port2 } = new MessageChannel();
    try {
      const list = EntryList.of(sample());
      const moved = await across(port1, port2, list);
      expect([...moved]).toEqual(sample().map(full));
      expect(list.columns.numbers.length).toBe(0); // transferred: detached here
    } finally {
      port1.close();
      port2.close();
    }
  });

  it("holds the scanner's entries, content hashes and links included", async () => {
    const scanner = new LayerScanner('test layer');
    scanner.write(
      await packTar([
        { name: 'a/', type: 'directory' },
        { name: 'a/f', content: 'abc' },
        { name: 'a/l', type: 'symlink', linkname: 'f' },
        { name: 'a/.wh.g', content: '' },
      ]),
    );
    const { entries } = scanner.finish();
    expect([...entries].map((e) => [e.path, e.kind, e.size, e.sha, e.link])).toEqual([
      ['a', 'dir', 0, undefined, undefined],
      ['a/f', 'file', 3, sha('abc'), undefined],
      ['a/l', 'symlink', 0, undefined, 'f'],
      ['a/g', 'whiteout', 0, undefined, undefined],
    ]);
  });
});
