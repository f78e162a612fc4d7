// Every image rule, in code order. rules/index.ts registers them by code for lazy loading; the analyze service
// runs them all (one pass over the walked layers fans out to each rule).
import type { ImageRule } from '../../src/analysis/image-rules.js';

export async function loadImageRules(): Promise<ImageRule[]> {
  const modules = await Promise.all([
    import('./apt-lists-in-image.js'),
    import('./package-cache-in-image.js'),
    import('./deleted-in-later-layer.js'),
    import('./overwritten-in-later-layer.js'),
    import('./metadata-only-copy.js'),
    import('./git-directory-shipped.js'),
    import('./build-toolchain-in-final-image.js'),
    import('./dev-dependencies-shipped.js'),
    import('./secrets-in-image.js'),
  ]);
  return modules.map((m) => m.rule);
}
