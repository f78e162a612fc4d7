// Every command, listed explicitly: oclif loads this one file instead of globbing the folder (faster start-up).
import Analyze from './analyze.js';
import Explore from './explore.js';
import Inspect from './inspect.js';
import Lint from './lint.js';
import Rules from './rules.js';

export const commands = {
  analyze: Analyze,
  explore: Explore,
  inspect: Inspect,
  lint: Lint,
  rules: Rules,
};
