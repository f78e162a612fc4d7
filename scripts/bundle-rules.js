#!/usr/bin/env node
// Build step after `tsc`: makes dist/rules/index.js one module holding every rule, and removes the rules' own
// compiled files. Node loads an ES module per file (resolve, stat, read, compile, link): a cold `ballast lint` loaded
// 189 files, 100 of them rules, and those rule loads were about a fifth of its CPU time (bench/README.md, session 32).
// The sources keep one file per rule; only the compiled package changes.
// Each rule still runs its module body only when the registry's loader for its code is called (esbuild turns a dynamic
// import of a bundled file into a lazy initialiser), so `ballast rules` still evaluates only metadata.
// Everything outside rules/ (src/, packages) stays an import of its own module: one instance of each, shared with the
// commands (an `instanceof` or a module-level cache must not see two copies).
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rulesDir = join(root, 'dist', 'rules');
const entry = join(rulesDir, 'index.js');

/** Resolves relative imports that leave dist/rules/ to the path the bundle (in dist/rules/) imports them by. */
const keepOutsideRules = {
  name: 'keep-outside-rules',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = resolve(args.resolveDir, args.path);
      if (target.startsWith(rulesDir + sep)) return undefined;
      const path = relative(rulesDir, target).split(sep).join('/');
      return { path: path.startsWith('.') ? path : `./${path}`, external: true };
    });
  },
};

await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  plugins: [keepOutsideRules],
  logLevel: 'warning',
});
for (const folder of readdirSync(rulesDir, { withFileTypes: true }).filter((d) => d.isDirectory()))
  rmSync(join(rulesDir, folder.name), { recursive: true, force: true });
