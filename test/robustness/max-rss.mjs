// Preloaded into the CLI by the robustness tests (NODE_OPTIONS=--import): writes the process's peak RSS (kB) to
// $BALLAST_RSS_FILE when it exits, so each case can assert its memory bound.
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';

const file = process.env.BALLAST_RSS_FILE;
// On Linux VmHWM of /proc/self/status: getrusage's maxRSS of a spawned process starts at its parent's RSS when it
// forked (a jest worker of 500 MB made every case here "use" 500 MB).
function peakKb() {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}
if (file) process.on('exit', () => writeFileSync(file, String(peakKb())));
