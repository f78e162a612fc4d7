// Preloaded into the CLI by the robustness tests (NODE_OPTIONS=--import): writes the process's peak RSS (kB) to
// $BALLAST_RSS_FILE when it exits, so each case can assert its memory bound. The peak is the benchmarks' own
// measure (VmHWM on Linux: getrusage's maxRSS of a spawned process starts at its parent's RSS when it forked, and
// a jest worker of 500 MB made every case here "use" 500 MB).
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { maxRssMB } from '../../bench/common.js';

const file = process.env.BALLAST_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(Math.round(maxRssMB() * 1024))));
