// DF103: cd inside RUN (hadolint DL3003).
import { hasFlag, positionalIndexes, type ShellCommand } from '../../src/dockerfile/shell.js';
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
        const word = (command: ShellCommand, i: number): Word =>
          command.literalDollar?.args.has(i)
            ? { text: command.args[i], literal: true }
            : { text: ctx.resolve(command.args[i], instruction), literal: false };
        if (everyCdRemoved(commands, workdir.current(instruction), word)) return;
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
function everyCdRemoved(
  commands: ShellCommand[],
  workdir: string,
  word: (command: ShellCommand, i: number) => Word,
): boolean {
  const script = scriptOf(commands, () => false);
  const into = new Map<number, string>();
  const cwdAt = (place: number): string => into.get(script.cdBefore[place]) ?? workdir;
  const left = new Set<string>();
  for (const [place, command] of commands.entries()) {
    if (command.program === 'popd') return false;
    if (command.program === 'cd' || command.program === 'pushd') {
      const args = positionalIndexes(command.args).map((i) => word(command, i));
      if (args.length !== 1 || args[0].text === '-' || /^[~+]/.test(args[0].text)) return false;
      const dir = pathOf(args[0], cwdAt(place));
      // Back up to where an earlier cd went, or above it (`cd ..`, `cd /`), is leaving before the rm, not work there.
      if (![...into.values()].some((earlier) => within(earlier, dir))) left.add(dir);
      into.set(place, dir);
    } else if (command.program === 'rm' && hasFlag(command.args, 'r', 'R', 'recursive')) {
      for (const i of positionalIndexes(command.args)) {
        const path = word(command, i);
        // rm refuses a path ending in `.` or `..` and removes nothing there.
        if (/(^|\/)\.\.?\/*$/.test(path.text)) continue;
        const target = pathOf(path, cwdAt(place));
        if (target === '/') continue;
        for (const dir of left) if (within(dir, target)) left.delete(dir);
      }
    }
  }
  return left.size === 0;
}

/**
 * An argument with its ARG/ENV values in, or `literal`: as written, when the shell leaves its `$` as written (`'$x'`,
 * see ShellCommand `literalDollar`).
 */
interface Word {
  text: string;
  literal: boolean;
}

/**
 * `path` made absolute against `cwd`. One starting with a variable the RUN sets itself (`"$tmp"` after `tmp="$(mktemp
 * -d)"`) is taken as written, from `/`: its value is not known, but the same word names the same directory wherever
 * the RUN is (`cd "$tmp" && make && rm -rf "$tmp"`). `${tmp}` is written `$tmp` so the two forms compare.
 */
function pathOf({ text, literal }: Word, cwd: string): string {
  if (literal) return resolvePath(text, cwd);
  const written = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}(?![A-Za-z0-9_])/g, '$$$1');
  return resolvePath(written, written.startsWith('$') ? '/' : cwd);
}

/** `path` is `dir` or under it. */
function within(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(`${dir}/`);
}
