// DF107: npm install <pkg> without a version (hadolint DL3016).
import { NPM_VALUE_FLAGS, PACKAGE_SUBCOMMANDS } from '../../src/lint/helpers.js';
import { pinRule } from '../../src/lint/package-rules.js';

/**
 * A git source: a git URL, a hosted one (`github:x/y`), or GitHub's `user/repo` shorthand, which npm reads as
 * `github:user/repo` (a local folder starts with `.`, `/` or `~`).
 */
const isGitSource = (p: string): boolean =>
  /^(git(\+\w+)?:|git@|github:|gitlab:|bitbucket:)/.test(p) ||
  /\.git(#|$)/.test(p) ||
  /^[A-Za-z0-9][\w.-]*\/[\w.-]+(#|$)/.test(p);

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
    if (isGitSource(p)) return /#[0-9a-f]{7,}$/.test(p) || /#(v?\d)/.test(p);
    if (/^(https?:|file:|\.|\/|~)/.test(p) || /\.(tgz|tar\.gz)$/.test(p)) return true;
    const name = p.startsWith('@') ? p.slice(1) : p;
    return name.includes('@');
  },
  // Only a bare name or a git source is unpinned; a git source is pinned by a commit, which takes the place of a
  // branch or tag it names (`...git#main`).
  pin: (pkg) => (isGitSource(pkg) ? `${pkg.replace(/#.*$/, '')}#<commit>` : `${pkg}@<version>`),
});
