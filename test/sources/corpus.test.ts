// Every artifact of the real-image corpus (mmdebstrap, buildah, skopeo, umoci and Docker Engine output, in
// OCI layout, OCI archive, docker-archive, zstd and multi-arch forms) opens, with the same layers, blob digests,
// sizes and diff_ids that scripts/corpus/reference.py computed independently from the bytes.
import { openImage } from '../../src/sources/resolve.js';
import { corpusArgument, corpusArtifacts, describeWithCorpus } from '../helpers/corpus.js';
import { validateImage } from '../helpers/validate-image.js';

const cases = corpusArtifacts().flatMap((artifact) =>
  artifact.images.map((image) => ({ label: `${artifact.name} ${image.ref ?? ''} ${image.platform}`, artifact, image })),
);
// Streaming every layer of the big images is the analyzer's corpus test; here only the small ones are re-hashed.
const STREAM_LIMIT = 300 * 1024 * 1024;

describeWithCorpus('corpus artifacts open like reference.py reads them', () => {
  it.each(cases)('$label', async ({ artifact, image: expected }) => {
    const { argument, platform } = corpusArgument(artifact, expected);
    const image = await openImage(argument, { platform, notice: () => {} });
    try {
      const config = await image.configFile();
      expect(`${config.os}/${config.architecture}`).toBe(expected.platform);
      const layers = await image.layers();
      expect(layers).toHaveLength(expected.layer_count);
      for (const [i, layer] of layers.entries()) {
        const stats = expected.layers[i];
        expect(stats.diff_id_matches_config).toBe(true);
        expect(await layer.diffId()).toBe(stats.diff_id);
        expect(await layer.size()).toBe(stats.compressed_size);
        if (stats.blob.startsWith('sha256:')) expect(await layer.digest()).toBe(stats.blob);
      }
      if (expected.manifest_digest) expect(await image.digest()).toBe(expected.manifest_digest);
      const total = expected.layers.reduce((sum, l) => sum + l.uncompressed_size, 0);
      await validateImage(image, { streams: total <= STREAM_LIMIT });
    } finally {
      await image.close();
    }
  });
});
