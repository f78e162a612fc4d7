// DF106: pip install without versions (hadolint DL3013).
import { defineRule, dockerfileMeta, pipInstallArgs, positionals } from '../../src/lint/helpers.js';

const PIP_VALUE_FLAGS = [
  'i',
  'index-url',
  'extra-index-url',
  't',
  'target',
  'prefix',
  'root',
  'f',
  'find-links',
  'trusted-host',
  'platform',
  'python-version',
  'implementation',
  'abi',
  'src',
  'cache-dir',
  'progress-bar',
  'log',
  'proxy',
  'retries',
  'timeout',
  'exists-action',
  'cert',
  'client-cert',
  'upgrade-strategy',
  'global-option',
  'install-option',
  'no-binary',
  'only-binary',
  'config-settings',
  'C',
  'report',
  'python',
  // The editable project is a local checkout (or a VCS URL): its value is not a package, the others still are.
  'e',
  'editable',
];

const pinned = (p: string): boolean =>
  /(==|>=|<=|~=|!=|<|>)/.test(p) ||
  p.includes('@') ||
  p.startsWith('.') ||
  p.startsWith('/') ||
  /\.(whl|tar\.gz|zip|tgz)$/.test(p) ||
  (/^(git|hg|svn|bzr)\+/.test(p) && /@[0-9a-f]{7,}/.test(p));

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF106',
    name: 'pip-unpinned',
    type: 'problem',
    summary: 'Pin versions in pip install',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      unpinned:
        '`pip install {{pkg}}` does not pin a version (e.g. `{{example}}`): rebuilds install whatever is newest.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3013', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        for (const command of ctx.commands(instruction)) {
          const args = pipInstallArgs(command);
          if (!args) continue;
          // Requirement and constraint files carry the versions of everything installed with them.
          if (args.some((a) => /^(-r|--requirement|-c|--constraint)(=.*)?$/.test(a) || /^-[rc]\S/.test(a))) continue;
          const pkg = positionals(args, PIP_VALUE_FLAGS).find((p) => {
            const resolved = ctx.resolve(p, instruction);
            return !resolved.includes('$') && !pinned(resolved);
          });
          if (pkg !== undefined) {
            // The pin written the way pip reads it for this requirement: a commit for a VCS URL, a version otherwise.
            const example = /^(git|hg|svn|bzr)\+/.test(pkg) ? `${pkg}@<commit>` : `${pkg}==<version>`;
            ctx.report({ messageId: 'unpinned', data: { pkg, example }, at: instruction });
            return;
          }
        }
      },
    };
  },
});
