#!/usr/bin/env node
// CI's dependency check: `npm audit --omit=dev`, fatal when a runtime dependency has a high or critical advisory,
// a warning only when the audit service cannot be reached or refuses the request (no network, a mirror without the
// advisories endpoint): an unreachable service is not a finding.
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', timeout: 120_000 });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  report = undefined;
}
const counts = report?.metadata?.vulnerabilities;
if (!counts) {
  const why = report?.message ?? report?.error?.summary ?? (run.error ? run.error.message : `exit ${run.status}`);
  console.log(`audit: skipped, the npm audit service did not answer (${why})`);
  process.exit(0);
}
const serious = (counts.high ?? 0) + (counts.critical ?? 0);
console.log(
  `audit: runtime dependencies: ${counts.critical ?? 0} critical, ${counts.high ?? 0} high, ${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low`,
);
if (serious > 0) {
  spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high'], { stdio: 'inherit', timeout: 120_000 });
  process.exit(1);
}
