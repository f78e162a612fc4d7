// rpm packages from the SQLite database (`rpmdb.sqlite`, rpm >= 4.16: Fedora 33+, RHEL/UBI 9, Rocky/Alma 9,
// openSUSE). The `Packages` table holds one rpm header blob per installed package; the header format is small
// and stable, so it is parsed here rather than pulled in with a dependency. The SQLite engine (sql.js, WASM) is
// loaded only when an image has an rpm database, so other images pay nothing for it.
//
// Header blob layout (all integers big-endian, as stored in the database, i.e. without the 8-byte magic a
// header has inside a .rpm file):
//   u32 il                  number of index entries
//   u32 dl                  bytes of the data store
//   il * { u32 tag, u32 type, u32 offset, u32 count }   offset is relative to the data store
//   dl bytes of data        strings NUL-terminated, integers naturally aligned
import type { Database } from 'sql.js';

export const RPM_DATABASES = ['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite'] as const;

const TAG = {
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  size: 1009,
  arch: 1022,
  dirIndexes: 1116,
  baseNames: 1117,
  dirNames: 1118,
  longSize: 5009,
} as const;

const TYPE = { int32: 4, int64: 5, string: 6, stringArray: 8, i18nString: 9 } as const;

export interface RpmHeader {
  name: string;
  version: string | null;
  release: string | null;
  epoch: number | null;
  arch: string | null;
  /** Installed size the package declares (SIZE, or LONGSIZE for packages over 4 GiB). */
  declaredBytes: number | null;
  /** Image paths of its files and directories: no leading `/`, bytes as latin1 like the filesystem's paths. */
  paths: string[];
}

interface IndexEntry {
  type: number;
  offset: number;
  count: number;
}

/** Thrown for a blob that is not a well-formed header; the caller turns it into a warning. */
class HeaderError extends Error {}

/** Parses one header blob. Unknown tags are ignored; missing optional tags come back as null. */
export function parseRpmHeader(blob: Uint8Array): RpmHeader {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 8) throw new HeaderError('header shorter than its 8-byte preamble');
  const il = buf.readUInt32BE(0);
  const dl = buf.readUInt32BE(4);
  const dataStart = 8 + il * 16;
  // Bounds from the blob itself: a corrupt count must not make us allocate or loop far past the data.
  if (dataStart + dl > buf.length)
    throw new HeaderError(`header claims ${il} entries and ${dl} data bytes, blob has ${buf.length}`);
  const data = buf.subarray(dataStart, dataStart + dl);
  const index = new Map<number, IndexEntry>();
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    const tag = buf.readUInt32BE(at);
    const entry = {
      type: buf.readUInt32BE(at + 4),
      offset: buf.readUInt32BE(at + 8),
      count: buf.readUInt32BE(at + 12),
    };
    if (entry.offset > dl) throw new HeaderError(`tag ${tag} points past the data store`);
    index.set(tag, entry);
  }

  const strings = (tag: number, encoding: BufferEncoding): string[] | null => {
    const e = index.get(tag);
    if (!e) return null;
    if (e.type !== TYPE.string && e.type !== TYPE.stringArray && e.type !== TYPE.i18nString)
      throw new HeaderError(`tag ${tag} is not a string`);
    const out: string[] = [];
    let pos = e.offset;
    // A STRING has count 1; an I18NSTRING's first entry is the untranslated text.
    const n = e.type === TYPE.stringArray ? e.count : 1;
    for (let i = 0; i < n; i++) {
      const end = data.indexOf(0, pos);
      if (end < 0) throw new HeaderError(`tag ${tag}: string runs past the data store`);
      out.push(data.toString(encoding, pos, end));
      pos = end + 1;
    }
    return out;
  };
  const string = (tag: number): string | null => strings(tag, 'utf8')?.[0] ?? null;
  const numbers = (tag: number): number[] | null => {
    const e = index.get(tag);
    if (!e) return null;
    const width = e.type === TYPE.int32 ? 4 : e.type === TYPE.int64 ? 8 : 0;
    if (!width) throw new HeaderError(`tag ${tag} is not an integer`);
    if (e.offset + e.count * width > dl)
      throw new HeaderError(`tag ${tag}: ${e.count} integers run past the data store`);
    const out: number[] = [];
    for (let i = 0; i < e.count; i++) {
      const at = e.offset + i * width;
      out.push(width === 4 ? data.readUInt32BE(at) : Number(data.readBigUInt64BE(at)));
    }
    return out;
  };

  const name = string(TAG.name);
  if (name === null) throw new HeaderError('header has no NAME');
  // Paths are kept as latin1 so they compare byte for byte with the filesystem's (binary) paths.
  const baseNames = strings(TAG.baseNames, 'latin1') ?? [];
  const dirNames = strings(TAG.dirNames, 'latin1') ?? [];
  const dirIndexes = numbers(TAG.dirIndexes) ?? [];
  if (dirIndexes.length !== baseNames.length)
    throw new HeaderError(`${name}: ${baseNames.length} file names but ${dirIndexes.length} directory indexes`);
  const paths = baseNames.map((base, i) => {
    const dir = dirNames[dirIndexes[i]];
    if (dir === undefined) throw new HeaderError(`${name}: directory index ${dirIndexes[i]} out of range`);
    return `${dir}${base}`.replace(/^\/+/, '');
  });
  return {
    name,
    version: string(TAG.version),
    release: string(TAG.release),
    epoch: numbers(TAG.epoch)?.[0] ?? null,
    arch: string(TAG.arch),
    declaredBytes: numbers(TAG.longSize)?.[0] ?? numbers(TAG.size)?.[0] ?? null,
    paths,
  };
}

export interface RpmDatabaseRead {
  headers: RpmHeader[];
  /** One line per problem: an unreadable database, or a package whose header could not be parsed. */
  warnings: string[];
}

let sqlite: Promise<typeof import('sql.js')> | undefined;

/** Loads the WASM SQLite engine once per process. */
async function loadSqlite(): Promise<Awaited<ReturnType<typeof import('sql.js')>>> {
  sqlite ??= import('sql.js').then((m) => (m as unknown as { default: typeof import('sql.js') }).default ?? m);
  const init = await sqlite;
  return init();
}

/** Reads every package header of an `rpmdb.sqlite` file (its whole bytes). Never throws for bad data. */
export async function readRpmDatabase(bytes: Buffer, where: string): Promise<RpmDatabaseRead> {
  const warnings: string[] = [];
  const headers: RpmHeader[] = [];
  // rpm keeps its database in WAL mode; sql.js has no shared memory for WAL, so the copy it opens is marked as
  // a rollback-journal database (header bytes 18-19), which reads the same pages. Changes still in a -wal file
  // are not seen; rpm checkpoints them when it closes the database.
  const copy = Buffer.from(bytes);
  if (copy.length >= 20 && copy[18] === 2 && copy[19] === 2) copy[18] = copy[19] = 1;
  let db: Database | undefined;
  try {
    const SQL = await loadSqlite();
    db = new SQL.Database(copy);
    const rows = db.exec('SELECT hnum, blob FROM Packages ORDER BY hnum');
    for (const row of rows[0]?.values ?? []) {
      const [hnum, blob] = row;
      if (!(blob instanceof Uint8Array)) {
        warnings.push(`${where}: package #${String(hnum)} has no header blob`);
        continue;
      }
      try {
        headers.push(parseRpmHeader(blob));
      } catch (error) {
        if (!(error instanceof HeaderError) && !(error instanceof RangeError)) throw error;
        warnings.push(`${where}: package #${String(hnum)}: ${error.message}`);
      }
    }
  } catch (error) {
    warnings.push(`${where}: not a readable rpm database (${(error as Error).message})`);
  } finally {
    db?.close();
  }
  return { headers, warnings };
}
