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
 * visible to the RUN. Group installs are not checked: a group has no version to pin. A package is pinned when it reads
 * `name-version` (its last dash followed by a digit), is an `.rpm` file, or, for modules, `name:stream`; one still
 * holding a variable is not judged.
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
  const packages = rest.slice(1).flatMap((p) => packageWords(ctx.resolve(p, instruction)));
  return packages.find((p) => (isModule ? !p.includes(':') : !isVersionedRpm(p)));
}

/**
 * The package names in one resolved word: a list from ARG/ENV splits on whitespace. A word still holding a variable or a
 * command (`kernel-devel-$(uname -r)`) is decided at build time: no guess either way, and no splitting of the command
 * into bogus names such as `-r)`.
 */
export function packageWords(resolved: string): string[] {
  if (resolved.includes('$') || resolved.includes('`')) return [];
  return resolved.split(/\s+/).filter((p) => p !== '');
}

function isVersionedRpm(name: string): boolean {
  if (name.endsWith('.rpm') || name.startsWith('/') || name.startsWith('./')) return true;
  if (name.startsWith('@')) return false;
  // Names may hold a dash and digits themselves (java-17-openjdk-headless, java-1.8.0-openjdk), so only a last
  // segment that starts with a digit is a version (`-17.0.10`) or a release (`-2.el9`). (Words holding a variable
  // never get here: see packageWords.)
  const dash = name.lastIndexOf('-');
  return dash > 0 && /^\d/.test(name.slice(dash + 1));
}
