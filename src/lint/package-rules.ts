// A factory for the family of "package installed without a version" rules that differ only in program, subcommand,
// value-taking flags and what counts as a pinned package (hadolint's DL3008/DL3016/DL3018 and kin).
import type { Instruction } from '../dockerfile/parse.js';
import { positionalIndexes, type ShellCommand } from '../dockerfile/shell.js';
import { defineRule, dockerfileMeta } from './helpers.js';
import type { DockerfileContext, DockerfileRule } from '../report/rule.js';
import type { RuleMeta } from '../report/types.js';

interface PinRuleSpec {
  meta: Omit<RuleMeta, 'target' | 'status' | 'since' | 'recommended' | 'messages' | 'type' | 'fix'>;
  programs: string[];
  subcommands: readonly string[];
  valueFlags?: string[];
  /** Whether a package argument carries a version (or need not). */
  pinned: (pkg: string, command: ShellCommand) => boolean;
  /** Positional arguments that are not packages. */
  notPackages?: (command: ShellCommand) => string[];
  /** The package as it would be pinned, for the message's example (`foo` -> `foo=<version>`). */
  pin: (pkg: string) => string;
}

/**
 * The `{{pkg}}{{more}} {{pins}}` of an unpinned-package message, for one or more packages of a RUN (all its install commands):
 * `a b` does not pin versions, `a b c` and 2 more do not pin versions.
 */
export function unpinnedWording(unpinned: string[]): { pkg: string; more: string; pins: string } {
  // Each package to pin is named (one finding a RUN still): naming the first alone read as if it were the only one.
  // A long list keeps the message one line: three, and how many more.
  const shown = unpinned.length > 4 ? unpinned.slice(0, 3) : unpinned;
  const rest = unpinned.length - shown.length;
  return {
    pkg: shown.join(' '),
    more: rest > 0 ? ` and ${rest} more` : '',
    pins: rest > 0 ? 'do not pin versions' : unpinned.length > 1 ? 'does not pin versions' : 'does not pin a version',
  };
}

/** The unpinned packages of one install command, with the program and subcommand it is worded by (`dnf module install`). */
export interface UnpinnedInCommand {
  program: string;
  subcommand: string;
  packages: string[];
}

/**
 * The unpinned packages of every install command of a RUN (`apt-get install a && apt-get install b`), as hadolint reads
 * them, for the one finding a RUN: `first` is the first command with an unpinned package (the message is worded by it),
 * `named` every unpinned package once (a package installed twice is one to pin). Undefined when every package is pinned.
 * `read` gives a command's unpinned packages, or undefined when it is no install command of the rule's manager.
 */
export function unpinnedOfRun(
  commands: ShellCommand[],
  read: (command: ShellCommand) => UnpinnedInCommand | undefined,
): { first: UnpinnedInCommand; named: string[] } | undefined {
  let first: UnpinnedInCommand | undefined;
  const unpinned: string[] = [];
  for (const command of commands) {
    const found = read(command);
    if (!found || found.packages.length === 0) continue;
    first ??= found;
    // One by one, not push(...): an install of 300,000 packages is more arguments than a call takes.
    for (const name of found.packages) unpinned.push(name);
  }
  return first && { first, named: [...new Set(unpinned)] };
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

/**
 * Whether xargs puts the words it reads in `word`, an argument of `command`: where its replace string stands (`xargs -I
 * % apt-get install -y %`), which are not known here. `{}`, the usual one, is taken so behind any xargs.
 */
export function xargsFills(command: ShellCommand, word: string): boolean {
  if (command.xargsReplace?.some((replace) => word.includes(replace))) return true;
  return command.wrappers?.includes('xargs') === true && word.includes('{}');
}

/**
 * The packages argument `i` of an install command names, its variables resolved from the ARG/ENV values visible to the
 * RUN: `value` to judge (still holding a `$` when it is decided at build time: not judged, no guess either way) and
 * `name` to report. A package from ARG/ENV is named by its value, since the value is what the user pins (`$PKG` holding
 * `curl` names `curl`); a bare `$PKGS` holding a list is split as the shell splits it, each word a package named by
 * itself (`curl=7.88 jq` names `jq`). A quoted "$PKGS" holding several words is one argument to the shell, and a word the
 * shell leaves as written (`'$PKG'`, see ShellCommand `literalDollar`) is taken so: both are named as written.
 */
export function argPackages(
  ctx: DockerfileContext,
  instruction: Instruction,
  command: ShellCommand,
  i: number,
): { name: string; value: string }[] {
  const written = command.args[i];
  if (xargsFills(command, written)) return [];
  if (command.literalDollar?.args.has(i)) return [{ name: written, value: written }];
  const value = ctx.resolve(written, instruction);
  if (/\s/.test(value) && !command.quoted?.has(i)) return packageWords(value).map((p) => ({ name: p, value: p }));
  return [{ name: /[\s$`]/.test(value) ? written : value, value }];
}

/** The message of an unpinned-package rule, with the data of `unpinnedWording` and an `example` (see unpinnedExample). */
export const UNPINNED_MESSAGE =
  '`{{program}} {{subcommand}} {{pkg}}`{{more}} {{pins}} ({{example}}): rebuilds install whatever is newest.';

/**
 * The advice of an unpinned-package message for the package `name`: an example pin, or, for a quoted "$PKGS" holding
 * several words (named as written; other words still holding a variable are decided at build time and not reported),
 * where to pin: `$PKGS=<version>` would hand the package manager one odd name and break the build.
 */
function unpinnedExample(name: string, pinned: string): string {
  const variables = [...new Set([...name.matchAll(/\$\{?(\w+)/g)].map((m) => m[1]))];
  return variables.length > 0 ? `pin each package in ${variables.join(' and ')}` : `e.g. \`${pinned}\``;
}

/**
 * The one finding of a RUN whose install commands leave packages unpinned (`found`, from unpinnedOfRun), worded by the
 * first such command (UNPINNED_MESSAGE); `pin` writes the example pin for the first package named. Nothing when `found` is
 * undefined.
 */
export function reportUnpinned(
  ctx: DockerfileContext,
  instruction: Instruction,
  found: { first: UnpinnedInCommand; named: string[] } | undefined,
  pin: (name: string, first: UnpinnedInCommand) => string,
): void {
  if (!found) return;
  const { first, named } = found;
  ctx.report({
    messageId: 'unpinned',
    // The example names a package reported, not a stock one: a user copying it pins the right thing.
    data: {
      program: first.program,
      subcommand: first.subcommand,
      ...unpinnedWording(named),
      example: unpinnedExample(named[0], pin(named[0], first)),
    },
    at: instruction,
  });
}

/** "`<program> install <pkg>` without a version". */
export function pinRule(spec: PinRuleSpec): DockerfileRule {
  return defineRule({
    meta: dockerfileMeta({
      ...spec.meta,
      type: 'problem',
      fix: 'none',
      messages: { unpinned: UNPINNED_MESSAGE },
    }),
    create(ctx) {
      return {
        RUN(instruction) {
          const found = unpinnedOfRun(ctx.commands(instruction), (command) => {
            if (!spec.programs.includes(command.program)) return undefined;
            const at = positionalIndexes(command.args, spec.valueFlags);
            const subcommand = command.args[at[0]] ?? '';
            if (!spec.subcommands.includes(subcommand)) return undefined;
            const excluded = new Set(spec.notPackages?.(command) ?? []);
            // Variables are resolved from ARG/ENV first (`curl=${CURL_VERSION}` is pinned); a package that is still a
            // variable (`$PACKAGES`) may carry its version: we cannot tell, so we do not guess.
            const packages = at
              .slice(1)
              .filter((i) => !excluded.has(command.args[i]))
              .flatMap((i) => argPackages(ctx, instruction, command, i))
              .filter(({ value }) => !value.includes('$') && !spec.pinned(value, command))
              .map(({ name }) => name);
            return { program: command.program, subcommand, packages };
          });
          reportUnpinned(ctx, instruction, found, spec.pin);
        },
      };
    },
  });
}
