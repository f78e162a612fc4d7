// Preloaded into the CLI by the robustness tests (NODE_OPTIONS=--import): writes the process's peak RSS (kB) to
// $BALLAST_RSS_FILE when it exits, so each case can assert its memory bound.
import { writeFileSync } from 'node:fs';
import process from 'node:process';

const file = process.env.BALLAST_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
