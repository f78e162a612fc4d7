// DF214: yum install without package versions (hadolint DL3033).
import type { Instruction } from '../../src/dockerfile/parse.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import { defineRule, dockerfileMeta, wordsOf } from '../../src/lint/helpers.js';
import type { DockerfileContext } from '../../src/report/rule.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF214',
    name: 'yum-install-unpinned',
    type: 'problem',
    summary: 'Pin versions in yum install (name-version)',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      unpinned:
        '`yum install {{package}}` has no version: each rebuild may install something else; write `{{package}}-<version>`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3033', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        for (const command of ctx.commands(instruction)) {
          if (command.program !== 'yum') continue;
          const unpinned = unpinnedRpmPackages(ctx, instruction, command, ['install', 'localinstall']);
          if (unpinned) return ctx.report({ messageId: 'unpinned', data: { package: unpinned }, at: instruction });
        }
      },
    };
  },
});

// Flags of yum/dnf/microdnf that take a value in the next word.
const RPM_VALUE_FLAGS = new Set([
  '-c',
  '--config',
  '-d',
  '--debuglevel',
  '-e',
  '--errorlevel',
  '--installroot',
  '--enablerepo',
  '--disablerepo',
  '-x',
  '--exclude',
  '--releasever',
  '--setopt',
  '--repo',
  '--repoid',
  '--nogpgcheck-foo',
  '--downloaddir',
  '--destdir',
  '--forcearch',
]);

/**
 * The first package of a yum/dnf install (or `module install`) that carries no version, after resolving ARG/ENV values
 * visible to the RUN. Group installs are not checked: a group has no version to pin. A package is pinned when it reads `name-version` (a dash followed by a digit or a variable), is an
 * `.rpm` file, or, for modules, `name:stream`.
 */
export function unpinnedRpmPackages(
  ctx: DockerfileContext,
  instruction: Instruction,
  command: ShellCommand,
  subcommands: string[],
): string | undefined {
  const words = wordsOf(command.args, RPM_VALUE_FLAGS);
  const isModule = words[0] === 'module';
  const rest = isModule ? words.slice(1) : words;
  if (!rest.some((w) => subcommands.includes(w)) || !subcommands.includes(rest[0])) return undefined;
  // A package that is still a variable after resolving ARG/ENV is decided at build time: no guess either way.
  const packages = rest
    .slice(1)
    .flatMap((p) => ctx.resolve(p, instruction).split(/\s+/))
    .filter((p) => p !== '' && !p.startsWith('$'));
  return packages.find((p) => (isModule ? !p.includes(':') : !isVersionedRpm(p)));
}

function isVersionedRpm(name: string): boolean {
  if (name.endsWith('.rpm') || name.startsWith('/') || name.startsWith('./')) return true;
  if (name.startsWith('@')) return false;
  return /-(\d|\$)/.test(name);
}
