// DF108: apk add without versions (hadolint DL3018).
import { APK_VALUE_FLAGS, PACKAGE_SUBCOMMANDS, positionals } from '../../src/lint/helpers.js';
import { pinRule } from '../../src/lint/package-rules.js';

export const rule = pinRule({
  meta: {
    code: 'DF108',
    name: 'apk-unpinned',
    summary: 'Pin versions in apk add',
    defaultSeverity: 'warning',
    sources: [{ tool: 'hadolint', id: 'DL3018', relation: 'same' }],
  },
  programs: ['apk'],
  subcommands: PACKAGE_SUBCOMMANDS.apk.installs,
  valueFlags: APK_VALUE_FLAGS,
  pinned: (p) => /[=~<>]/.test(p) || p.endsWith('.apk'),
  // `apk add --virtual .build-deps gcc`: the virtual name is not a package. (It is consumed as a flag value already.)
  notPackages: (c) => positionals(c.args, []).filter((p) => p.startsWith('.')),
  pin: (pkg) => `${pkg}=<version>`,
});
