// Every image rule, in code order. rules/index.ts registers them by code for lazy loading; the analyze service
// runs them all (one pass over the walked layers fans out to each rule).
import type { ImageRule } from '../../src/analysis/image-rules.js';

export async function loadImageRules(): Promise<ImageRule[]> {
  // Sequential: concurrent dynamic imports that share modules trip jest's ESM loader, and cost nothing here.
  return [
    (await import('./apt-lists-in-image.js')).rule,
    (await import('./package-cache-in-image.js')).rule,
    (await import('./deleted-file-still-shipped.js')).rule,
    (await import('./overwritten-in-later-layer.js')).rule,
    (await import('./metadata-only-copy.js')).rule,
    (await import('./git-directory-shipped.js')).rule,
    (await import('./build-toolchain-in-final-image.js')).rule,
    (await import('./dev-dependencies-shipped.js')).rule,
    (await import('./secrets-in-image.js')).rule,
  ];
}
