// scripts/corpus/reference.py, the independent reference the corpus tests compare ballast with, on a hand-built
// image whose numbers are fixed by construction: an overwrite through a directory symlink, a mode-only copy, a
// whiteout of a directory, an opaque directory, a later overwrite, duplicates and junk. The same numbers must come
// out of an OCI layout (gzip) and a docker-archive (plain tars), and ballast's analyze must agree with them.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { analyze } from '../../src/services/analyze.js';
import {
  DIR,
  OPAQUE,
  WHITEOUT,
  buildDockerArchive,
  buildOciLayout,
  file,
  hardlink,
  layer,
  symlink,
  type BuiltImage,
} from '../helpers/image-builder.js';

const run = promisify(execFile);
const reference = fileURLToPath(new URL('../../scripts/corpus/reference.py', import.meta.url));

const layers = [
  layer({
    'usr/': DIR,
    'usr/bin/': DIR,
    bin: symlink('usr/bin'),
    'usr/bin/tool': 1000,
    'etc/conf': file('aaaa'),
    'opt/big/a': 5000,
    'opt/big/b': 3000,
    'app/data/m': 2000,
    'app/cache/x': 700,
    'app/cache/y': 300,
    'srv/dup1': 'same-content-1234',
    'srv/dup2': 'same-content-1234',
    'app/.git/objects/o': 111,
    'app/node_modules/p/index.js': 222,
    'app/.env': 'A=1\n',
  }),
  layer({
    'bin/tool': 1200, // lands on usr/bin/tool through the symlink: 1000 B overwritten (changed)
    'etc/conf': file('aaaa', { mode: 0o600 }), // same bytes: 4 B overwritten (same content)
    'opt/.wh.big': WHITEOUT, // 8000 B deleted
    'app/cache/.wh..wh..opq': OPAQUE, // 1000 B deleted
    'app/cache/z': 50,
  }),
  layer({ 'app/data/m': 2500 }), // 2000 B overwritten (changed)
];

interface Report {
  format: string;
  images: {
    layer_count: number;
    totals: Record<string, number>;
    final_fs: Record<string, number>;
    wasted: Record<string, number> & {
      top: { path: string; size: number; in_layer: number; cause: string; by_layer: number }[];
    };
    duplicates_in_final_fs: { extra_bytes: number; groups: number };
    junk_in_final_fs: Record<string, { files: number; bytes: number }>;
    layers: {
      regular_bytes: number;
      diff_id: string;
      diff_id_matches_config: boolean;
      wasted: Record<string, number>;
    }[];
  }[];
}

async function measure(image: BuiltImage): Promise<Report> {
  const out = mkdtempSync(join(tmpdir(), 'ballast-reference-'));
  try {
    await run('python3', [reference, '--json', join(out, 'report.json'), image.path]);
    return JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe.each([
  ['OCI layout', buildOciLayout, 'oci-layout'],
  ['docker-archive', buildDockerArchive, 'docker-archive'],
])('reference.py on a hand-built image (%s)', (_label, build, format) => {
  let image: BuiltImage;
  let report: Report;
  beforeAll(async () => {
    image = await build(layers);
    report = await measure(image);
  });
  afterAll(() => image.cleanup());

  it('gives the numbers fixed by construction', () => {
    expect(report.format).toBe(format);
    const [r] = report.images;
    expect(r.layer_count).toBe(3);
    expect(r.layers.map((l) => l.regular_bytes)).toEqual([12375, 1254, 2500]);
    expect(r.layers.map((l) => l.diff_id)).toEqual(image.diffIds);
    expect(r.layers.every((l) => l.diff_id_matches_config)).toBe(true);
    expect(r.totals).toMatchObject({
      regular_files_all_layers: 16,
      regular_bytes_all_layers: 16129,
      whiteouts: 1,
      opaque_whiteouts: 1,
    });
    expect(r.final_fs).toMatchObject({ regular_files: 9, regular_bytes: 4125, symlinks: 1 });
    expect(r.wasted).toMatchObject({
      total: 12004,
      deleted: 9000,
      overwritten_changed: 3000,
      overwritten_same_content: 4,
    });
    expect(r.layers.map((l) => l.wasted.total)).toEqual([12004, 0, 0]);
    expect(r.wasted.top[0]).toEqual({ path: 'opt/big/a', size: 5000, in_layer: 0, cause: 'deleted', by_layer: 1 });
    expect(r.wasted.top.find((t) => t.path === 'usr/bin/tool')).toMatchObject({
      cause: 'overwritten_changed',
      by_layer: 1,
    });
    expect(r.duplicates_in_final_fs).toMatchObject({ extra_bytes: 17, groups: 1 });
    expect(r.junk_in_final_fs).toMatchObject({
      git_dirs: { files: 1, bytes: 111 },
      node_modules: { files: 1, bytes: 222 },
      dotenv_files: { files: 1, bytes: 4 },
      apt_lists: { files: 0, bytes: 0 },
    });
  });

  it('agrees with analyze', async () => {
    const [r] = report.images;
    const mine = await analyze({ image: image.path });
    expect(mine.summary).toMatchObject({
      uncompressedBytes: r.totals.uncompressed_size,
      fileBytes: r.totals.regular_bytes_all_layers,
      finalFiles: r.final_fs.regular_files,
      finalFileBytes: r.final_fs.regular_bytes,
      wastedBytes: r.wasted.total,
      wasted: {
        deleted: r.wasted.deleted,
        overwrittenChanged: r.wasted.overwritten_changed,
        overwrittenSameContent: r.wasted.overwritten_same_content,
      },
      duplicateBytes: r.duplicates_in_final_fs.extra_bytes,
    });
  });
});

// Hard links are names of one inode: the bytes live while any name does, and are wasted once when the last goes.
const linked = [
  layer({
    'a/orig': 1000,
    'a/link': hardlink('a/orig'),
    'b/one': 300,
    'b/two': hardlink('b/one'),
    'c/base': 500,
  }),
  layer({
    'a/.wh.orig': WHITEOUT, // a/link keeps the 1000 B
    'b/.wh.one': WHITEOUT,
    'b/.wh.two': WHITEOUT, // both names gone: 300 B deleted, once
    'd/up': hardlink('c/base'), // a name in this layer for a lower layer's file
  }),
  layer({ 'c/.wh.base': WHITEOUT }), // d/up keeps the 500 B
];

describe('reference.py and analyze on hard links', () => {
  let image: BuiltImage;
  let report: Report;
  beforeAll(async () => {
    image = await buildOciLayout(linked);
    report = await measure(image);
  });
  afterAll(() => image.cleanup());

  it('give the numbers fixed by construction, the same in both', async () => {
    const [r] = report.images;
    expect(r.layers.map((l) => l.regular_bytes)).toEqual([1800, 0, 0]);
    expect(r.final_fs).toMatchObject({ regular_files: 2, regular_bytes: 1500, hardlinks: 0 });
    expect(r.wasted).toMatchObject({ total: 300, deleted: 300, overwritten_changed: 0, overwritten_same_content: 0 });
    expect(r.layers.map((l) => l.wasted.total)).toEqual([300, 0, 0]);
    const mine = await analyze({ image: image.path });
    expect(mine.summary).toMatchObject({
      fileBytes: 1800,
      finalFiles: 2,
      finalFileBytes: 1500,
      wastedBytes: 300,
      wasted: { deleted: 300, overwrittenChanged: 0, overwrittenSameContent: 0 },
    });
  });
});

it('reference.py exits 1 with one line for something that is not an image', async () => {
  const failed = await run('python3', [reference, fileURLToPath(import.meta.url)]).catch(
    (e: { code: number; stderr: string }) => e,
  );
  expect(failed).toMatchObject({ code: 1 });
  expect((failed as { stderr: string }).stderr.trim().split('\n')).toHaveLength(1);
});
