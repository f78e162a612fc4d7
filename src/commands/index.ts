// Every command, listed explicitly: oclif loads this one file instead of globbing the folder (faster start-up).
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
