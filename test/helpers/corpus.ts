// The real-image corpus, built by scripts/corpus/build.sh, and the reference numbers scripts/corpus/reference.py
// measured from the same bytes (stats/*.json). Found at $BALLAST_CORPUS, else through the `.corpus` link that
// scripts/setup-tests.sh leaves in the checkout. Tests that need it are skipped when it is absent, and
// test/helpers/summary-reporter.cjs then fails the run unless BALLAST_ALLOW_SKIP=1.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const checkout = fileURLToPath(new URL('../..', import.meta.url));
export const corpusDir = process.env.BALLAST_CORPUS || join(checkout, '.corpus');
/** The Dockerfiles the corpus images are built from. */
export const corpusDockerfiles = join(checkout, 'scripts', 'corpus', 'dockerfiles');

export interface CorpusLayerStats {
  index: number;
  blob: string;
  media_type: string;
  compression: string;
  compressed_size: number;
  uncompressed_size: number;
  diff_id: string;
  diff_id_matches_config: boolean;
  [key: string]: unknown;
}

export interface CorpusImageStats {
  ref: string | null;
  platform: string;
  manifest_digest: string | null;
  config_digest?: string;
  layer_count: number;
  layers: CorpusLayerStats[];
  [key: string]: unknown;
}

export interface CorpusArtifact {
  /** Artifact path relative to the corpus, e.g. `bloated.oci` or `docker-engine/slim.docker-buildkit.tar`. */
  name: string;
  path: string;
  format: string;
  images: CorpusImageStats[];
}

/** An image's layerstats.py totals (the fields `referenceSummary` reads). */
export interface CorpusReference extends CorpusImageStats {
  totals: Record<string, number>;
  final_fs: Record<string, number>;
  wasted: Record<string, number>;
}

/** layerstats.py's image totals under the names `analyze`'s summary uses. */
export function referenceSummary(ref: CorpusReference) {
  return {
    layers: ref.layer_count,
    compressedBytes: ref.totals.compressed_size,
    uncompressedBytes: ref.totals.uncompressed_size,
    files: ref.totals.regular_files_all_layers,
    fileBytes: ref.totals.regular_bytes_all_layers,
    finalFiles: ref.final_fs.regular_files,
    finalFileBytes: ref.final_fs.regular_bytes,
    wastedBytes: ref.wasted.total,
    wasted: {
      deleted: ref.wasted.deleted,
      overwrittenChanged: ref.wasted.overwritten_changed,
      overwrittenSameContent: ref.wasted.overwritten_same_content,
    },
  };
}

export function corpusAvailable(): boolean {
  return existsSync(join(corpusDir, 'stats'));
}

/** Every artifact reference.py measured, with its images. */
export function corpusArtifacts(): CorpusArtifact[] {
  if (!corpusAvailable()) return [];
  return readdirSync(join(corpusDir, 'stats'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const stats = JSON.parse(readFileSync(join(corpusDir, 'stats', file), 'utf8')) as {
        source: string;
        format: string;
        images: CorpusImageStats[];
      };
      const name = file.slice(0, -'.json'.length).replace('__', '/');
      return { name, path: join(corpusDir, name), format: stats.format, images: stats.images };
    });
}

/** The IMAGE argument that selects one image of an artifact (by RepoTag / ref name), plus its --platform. */
export function corpusArgument(
  artifact: CorpusArtifact,
  image: CorpusImageStats,
): { argument: string; platform?: string } {
  const multiPlatform = new Set(artifact.images.map((i) => i.platform)).size > 1;
  if (artifact.images.length > 1 && !multiPlatform && image.ref) {
    return { argument: `docker-archive:${artifact.path}:${image.ref}` };
  }
  return { argument: artifact.path, platform: multiPlatform ? image.platform : undefined };
}

/**
 * `describe` when the corpus is there. Otherwise a skipped block holding one skipped test that names what is
 * missing, so that the skip is counted (an `it.each` over no artifacts would count nothing) and the run fails.
 */
export function describeWithCorpus(name: string, body: () => void): void {
  if (corpusAvailable()) {
    describe(name, body);
    return;
  }
  console.warn(
    `no corpus at ${corpusDir}: real-image tests SKIPPED (bash scripts/setup-tests.sh builds it, or set BALLAST_CORPUS)`,
  );
  describe.skip(name, () => {
    it(`needs the real-image corpus (${join(corpusDir, 'stats')})`, () => {});
  });
}
