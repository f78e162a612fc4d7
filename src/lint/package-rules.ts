// A factory for the family of "package installed without a version" rules that differ only in program, subcommand,
// value-taking flags and what counts as a pinned package (hadolint's DL3008/DL3016/DL3018 and kin).
import { positionalIndexes, type ShellCommand } from '../dockerfile/shell.js';
import { defineRule, dockerfileMeta } from './helpers.js';
import type { DockerfileRule } from '../report/rule.js';
import type { RuleMeta } from '../report/types.js';

interface PinRuleSpec {
  meta: Omit<RuleMeta, 'target' | 'status' | 'since' | 'recommended' | 'messages' | 'type' | 'fix'>;
  programs: string[];
  subcommands: string[];
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

/** "`<program> install <pkg>` without a version". */
export function pinRule(spec: PinRuleSpec): DockerfileRule {
  return defineRule({
    meta: dockerfileMeta({
      ...spec.meta,
      type: 'problem',
      fix: 'none',
      messages: {
        unpinned: `\`{{program}} {{subcommand}} {{pkg}}\`{{more}} {{pins}} (e.g. \`{{example}}\`): rebuilds install whatever is newest.`,
      },
    }),
    create(ctx) {
      return {
        RUN(instruction) {
          // Every install command of the RUN is read (`apt-get install a && apt-get install b`), as hadolint does; the
          // finding stays one a RUN, worded by the first command that has an unpinned package.
          let first: { program: string; subcommand: string } | undefined;
          const unpinned: string[] = [];
          for (const command of ctx.commands(instruction)) {
            if (!spec.programs.includes(command.program)) continue;
            const at = positionalIndexes(command.args, spec.valueFlags);
            const args = at.map((i) => command.args[i]);
            if (!spec.subcommands.includes(args[0] ?? '')) continue;
            const excluded = new Set(spec.notPackages?.(command) ?? []);
            // Variables are resolved from ARG/ENV first (`curl=${CURL_VERSION}` is pinned); a package that is still a
            // variable (`$PACKAGES`) may carry its version: we cannot tell, so we do not guess. (By index: a word the
            // shell leaves as written is taken so, see ShellCommand `literalDollar`.)
            const found = at
              .slice(1)
              .filter((i) => {
                const p = command.args[i];
                if (excluded.has(p)) return false;
                const resolved = command.literalDollar?.args.has(i) ? p : ctx.resolve(p, instruction);
                return !resolved.includes('$') && !spec.pinned(resolved, command);
              })
              .map((i) => command.args[i]);
            if (found.length > 0) first ??= { program: command.program, subcommand: args[0] };
            unpinned.push(...found);
          }
          if (!first) return;
          // A package installed twice is one to pin.
          const named = [...new Set(unpinned)];
          ctx.report({
            messageId: 'unpinned',
            // The example names a package reported, not a stock one: a user copying it pins the right thing.
            data: { ...first, ...unpinnedWording(named), example: spec.pin(named[0]) },
            at: instruction,
          });
        },
      };
    },
  });
}
