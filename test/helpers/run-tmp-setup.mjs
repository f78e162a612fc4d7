// Jest globalSetup (run-tmp-teardown.mjs is its globalTeardown): one temp folder for the whole run, as TMPDIR of
// every worker and of every process a test starts (ballast, buildah, skopeo, dockerd, registries...). Tests make
// their scratch folders with mkdtemp(tmpdir()) and most clean up after themselves, but not all (a per-file cache
// folder, lint scratch files, what a killed child leaves): removing this one folder at the end leaves /tmp as the run
// found it. Workers are started after globalSetup, so they inherit the variable.
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function setup() {
  const root = mkdtempSync(join(tmpdir(), 'ballast-tests-'));
  // Traversable (not writable) by others, as /tmp is: some tests run ballast as `nobody` in a folder of their own here.
  chmodSync(root, 0o755);
  process.env.BALLAST_TEST_TMP_ROOT = root;
  process.env.TMPDIR = root;
  // Reports are laid out to COLUMNS when it is set: a terminal that exports it would change every expected text.
  // Tests that want a width set it themselves.
  delete process.env.COLUMNS;
}
