// DF107: npm install <pkg> without a version (hadolint DL3016).
import { NPM_VALUE_FLAGS, PACKAGE_SUBCOMMANDS } from '../../src/lint/helpers.js';
import { pinRule } from '../../src/lint/package-rules.js';

export const rule = pinRule({
  meta: {
    code: 'DF107',
    name: 'npm-unpinned',
    summary: 'Pin versions in npm install',
    defaultSeverity: 'warning',
    sources: [{ tool: 'hadolint', id: 'DL3016', relation: 'same' }],
  },
  programs: ['npm'],
  subcommands: PACKAGE_SUBCOMMANDS.npm.installs,
  valueFlags: NPM_VALUE_FLAGS,
  pinned: (p) => {
    // Git sources need a commit (`#<sha>`); tarballs, URLs and local paths name one exact thing.
    if (/^(git(\+\w+)?:|git@|github:|gitlab:|bitbucket:)/.test(p) || /\.git(#|$)/.test(p))
      return /#[0-9a-f]{7,}$/.test(p) || /#(v?\d)/.test(p);
    if (/^(https?:|file:|\.|\/|~)/.test(p) || /\.(tgz|tar\.gz)$/.test(p)) return true;
    const name = p.startsWith('@') ? p.slice(1) : p;
    return name.includes('@');
  },
  // Only a bare name or a git source is unpinned; a git source is pinned by a commit, which takes the place of a
  // branch or tag it names (`...git#main`).
  pin: (pkg) =>
    /^(git|github:|gitlab:|bitbucket:)/.test(pkg) || /\.git(#|$)/.test(pkg)
      ? `${pkg.replace(/#.*$/, '')}#<commit>`
      : `${pkg}@<version>`,
});
