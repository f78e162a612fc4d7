// Jest globalTeardown: removes the run's temp folder that run-tmp-setup.mjs made (see there).
import { rmSync } from 'node:fs';

export default async function teardown() {
  const root = process.env.BALLAST_TEST_TMP_ROOT;
  if (!root) return;
  try {
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  } catch (error) {
    // Not a test failure, but never silent: something a test started may still hold files there.
    console.warn(`warning: could not remove the test run's temp folder ${root}: ${error.message}`);
  }
}
