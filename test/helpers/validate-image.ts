// The invariant check every source's tests end with: whatever the source, an Image must tell one
// consistent story (config <-> layers <-> manifest <-> the bytes the streams give).
import { isDigest, sha256 } from '../../src/image/digest.js';
import { digestStream } from '../../src/image/streams.js';
import type { Image } from '../../src/image/types.js';

export interface ValidateOptions {
  /** Stream every layer and check digests by hashing here too (default true; off for huge corpus images). */
  streams?: boolean;
}

export async function validateImage(image: Image, options: ValidateOptions = {}): Promise<void> {
  const config = await image.configFile();
  const rawConfig = await image.rawConfigFile();
  expect(await image.configDigest()).toBe(sha256(rawConfig));
  expect(typeof config.os).toBe('string');
  expect(typeof config.architecture).toBe('string');

  const layers = await image.layers();
  expect(layers.length).toBe(config.rootfs.diff_ids.length);
  // Memoized: asking twice gives the same objects.
  expect(await image.layers()).toBe(layers);

  const manifest = await image.manifest();
  expect(manifest.layers.length).toBe(layers.length);
  const digest = await image.digest();
  if (digest !== undefined) {
    expect(isDigest(digest)).toBe(true);
    expect(sha256(await image.rawManifest())).toBe(digest);
    expect(manifest.config.digest).toBe(await image.configDigest());
  }
  expect(typeof (await image.mediaType())).toBe('string');

  for (const [i, layer] of layers.entries()) {
    const diffId = await layer.diffId();
    expect(diffId).toBe(config.rootfs.diff_ids[i]);
    const layerDigest = await layer.digest();
    expect(isDigest(layerDigest)).toBe(true);
    expect(await layer.size()).toBeGreaterThanOrEqual(0);
    expect(typeof (await layer.mediaType())).toBe('string');
    expect(await image.layerByDiffId(diffId)).toBeDefined();
    expect(await image.layerByDigest(layerDigest)).toBeDefined();
    if (options.streams === false || !(await layer.isFilesystem())) continue;
    const stored = await digestStream(await layer.compressed());
    expect(stored.digest).toBe(layerDigest);
    expect(stored.size).toBe(await layer.size());
    // A fresh stream each time, and the tar hashes to the diffId.
    const tar = await digestStream(await layer.uncompressed());
    expect(tar.digest).toBe(diffId);
  }
}
