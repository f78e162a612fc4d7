// Every command. oclif finds them by the file names package.json lists (oclif.commands.globPatterns) and, once
// `npm run build` has written oclif.manifest.json, imports only the one it runs; importing this list would load them
// all. The tests take the commands from here, and test/cli/start-up.test.ts checks the two lists agree.
import Analyze from './analyze.js';
import Bases from './bases.js';
import Ci from './ci.js';
import Diff from './diff.js';
import Explore from './explore.js';
import Inspect from './inspect.js';
import Lint from './lint.js';
import Rules from './rules.js';

export const commands = {
  analyze: Analyze,
  bases: Bases,
  ci: Ci,
  diff: Diff,
  explore: Explore,
  inspect: Inspect,
  lint: Lint,
  rules: Rules,
};
