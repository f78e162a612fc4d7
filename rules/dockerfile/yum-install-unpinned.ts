// DF214: yum install without package versions (hadolint DL3033).
import type { Instruction } from '../../src/dockerfile/parse.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import {
  defineRule,
  dockerfileMeta,
  PACKAGE_SUBCOMMANDS,
  RPM_VALUE_FLAGS,
  wordIndexes,
} from '../../src/lint/helpers.js';
import {
  argPackages,
  reportUnpinned,
  UNPINNED_MESSAGE,
  unpinnedOfRun,
  type UnpinnedInCommand,
} from '../../src/lint/package-rules.js';
import type { DockerfileContext } from '../../src/report/rule.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF214',
    name: 'yum-install-unpinned',
    type: 'problem',
    summary: 'Pin versions in yum install (name-version)',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: { unpinned: UNPINNED_MESSAGE },
    sources: [{ tool: 'hadolint', id: 'DL3033', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        reportUnpinnedRpm(ctx, instruction, ['yum']);
      },
    };
  },
});

/**
 * The one finding of a RUN whose yum/dnf install commands (of `programs`) leave packages unpinned: every install
 * command of the RUN is read and every unpinned package named, as hadolint's DL3033/DL3041 do.
 */
export function reportUnpinnedRpm(ctx: DockerfileContext, instruction: Instruction, programs: readonly string[]): void {
  const found = unpinnedOfRun(ctx.commands(instruction), (command) =>
    programs.includes(command.program) ? unpinnedRpmPackages(ctx, instruction, command) : undefined,
  );
  // A module is pinned by its stream, a package by its version.
  reportUnpinned(ctx, instruction, found, (name, first) =>
    first.subcommand.startsWith('module ') ? `${name}:<stream>` : `${name}-<version>`,
  );
}

/**
 * The packages of a yum/dnf install (or `module install`) that carry no version, after resolving ARG/ENV values visible
 * to the RUN; undefined for other subcommands. Group installs (and `@group`, `@module:stream` words) are not checked: a
 * group has no version to pin. A package
 * is pinned when it reads `name-version` (its last dash followed by a digit), is an `.rpm` file, or, for modules,
 * `name:stream`; one still holding a variable is not judged.
 */
function unpinnedRpmPackages(
  ctx: DockerfileContext,
  instruction: Instruction,
  command: ShellCommand,
): UnpinnedInCommand | undefined {
  const at = wordIndexes(command.args, RPM_VALUE_FLAGS);
  const isModule = command.args[at[0]] === 'module';
  const rest = isModule ? at.slice(1) : at;
  const subcommand = command.args[rest[0]];
  if (!PACKAGE_SUBCOMMANDS.rpm.installs.includes(subcommand)) return undefined;
  // A quoted "$PKGS" is one word to the shell and `'$PKG'` is left as written, as the other pin rules read them.
  const packages = rest
    .slice(1)
    .flatMap((i) => argPackages(ctx, instruction, command, i))
    // `@name` is a group (`@base`, as groupinstall takes it) or, to dnf, a module (`@nodejs:20`): no version to pin.
    .filter(
      ({ value }) =>
        !/[$`]/.test(value) && !value.startsWith('@') && (isModule ? !value.includes(':') : !isVersionedRpm(value)),
    )
    .map(({ name }) => name);
  return { program: command.program, subcommand: isModule ? `module ${subcommand}` : subcommand, packages };
}

function isVersionedRpm(name: string): boolean {
  if (name.endsWith('.rpm') || name.startsWith('/') || name.startsWith('./')) return true;
  // Names may hold a dash and digits themselves (java-17-openjdk-headless, java-1.8.0-openjdk), so only a last
  // segment that starts with a digit is a version (`-17.0.10`) or a release (`-2.el9`). (Words still holding a
  // variable or a command never get here: they are decided at build time.)
  const dash = name.lastIndexOf('-');
  return dash > 0 && /^\d/.test(name.slice(dash + 1));
}
