// DF105: apt-get install without package versions (hadolint DL3008).
import { APT_SIMULATE_FLAGS, APT_VALUE_FLAGS, hasAptFlag, PACKAGE_SUBCOMMANDS } from '../../src/lint/helpers.js';
import { pinRule } from '../../src/lint/package-rules.js';

export const rule = pinRule({
  meta: {
    code: 'DF105',
    name: 'apt-get-unpinned',
    summary: 'Pin versions in apt-get install',
    defaultSeverity: 'warning',
    sources: [{ tool: 'hadolint', id: 'DL3008', relation: 'same' }],
  },
  programs: ['apt-get'],
  subcommands: PACKAGE_SUBCOMMANDS.apt.installs,
  valueFlags: APT_VALUE_FLAGS,
  // `pkg=1.2`, `pkg/release` and local `.deb` files are all fixed; a simulation (`install -s`) installs nothing.
  pinned: (p, command) =>
    p.includes('=') || p.includes('/') || p.endsWith('.deb') || hasAptFlag(command, ...APT_SIMULATE_FLAGS),
  pin: (pkg) => `${pkg}=<version>`,
});
