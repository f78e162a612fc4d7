// DF103: cd inside RUN (hadolint DL3003).
import { substitute, type Variables } from '../../src/dockerfile/stages.js';
import { hasFlag, positionalIndexes, runsAfter, type ShellCommand } from '../../src/dockerfile/shell.js';
import {
  defineRule,
  dockerfileMeta,
  resolvePath,
  scriptOf,
  shellGlobSource,
  workdirTracker,
} from '../../src/lint/helpers.js';

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
        const given = ctx.variables(instruction);
        const expand = (text: string, set: Variables): string => substitute(text, { ...given, ...set });
        if (everyCdRemoved(commands, workdir.current(instruction), expand)) return;
        ctx.report({ messageId: 'cd', at: instruction });
      },
    };
  },
});

/** How many times one RUN may ask whether an `rm` runs after a `cd` (see everyCdRemoved). */
const MAX_ORDER_QUESTIONS = 10_000;

/**
 * Whether every directory the RUN's `cd`s (and `pushd`s) go into is removed by a later `rm -r` in it, that directory or
 * one above it (not `/`): a WORKDIR there would leave the image's working directory deleted (`cd /tmp/src && make
 * install && rm -rf /tmp/src`). A directory the script does not spell out (`cd`, `cd -`, `cd ~`, `popd`) is not known
 * to be removed. Relative paths are read from the `cd` in effect where they are, or the WORKDIR; variables from the
 * ARG/ENV values and the RUN's own assignments before them (`dir=foo && cd "$dir"`, see `assigned`).
 *
 * An `rm` counts when it may run on the way the build goes once the `cd` succeeded: after it, or in an `if`/`case`
 * arm (`if [ -d /tmp/x ]; then rm -rf /tmp/x; fi`), whose WORKDIR would be deleted as well when the arm runs. Not
 * behind a `||` after the `cd` (`make || rm -rf /tmp/x`), which runs only when something failed (see runsAfter).
 */
function everyCdRemoved(
  commands: ShellCommand[],
  workdir: string,
  expand: (text: string, set: Variables) => string,
): boolean {
  const script = scriptOf(commands, () => false);
  const into = new Map<number, string>();
  const cwdAt = (place: number): string => into.get(script.cdBefore[place]) ?? workdir;
  // The directories cd'd into that are not known removed yet, with the `cd` that went there.
  const left = new Map<string, ShellCommand>();
  const removed = new Set<string>();
  let asked = 0;
  const set: Record<string, string | undefined> = Object.create(null) as Record<string, string | undefined>;
  const word = (command: ShellCommand, i: number): Word =>
    command.literalDollar?.args.has(i)
      ? { text: command.args[i], literal: true }
      : { text: expand(command.args[i], set), literal: false };
  for (const [place, command] of commands.entries()) {
    if (command.program === 'popd') return false;
    if (command.program === 'cd' || command.program === 'pushd') {
      const args = positionalIndexes(command.args).map((i) => word(command, i));
      if (args.length !== 1 || args[0].text === '-' || /^[~+]/.test(args[0].text)) return false;
      const dir = pathOf(args[0], cwdAt(place));
      // Back up to where an earlier cd went, or above it (`cd ..`, `cd /`), is leaving before the rm, not work there.
      if (![...into.values()].some((earlier) => within(earlier, dir))) left.set(dir, command);
      into.set(place, dir);
    } else if (command.program === 'rm' && hasFlag(command.args, 'r', 'R', 'recursive')) {
      for (const i of positionalIndexes(command.args)) {
        const path = word(command, i);
        // rm refuses a path ending in `.` or `..` and removes nothing there.
        if (/(^|\/)\.\.?\/*$/.test(path.text)) continue;
        const target = pathOf(path, cwdAt(place));
        if (target === '/') continue;
        // An unquoted glob removes each directory it matches when rm runs (`rm -rf /tmp/x-*`); a quoted one is a name.
        const glob = !path.literal && !command.quotedGlob?.has(i) && /[*?[]/.test(target);
        for (const [dir, cd] of left) {
          if (!(glob ? globWithin(dir, target) : within(dir, target))) continue;
          // Each question reads the script between the two: a RUN of thousands of `cd`s and `|| rm`s would take
          // minutes. Past the budget the `cd` is reported, as hadolint does.
          if ((asked += 1) > MAX_ORDER_QUESTIONS) return false;
          if (runsAfter(commands, cd, command) === 'never') continue;
          left.delete(dir);
          removed.add(dir);
        }
      }
    }
    assigned(command, set, expand);
  }
  // Going down to a removed directory first (`cd /tmp && tar xf foo.tgz && cd foo && ... && rm -rf /tmp/foo`) is the
  // way there, as going back up is the way out: a WORKDIR /tmp would only stay behind in the image.
  return (
    removed.size > 0 && [...left.keys()].every((dir) => [...removed].some((gone) => gone !== dir && within(gone, dir)))
  );
}

/**
 * Records the RUN's own assignments (`dir=foo`, `export dir=foo`) in `set`, read as `word` reads arguments: one with a
 * value the script alone does not give (`tmp="$(mktemp -d)"`, or one given by `read`) is unknown, undefined, and a
 * path written with it is taken as written (see pathOf). `dir=foo` is relative: `cd "$dir"` goes where the `cd` in
 * effect says, and `rm -rf "$dir"` after a `cd ..` removes another directory. Subshells are not followed: an assignment
 * in one is taken to hold after it too.
 */
function assigned(
  command: ShellCommand,
  set: Record<string, string | undefined>,
  expand: (text: string, set: Variables) => string,
): void {
  const value = (text: string, literal: boolean): string | undefined =>
    /\$\(|`/.test(text) ? undefined : literal ? text : expand(text, set);
  if (command.program === '')
    for (const [name, text] of Object.entries(command.env))
      set[name] = value(text, command.literalDollar?.env.has(name) === true);
  if (['export', 'readonly', 'declare', 'typeset', 'local'].includes(command.program))
    for (const i of command.args.keys()) {
      const eq = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(command.args[i]);
      if (!eq) continue;
      set[eq[1]] = value(command.args[i].slice(eq[0].length), command.literalDollar?.args.has(i) === true);
    }
  if (['read', 'unset'].includes(command.program))
    for (const name of command.args) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) set[name] = undefined;
}

/**
 * An argument with the ARG/ENV values and the RUN's known assignments in, or `literal`: as written, when the shell leaves its `$` as written (`'$x'`,
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

/**
 * `path` is matched by the shell glob `pattern` or under a directory it matches, compared one component at a time:
 * `/tmp/x-*` matches `/tmp/x-1.2/src`, not `/tmp` (a glob matches names, never across a `/`). A `*`, `?` or bracket
 * expression does not match a name's leading `.` (bash's `dotglob` aside): `rm -rf /tmp/*` leaves `/tmp/.x`. A name
 * holding an unknown variable (`x-$V`) is matched as written, so only a `*` may stand for its value.
 */
function globWithin(path: string, pattern: string): boolean {
  const names = path.split('/').filter(Boolean);
  const globs = pattern.split('/').filter(Boolean);
  return globs.length <= names.length && globs.every((glob, k) => nameMatches(glob, names[k]));
}

/** One path component `name` matched by one glob component (`*`, `?`, `[...]`, `[!...]`; an unclosed `[` is itself). */
function nameMatches(glob: string, name: string): boolean {
  if (!/[*?[]/.test(glob)) return glob === name;
  if (name.startsWith('.') && !glob.startsWith('.')) return false;
  return new RegExp(`^${shellGlobSource(glob)}$`, 's').test(name);
}
