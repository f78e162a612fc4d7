// The junk classes of hard-linked files, on the counter alone: a file is added once, under the name that holds its
// bytes, and the counter asks for its other live names. Secret classes count it if any name is in the class, under
// that name; the other classes only if every name is.
import { JunkCounter } from '../../src/analysis/junk.js';

/** The counter after adding one 100-byte file at `holder` whose inode also has the names `others`. */
function counted(holder: string, others: string[]): JunkCounter {
  const junk = new JunkCounter((path) => (path === holder ? others : []));
  junk.add(holder, 100, 0);
  return junk;
}

const paths = (junk: JunkCounter, id: string) => junk.files.get(id)!.map((f) => f.path);
const totals = (junk: JunkCounter, id: string) => junk.result().find((t) => t.id === id)!;

describe('JunkCounter and hard-linked files', () => {
  it.each([
    // [holder, other names, class, paths the class lists]
    ['srv/k', ['root/.ssh/id_rsa'], 'keyFiles', ['root/.ssh/id_rsa']],
    ['data/x', ['app/.env'], 'dotenvFiles', ['app/.env']],
    ['root/.ssh/id_rsa', ['srv/k'], 'keyFiles', ['root/.ssh/id_rsa']],
    // Once per file, however many of its names are in the class.
    ['srv/k', ['root/.ssh/id_rsa', 'home/u/.ssh/id_rsa'], 'keyFiles', ['root/.ssh/id_rsa']],
    ['a/.env', ['b/.env'], 'dotenvFiles', ['a/.env']],
    ['srv/k', [], 'keyFiles', []],
    ['srv/k', ['srv/k2'], 'keyFiles', []],
  ])('secrets: %s linked from %j is in %s as %j', (holder, others, id, expected) => {
    const junk = counted(holder, others);
    expect(paths(junk, id)).toEqual(expected);
    // Each copy is still known by the name that holds it, so that the findings total counts it once.
    expect(junk.files.get(id)!.map((f) => f.holder ?? f.path)).toEqual(expected.map(() => holder));
    expect(totals(junk, id)).toMatchObject({ files: expected.length, bytes: 100 * expected.length });
    expect(totals(junk, id).top.map((t) => t.path)).toEqual(expected);
  });

  it.each([
    // [holder, other names, class, files counted]: a name outside the class keeps the bytes.
    ['var/log/a', ['var/log/b'], 'logs', 1],
    ['var/log/a', ['srv/a'], 'logs', 0],
    ['srv/a', ['var/log/a'], 'logs', 0],
    ['root/.cache/pip/x', ['srv/x'], 'pipCache', 0],
  ])('other classes: %s linked from %j counts %s %i times', (holder, others, id, files) => {
    expect(totals(counted(holder, others), id)).toMatchObject({ files, bytes: 100 * files });
  });
});
