#!/usr/bin/env node
// Build step after `tsc`: writes oclif.manifest.json, the commands' ids, flags and descriptions, so that a run loads
// only the command it runs. Without it oclif imports every command (and all they import) to learn their flags before
// running one, which the lint cold start through oclif pays for (bench/README.md, session 19). The file is
// generated (git-ignored) and shipped in the npm package; a missing one only makes start-up slower, while a stale one
// would show old flags in --help. So `npm run build` removes it first (`--remove`), and a build that stops at a type
// error leaves none.
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'oclif.manifest.json');
// A stale manifest would be read instead of the compiled commands.
rmSync(file, { force: true });
if (process.argv.includes('--remove')) process.exit(0);
const plugin = new Plugin({
  root,
  type: 'core',
  ignoreManifest: true,
  errorOnManifestCreate: true,
  respectNoCacheDefault: true,
});
await plugin.load();
// Unindented: nobody reads it, and every start-up parses it (indented, it was a third bigger in the package).
writeFileSync(file, `${JSON.stringify(plugin.manifest)}\n`);
