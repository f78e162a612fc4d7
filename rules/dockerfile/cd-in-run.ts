// DF103: cd inside RUN (hadolint DL3003).
import { hasFlag, positionals, type ShellCommand } from '../../src/dockerfile/shell.js';
import { defineRule, dockerfileMeta, resolvePath, scriptOf, workdirTracker } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF103',
    name: 'cd-in-run',
    type: 'suggestion',
    summary: 'Use WORKDIR instead of cd',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      cd: '`cd` inside RUN only lasts for that RUN and hides the working directory from readers; use WORKDIR.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3003', relation: 'same' },
      { tool: 'trivy', id: 'DS-0013', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    const workdir = workdirTracker(ctx);
    return {
      RUN(instruction) {
        const commands = ctx.commands(instruction);
        if (!commands.some((c) => c.program === 'cd')) return;
        if (everyCdRemoved(commands, workdir.current(instruction))) return;
        ctx.report({ messageId: 'cd', at: instruction });
      },
    };
  },
});

/**
 * Whether every directory the RUN's `cd`s (and `pushd`s) go into is removed by a later `rm -r` in it, that directory or
 * one above it (not `/`): a WORKDIR there would leave the image's working directory deleted (`cd /tmp/src && make
 * install && rm -rf /tmp/src`). A directory the script does not spell out (`cd`, `cd -`, `cd ~`, `popd`) is not known
 * to be removed. Relative paths are read from the `cd` in effect where they are, or the WORKDIR.
 */
function everyCdRemoved(commands: ShellCommand[], workdir: string): boolean {
  const script = scriptOf(commands, () => false);
  const into = new Map<number, string>();
  const cwdAt = (place: number): string => into.get(script.cdBefore[place]) ?? workdir;
  const left = new Set<string>();
  for (const [place, command] of commands.entries()) {
    if (command.program === 'popd') return false;
    if (command.program === 'cd' || command.program === 'pushd') {
      const args = positionals(command.args);
      if (args.length !== 1 || args[0] === '-' || /^[~+]/.test(args[0])) return false;
      const dir = resolvePath(args[0], cwdAt(place));
      // Back up to where an earlier cd went, or above it (`cd ..`, `cd /`), is leaving before the rm, not work there.
      if (![...into.values()].some((earlier) => within(earlier, dir))) left.add(dir);
      into.set(place, dir);
    } else if (command.program === 'rm' && hasFlag(command.args, 'r', 'R', 'recursive')) {
      for (const path of positionals(command.args)) {
        const target = resolvePath(path, cwdAt(place));
        if (target === '/') continue;
        for (const dir of left) if (within(dir, target)) left.delete(dir);
      }
    }
  }
  return left.size === 0;
}

/** `path` is `dir` or under it. */
function within(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(`${dir}/`);
}
