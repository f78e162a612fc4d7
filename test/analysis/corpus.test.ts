// Every corpus artifact (all formats) against the numbers scripts/corpus/reference.py measured for it, exactly:
// layers, files, bytes, waste by cause, duplicates and the junk classes the reference defines. The corpus is built
// by scripts/corpus/build.sh (see test/helpers/corpus.ts for where it is found).
import { analyze } from '../../src/services/analyze.js';
import {
  corpusArgument,
  corpusArtifacts,
  describeWithCorpus,
  referenceSummary,
  type CorpusReference,
} from '../helpers/corpus.js';

const REFERENCE_JUNK: Record<string, string> = {
  apt_lists: 'aptLists',
  apt_cache: 'aptCache',
  git_dirs: 'gitDirs',
  node_modules: 'nodeModules',
  python_bytecode: 'pythonBytecode',
  docs_man_info: 'docsManInfo',
  tmp_dirs: 'tmpDirs',
  home_caches: 'homeCaches',
  logs: 'logs',
  dotenv_files: 'dotenvFiles',
};

interface Reference extends CorpusReference {
  duplicates_in_final_fs: { extra_bytes: number; groups: number };
  junk_in_final_fs: Record<string, { files: number; bytes: number }>;
}

const cases = corpusArtifacts().flatMap((artifact) =>
  artifact.images.map((image) => ({
    artifact,
    image: image as Reference,
    label: `${artifact.name} ${image.platform} ${image.ref ?? ''}`,
  })),
);

describeWithCorpus('analyze agrees with reference.py on the corpus', () => {
  it.each(cases)('$label', async ({ artifact, image: ref }) => {
    const { argument, platform } = corpusArgument(artifact, ref);
    const r = await analyze({ image: argument, platform, top: 5 });
    expect(r.summary.layers).toBe(ref.layer_count);
    expect(r.layers.map((l) => l.diffId)).toEqual(ref.layers.map((l) => l.diff_id));
    expect(r.layers.map((l) => l.uncompressedBytes)).toEqual(ref.layers.map((l) => l.uncompressed_size));
    expect(r.layers.map((l) => l.compressedBytes)).toEqual(ref.layers.map((l) => l.compressed_size));
    expect(
      r.layers.map((l) => [l.entries, l.files, l.fileBytes, l.whiteouts, l.opaqueWhiteouts, l.wastedBytes]),
    ).toEqual(
      ref.layers.map((l) => [
        l.entries,
        l.regular_files,
        l.regular_bytes,
        l.whiteouts,
        l.opaque_whiteouts,
        l.wasted_bytes,
      ]),
    );
    expect(r.layers.map((l) => l.wasted)).toEqual(
      ref.layers.map((l) => {
        const w = l.wasted as Record<string, number>;
        return {
          deleted: w.deleted,
          overwrittenChanged: w.overwritten_changed,
          overwrittenSameContent: w.overwritten_same_content,
        };
      }),
    );
    expect(r.summary).toMatchObject({
      ...referenceSummary(ref),
      duplicateBytes: ref.duplicates_in_final_fs.extra_bytes,
    });
    expect(r.duplicates.groups).toBe(ref.duplicates_in_final_fs.groups);
    for (const [refId, id] of Object.entries(REFERENCE_JUNK)) {
      const mine = r.junk.find((j) => j.id === id)!;
      expect({ id, files: mine.files, bytes: mine.bytes }).toEqual({ id, ...ref.junk_in_final_fs[refId] });
    }
    // The invariant, and the biggest wasted file is the reference's.
    expect(r.summary.fileBytes).toBe(r.summary.finalFileBytes + r.summary.wastedBytes);
    const top = (ref.wasted as unknown as { top: { size: number }[] }).top;
    if (top.length) expect(r.wastedFiles[0].sizeBytes).toBe(top[0].size);
  });
});
