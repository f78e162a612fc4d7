// Building blocks for the size/cache rules' fixes: append a cleanup command to a RUN's script at the place where it runs
// after everything the script installed, or give the RUN a `--mount=type=cache` instead. Every fix is checked by
// re-parsing the edited RUN and asking the rule's own question again, so a fix that would not silence its finding (or
// that lands somewhere this module misread) is never offered.
import {
  HEREDOC_MARKERS,
  parseDockerfile,
  sourceLines,
  type Instruction,
  type ParsedDockerfile,
} from '../dockerfile/parse.js';
import { mountsOf } from '../dockerfile/mount.js';
import {
  errexitSetting,
  heredocInterpreter,
  parseShell,
  runDialect,
  tokenizeShell,
  type BinSh,
  type ShellCommand,
  type ShellDialect,
} from '../dockerfile/shell.js';
import { binShAt, earlierInChain } from '../dockerfile/stages.js';
import type { DockerfileContext, ReportDescriptor } from '../report/rule.js';
import type { Applicability, TextRange } from '../report/types.js';
import { globToRegExp } from '../config/glob.js';
import { commandsOf } from './engine.js';
import { applyEdits, eolOf } from './fixer.js';
import { baseImageOf, cleanupAfter, parseImageRef, removes, swallowedInstruction, unsureCleanup } from './helpers.js';
import { ignorePragmaOf, readSuppressions } from './pragmas.js';

export type FixStyle = 'cleanup' | 'cache-mount';
export const FIX_STYLES: readonly FixStyle[] = ['cleanup', 'cache-mount'];

type Edit = { range: TextRange; text: string };
type Fix = NonNullable<ReportDescriptor['fix']>;

/** Words that leave a script unfinished: nothing can be appended after them. */
const OPEN_END = /(?:&&|\|\||\||&|\(|\{|\bthen|\bdo|\belse|\bin)$/;
/** A trailing `|| true` (or `|| :`) that swallows failures: the cleanup goes before it, into the same chain. */
const TRAILING_OR_TRUE = /\s*\|\|\s*(?:true|:)$/;

/**
 * The edit that appends `command` to the RUN's script so that it runs after every command before it: ` && command` at
 * the end of the last line of code (before a trailing `;` or `|| true`, before a comment). In a heredoc script that runs
 * with errexit (`set -e`, `#!/bin/sh -e`, `RUN <<EOF sh -e`, or a SHELL with `-e` running it: `shell`, the stage's
 * SHELL words from `ctx.stages.shellArgsAt`) it becomes a new last line instead. Undefined for exec form, several
 * heredocs, or a script whose end this cannot read. `binSh` says which shell the stage's `/bin/sh` is
 * (`ctx.stages.binSh`), which reads the script's `$'...'` quotes where it is BusyBox ash or bash.
 */
export function appendToScript(
  parsed: ParsedDockerfile,
  instruction: Instruction,
  command: string,
  shell?: readonly string[],
  binSh: BinSh = 'dash',
): Edit | undefined {
  if (instruction.form === 'exec' || swallowedInstruction(parsed, instruction) !== undefined) return undefined;
  const lines = sourceLines(parsed);
  if (instruction.heredocs.length > 0) {
    const [heredoc] = instruction.heredocs;
    if (instruction.heredocs.length > 1 || instruction.shellText !== heredoc.body) return undefined;
    // The terminator line follows the body.
    const bodyLines = heredoc.body === '' ? 0 : heredoc.body.split('\n').length;
    const terminator = heredoc.line + bodyLines;
    if (terminator > instruction.endLine) return undefined;
    // Without errexit a script exits with its last command's status: a cleanup on a new last line would make a failed
    // install pass (`apt-get install -y no-such-pkg` exits 100, the cleanup 0). So the cleanup joins the last command
    // with `&&`, unless errexit stops the script at the failure anyway.
    if (heredocErrexit(parsed, instruction, shell, binSh))
      return { range: { line: terminator, column: 1, endLine: terminator, endColumn: 1 }, text: `${command}\n` };
    // A nested heredoc's terminator may be the last line, where nothing can be chained.
    if (bodyLines === 0 || NESTED_HEREDOC.test(heredoc.body)) return undefined;
    const dialect = runDialect(instruction, shell?.[0], binSh);
    return chainAtEnd(lines, heredoc.line, terminator - 1, 0, command, dialect, false);
  }
  const dialect = runDialect(instruction, shell?.[0], binSh);
  return chainAtEnd(lines, instruction.line, instruction.endLine, instruction.column - 1, command, dialect, true);
}

/** A here-document inside a script (`cat <<EOT`), not a here-string (`<<<`). */
const NESTED_HEREDOC = /(?<!<)<<-?\s*(?:\\|["'])?[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Whether a heredoc script runs with errexit to its end: a top-level `set -e` (`set -eux`, `set -o errexit`) or a SHELL
 * with `-e` (`shell`) and no `set +e` anywhere, a shebang with `-e` (`#!/bin/sh -e`), or a shell with `-e` on the RUN
 * line (`RUN <<EOF bash -e`).
 */
function heredocErrexit(
  parsed: ParsedDockerfile,
  instruction: Instruction,
  shell: readonly string[] | undefined,
  binSh: BinSh,
): boolean {
  return errexitAt(parsed, instruction, commandsOf(instruction, shell?.[0], binSh), undefined, shell);
}

/**
 * Whether the RUN's script runs with errexit at `command` (at its end when none is given): a heredoc's shebang with
 * `-e` (`#!/bin/sh -e`) or a shell with `-e` on the RUN line (`RUN <<EOF bash -e`), or a top-level `set -e` (`set -eux`,
 * `set -o errexit`, see runsInScript) before it or a SHELL with errexit (`shell`, see shellErrexit) running it, with no
 * `set +e` anywhere (one in a branch may or may not have run). `commands` are the RUN's, `command` one of them.
 */
function errexitAt(
  parsed: ParsedDockerfile,
  instruction: Instruction,
  commands: ShellCommand[],
  command?: ShellCommand,
  shell?: readonly string[],
): boolean {
  if (instruction.heredocs.length > 0) {
    const body = instruction.heredocs[0].body;
    const shebang = /^#!\s*\S+\s+(-[A-Za-z]+)\s*$/.exec(body.split('\n')[0] ?? '');
    // Only a heredoc run by its `#!` line gets the line's options: to a shell fed it (`RUN <<EOF bash`) it is a comment.
    if (shebang && shebang[1].includes('e') && heredocInterpreter(instruction) !== undefined) return true;
    if (instruction.heredocShell) {
      const first = (sourceLines(parsed)[instruction.line - 1] ?? '').slice(instruction.column - 1);
      const options = first.replace(HEREDOC_MARKERS, ' ');
      if (/\s-[A-Za-z]*e[A-Za-z]*(?=\s|$)|\s-o\s+errexit\b/.test(options)) return true;
    }
  }
  const until = command === undefined ? commands.length : commands.indexOf(command);
  const sets = commands.filter((c) => c.program === 'set');
  const turns = (c: ShellCommand, sign: '-' | '+'): boolean =>
    c.args.some(
      (a, i) =>
        (a.startsWith(sign) && !a.startsWith(`${sign}${sign}`) && a !== `${sign}o` && /^.[A-Za-z]*e/.test(a)) ||
        (a === `${sign}o` && c.args[i + 1] === 'errexit'),
    );
  return (
    (shellErrexit(instruction, shell) ||
      sets.some((c) => runsInScript(c) && commands.indexOf(c) < until && turns(c, '-'))) &&
    !sets.some((c) => turns(c, '+'))
  );
}

/**
 * Whether `set` surely runs in the script's own shell, so that what it turns on holds for the rest of the script: not in
 * an `if`/`case` arm, loop or function, nor in a `( ... )` subshell, a pipeline part or a list left in the background
 * with `&` (each a subshell of its own, where it ends: `(set -e; cd /src)`, `set -e &`), nor past the first pipeline of
 * an and-or list (`[ -f x ] && set -e` may not run), nor in a `sh -c` script.
 */
function runsInScript(set: ShellCommand): boolean {
  return set.scope.length === 0 && set.subshells === undefined && set.andOr === undefined && !set.inner;
}

/**
 * Whether the stage's SHELL (its exec words, undefined for the default `/bin/sh -c`) runs the RUN's script with errexit:
 * its options turn `-e` (`-eo pipefail`, `-ec`, `-o errexit`) on, the last one winning (`-e +e` is off). The SHELL runs
 * the script of a shell-form RUN, and a heredoc's without a `#!` line (one with it runs as a file of its own); not one
 * fed to a shell on the RUN line (`RUN <<EOF bash`), whose bash reads it without the option.
 */
function shellErrexit(instruction: Instruction, shell: readonly string[] | undefined): boolean {
  if (shell === undefined || instruction.form === 'exec' || instruction.heredocShell !== undefined) return false;
  const [heredoc] = instruction.heredocs;
  if (
    heredoc !== undefined &&
    (instruction.shellText !== heredoc.body || heredocInterpreter(instruction) !== undefined)
  )
    return false;
  return errexitSetting(shell.slice(1)) === true;
}

/**
 * Whether `command` failing fails the RUN (`commands` are the RUN's, from `ctx.commands`; `shell` the SHELL running it,
 * from `ctx.stages.shellArgsAt`): it runs on every path of the script (top level, not behind `||`, not piped into
 * another command) and either its status is the script's (it is `&&`-chained to the end: `useradd -u 1001 app &&
 * usermod -aG sudo app`) or errexit stops the script there (`set -e`, or a SHELL with `-e`, and it is the last command
 * of its `&&` chain, where errexit applies). Not so for `useradd app; exit 0`, or for a line of a heredoc script before
 * the last one without `set -e`: the RUN passes, and what the command should have made may not be there.
 */
export function failureFailsRun(
  parsed: ParsedDockerfile,
  instruction: Instruction,
  commands: ShellCommand[],
  command: ShellCommand,
  shell?: readonly string[],
): boolean {
  if (instruction.form === 'exec' || command.scope.length > 0 || command.inner || command.pipesToNext) return false;
  if ((command.andOr ?? []).some((step) => step.lastOr >= 0) || (command.andOr?.length ?? 0) > 1) return false;
  const list = command.andOr?.[0];
  const later = commands.slice(commands.indexOf(command) + 1).filter((c) => !c.inner);
  /** Whether `c` is a later pipeline of the command's and-or list (one at element 0 would have started another). */
  const sameList = (c: ShellCommand): boolean => {
    const step = c.andOr?.[0];
    return step !== undefined && step.element > (list?.element ?? 0) && (list === undefined || step.list === list.list);
  };
  // Its status is the script's: every command after it is later in its list, with no `||` after it.
  if (later.every((c) => sameList(c) && c.andOr![0].lastOr < 0)) return true;
  // errexit applies to the last pipeline of an and-or list only.
  return errexitAt(parsed, instruction, commands, command, shell) && (later.length === 0 || !sameList(later[0]));
}

/**
 * ` && command` after the last code of lines `first`..`last` (code on `first` starts at `startColumn`, read as
 * `dialect`'s shell reads it; `joined` as for codeEndAt): before a trailing `;` or `|| true`, before a comment;
 * undefined when the script ends unfinished (`&&`, `then`, a `\`, in a quote or comment).
 */
function chainAtEnd(
  lines: readonly string[],
  first: number,
  last: number,
  startColumn: number,
  command: string,
  dialect: ShellDialect,
  joined: boolean,
): Edit | undefined {
  // The last physical line that holds code (comment lines and blank lines inside a continuation do not).
  let line = last;
  while (line > first && (/^\s*#/.test(lines[line - 1] ?? '') || (lines[line - 1] ?? '').trim() === '')) line -= 1;
  const source = (lines[line - 1] ?? '').replace(/\r$/, '');
  const from = line === first ? startColumn : 0;
  const end = codeEndAt(lines, first, line, startColumn, dialect, joined);
  if (end === undefined) return undefined;
  let code = source.slice(0, end).replace(/\s+$/, '');
  if (code.length <= from || /(^|[^\\])(\\\\)*\\$/.test(code)) return undefined;
  // `...;` ends the list: the cleanup joins the last command's chain before the `;`.
  const withoutSemicolon = code.replace(/\s*;$/, '');
  if (withoutSemicolon !== code && !withoutSemicolon.endsWith(';')) code = withoutSemicolon;
  const orTrue = TRAILING_OR_TRUE.exec(code);
  let at = orTrue ? orTrue.index : code.length;
  let text = ` && ${command}`;
  if (orTrue && code.slice(from, orTrue.index).trim() === '') {
    // `|| true` alone on a continuation line: `&& command || true` on that line.
    at = code.indexOf('||', orTrue.index);
    text = `&& ${command} `;
  } else if (OPEN_END.test(code.slice(0, at).replace(/\s+$/, ''))) return undefined;
  return { range: { line, column: at + 1, endLine: line, endColumn: at + 1 }, text };
}

/**
 * Where the code of line `line` ends (see codeEnd), the script read from line `first` (its code starting at
 * `startColumn`) so that a quote left open at the end of a line is open at the start of the next: after `echo 'a \`,
 * the `#` of `b' # done` starts a comment; after `echo "one \`, the one of `two # three"` is quoted. Lines `joined` by
 * a `\` continuation (not a heredoc's) are one line to the shell, without the comment lines among them, which the
 * builder drops: a comment on one runs on over the lines after it. Undefined when `line` is in a comment or a quote.
 */
function codeEndAt(
  lines: readonly string[],
  first: number,
  line: number,
  startColumn: number,
  dialect: ShellDialect,
  joined: boolean,
): number | undefined {
  let quote: Quote;
  for (let n = first; n <= line; n += 1) {
    const source = (lines[n - 1] ?? '').replace(/\r$/, '');
    if (joined && n > first && /^\s*#/.test(source)) continue;
    const scan = codeEnd(source, n === first ? startColumn : 0, dialect, quote);
    quote = scan.quote;
    if (n === line) return quote === undefined ? scan.end : undefined;
    if (joined && scan.end < source.length) return undefined;
  }
  return undefined;
}

/** An open quote: `'`, `"`, or `$` for bash's `$'...'`, closed by `'`, where a backslash escapes as in `"..."`. */
type Quote = "'" | '"' | '$' | undefined;

/**
 * Where the code of a line ends: at an unquoted `#` that starts a shell comment, or the line's end; and the quote still
 * open there. The line starts in `quote` (one opened on a line before it). Quotes are read as `dialect`'s shell reads
 * them: bash's `$'it\\'s' # c` has a comment, where sh's quote opened after `s` runs on.
 */
function codeEnd(source: string, from: number, dialect: ShellDialect, open: Quote): { end: number; quote: Quote } {
  let quote = open;
  for (let i = from; i < source.length; i += 1) {
    const ch = source[i];
    if (quote) {
      if (ch === '\\' && quote !== "'") i += 1;
      else if (ch === (quote === '$' ? "'" : quote)) quote = undefined;
      continue;
    }
    if (ch === '\\') i += 1;
    else if (dialect !== 'sh' && ch === '$' && source[i + 1] === "'") {
      quote = '$';
      i += 1;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '#' && (i === 0 || /\s/.test(source[i - 1]))) return { end: i, quote };
  }
  return { end: source.length, quote };
}

/**
 * The edit that gives a RUN `--mount=type=cache,target=T` for each target, before its other flags. None for a RUN whose
 * trailing `\` took in the instruction below it (DF264): as for a cleanup, the RUN is not what it looks like, and the
 * fix would be made to a script that also runs `USER 1000` as words of its last command.
 */
export function addCacheMounts(
  parsed: ParsedDockerfile,
  instruction: Instruction,
  targets: string[],
  options = '',
): Edit | undefined {
  if (swallowedInstruction(parsed, instruction) !== undefined) return undefined;
  return addFlags(
    parsed,
    instruction,
    targets.map((t) => `--mount=type=cache,target=${t}${options}`),
  );
}

/** The edit that puts `flags` right after the instruction's keyword (`RUN`, `COPY`; after `ONBUILD` too), before its other flags. */
export function addFlags(parsed: ParsedDockerfile, instruction: Instruction, flags: string[]): Edit | undefined {
  const source = sourceLines(parsed)[instruction.line - 1] ?? '';
  const keyword = new RegExp(`\\b${instruction.keyword}(\\s+)`, 'i').exec(source.slice(instruction.column - 1));
  if (!keyword) return undefined;
  const column = instruction.column + keyword.index + keyword[0].length;
  return {
    range: { line: instruction.line, column, endLine: instruction.line, endColumn: column },
    text: `${flags.join(' ')} `,
  };
}

/**
 * A cleanup fix for a RUN, in the style the run asked for (`ctx.fixStyle`): append `cleanup` to the script, or mount a
 * cache on `cacheTargets`. `stillBad` is the rule's own check, run on the edited RUN's commands: the fix is offered only
 * when it says the problem is gone.
 */
export function cleanupFix(
  ctx: DockerfileContext,
  instruction: Instruction,
  spec: {
    cleanup: string;
    cacheTargets: string[];
    cacheOptions?: string;
    applicability: Applicability;
    stillBad: (commands: ShellCommand[], instruction: Instruction) => boolean;
    /**
     * A later RUN that does nothing but this cleanup: an appended cleanup replaces it, so the fix deletes it (and the
     * comment above it) rather than leave the cleanup done twice. `text`, when given, is appended instead of `cleanup`
     * (the later RUN's own words, moved as written) if the rule's check passes with it. A cache mount leaves it be.
     */
    replaces?: { run: Instruction; text?: string };
  },
): Fix | undefined {
  // The cache targets are root's (`/root/.npm`, `/root/.cache/pip`): another user's tool caches under its own home,
  // into a mount root owns, so under a non-root USER the fix cleans up in the RUN instead.
  const mount = ctx.fixStyle === 'cache-mount' && spec.cacheTargets.length > 0 && runsAsRoot(ctx, instruction);
  if (!mount && spec.replaces?.text !== undefined) {
    const moved = cleanupFix(ctx, instruction, {
      ...spec,
      cleanup: spec.replaces.text,
      replaces: { run: spec.replaces.run },
    });
    if (moved) return moved;
  }
  const shell = ctx.stages.shellAt[instruction.index];
  const binSh = binShAt(ctx.stages, instruction.stageIndex);
  const dialect = runDialect(instruction, shell, binSh);
  if (!mount && !toolsPresentAtEnd(ctx.commands(instruction), spec.cleanup, dialect)) return undefined;
  const edit = mount
    ? addCacheMounts(ctx.parsed, instruction, spec.cacheTargets, spec.cacheOptions)
    : appendToScript(ctx.parsed, instruction, spec.cleanup, ctx.stages.shellArgsAt[instruction.index], binSh);
  if (!edit) return undefined;
  const after = editedInstruction(ctx.parsed, instruction, [edit]);
  if (!after || after.keyword !== instruction.keyword) return undefined;
  // A cache mount silences the rule through its mount check, not through the commands: ask about the mount instead.
  if (!mount && spec.stillBad(commandsOf(after, shell, binSh), after)) return undefined;
  if (mount && !mountsOf(after).some((m) => spec.cacheTargets.includes(m.target))) return undefined;
  if (!mount && spec.replaces)
    return {
      applicability: spec.applicability,
      title: `Move the cleanup of the RUN on line ${spec.replaces.run.line} into this RUN`,
      edits: [edit, deleteWithComments(ctx.parsed, spec.replaces.run)],
    };
  const title = mount
    ? `Mount a build cache on ${spec.cacheTargets.join(', ')}`
    : `Append \`${spec.cleanup}\` to the RUN`;
  return { applicability: spec.applicability, title, edits: [edit] };
}

/**
 * Whether every tool `cleanup` runs (`yarn` of `yarn cache clean`, `apt-get` of `apt-get clean`; `rm` is in every
 * image) also runs on every path of the RUN's script, outside any `if`/`case` arm, function or `||` (a loop over the
 * packages or projects is taken to run): appended after the script, the cleanup runs on every path. An install in an
 * arm, as in a lockfile chooser (`if [ -f yarn.lock ]; then yarn --frozen-lockfile; else npm ci; fi`) or a
 * distribution chooser (`if command -v apt-get; then ...; elif command -v apk; ...`), tells nothing of the paths that
 * took another arm, where that tool may be missing and the cleanup would fail the build. Such a RUN gets no appended
 * cleanup (it belongs in the arm, which an edit at the end of the script cannot place).
 */
function toolsPresentAtEnd(commands: ShellCommand[], cleanup: string, dialect: ShellDialect): boolean {
  return cleanupTools(cleanup, dialect).every((tool) =>
    commands.some((c) => c.program === tool && c.scope.every((f) => f.kind === 'loop')),
  );
}

/**
 * The programs other than `rm` that a cleanup runs, as `dialect`'s shell reads it. A rule offers the same few cleanups
 * (`npm cache clean --force`) to every RUN it flags, and each was parsed again for each: kept, for the last few hundred
 * texts (a cleanup moved from a later RUN is that RUN's own words).
 */
function cleanupTools(cleanup: string, dialect: ShellDialect): readonly string[] {
  const key = `${dialect}\n${cleanup}`;
  let tools = CLEANUP_TOOLS.get(key);
  if (!tools) {
    if (CLEANUP_TOOLS.size >= 500) CLEANUP_TOOLS.clear();
    tools = parseShell(cleanup, 0, dialect)
      .filter((c) => c.program !== 'rm')
      .map((c) => c.program);
    CLEANUP_TOOLS.set(key, tools);
  }
  return tools;
}

const CLEANUP_TOOLS = new Map<string, readonly string[]>();

/**
 * Whether a RUN runs as root: the last USER before it in its stage, or in the stages that stage is built FROM. With no
 * USER it is the base image's user, root for nearly every base image.
 */
export function runsAsRoot(ctx: DockerfileContext, instruction: Instruction): boolean {
  const name = userAt(ctx, instruction);
  return name === undefined || name === 'root' || name === '0';
}

/**
 * The user part of the last USER before a RUN in its stage, or in the stages that stage is built FROM (resolved through
 * ARG and ENV); undefined when there is none (the base image's user, root for nearly every base image).
 */
function userAt(ctx: DockerfileContext, instruction: Instruction): string | undefined {
  return userSpecAt(ctx, instruction)?.split(':')[0];
}

/** The whole `user[:group]` of the last USER before a RUN, as `userAt` finds it. */
export function userSpecAt(ctx: DockerfileContext, instruction: Instruction): string | undefined {
  for (const earlier of earlierInChain(ctx, instruction, 'newest-first'))
    if (earlier.keyword === 'USER') return ctx.resolve(earlier.shellText.trim(), earlier);
  return undefined;
}

/**
 * The options a suggested `--mount=type=cache` needs so that the RUN's USER can write to it (`,uid=1000,gid=1000`): BuildKit
 * creates the mount's directory owned by root (uid 0, gid 0, mode 0755), where another user's npm, pip or yarn cannot
 * write its cache. '' for root. Numeric ids are given as they are; a name's ids live in the image's /etc/passwd and
 * /etc/group, which the Dockerfile does not show, so they are placeholders that say whose ids to put there.
 */
export function cacheMountOwner(ctx: DockerfileContext, instruction: Instruction): string {
  const spec = userSpecAt(ctx, instruction);
  if (spec === undefined) return '';
  const [user, group] = spec.split(':');
  if (user === 'root' || user === '0') return '';
  const numeric = (id: string): boolean => /^\d+$/.test(id);
  const uid = numeric(user) ? user : `<UID of ${user}>`;
  // Without a group, the process runs with the user's primary group from /etc/passwd.
  const gid =
    group === undefined || group === ''
      ? numeric(user)
        ? `<GID of user ${user}>`
        : `<GID of ${user}>`
      : numeric(group)
        ? group
        : `<GID of ${group}>`;
  return `,uid=${uid},gid=${gid}`;
}

/**
 * $HOME of a RUN, where tools put their per-user caches: an ENV HOME, else /root for root, /home/NAME for a named USER
 * (what useradd and the official images' users get); undefined when it cannot be told (a numeric UID other than 0, a
 * variable from the base image), where the caller should accept any home.
 */
export function homeAt(ctx: DockerfileContext, instruction: Instruction): string | undefined {
  const home = ctx.variables(instruction).HOME;
  if (home !== undefined && home.startsWith('/')) return home;
  const name = userAt(ctx, instruction);
  if (name === undefined || name === 'root' || name === '0') return '/root';
  if (/^\d+$/.test(name) || name.includes('$')) return undefined;
  return `/home/${name}`;
}

/**
 * The check the package-cache rules share (DF007, DF009-DF011): a RUN that installs (`isInstall`) and does not clean
 * up (`cleans`) after the install on every path gets a `notCleaned` finding with the cleanup fix; a cleanup only inside
 * a condition or loop makes the finding unsure. `describe` gives the message data and the fix for the first install.
 */
export function reportUncleanedCache(
  ctx: DockerfileContext,
  instruction: Instruction,
  check: {
    // `list` is the RUN's commands `command` is one of: the RUN's, or, to check the fix, those of the RUN as fixed (a
    // rule that reads what an `export` before the command set, see variableAt, reads it from there).
    isInstall: (command: ShellCommand, list: ShellCommand[]) => boolean;
    cleans: (command: ShellCommand, list: ShellCommand[]) => boolean;
    describe: (install: ShellCommand) => {
      data?: Record<string, string>;
      fix: Omit<Parameters<typeof cleanupFix>[2], 'stillBad'>;
    };
  },
): void {
  const commands = ctx.commands(instruction);
  const installs = commands.filter((c) => check.isInstall(c, commands));
  if (installs.length === 0) return;
  // A clean *before* the install does not help: it must come after, on every path.
  const status = cleanupAfter(commands, installs, (c) => check.cleans(c, commands));
  if (status === 'always') return;
  const { data, fix } = check.describe(installs[0]);
  ctx.report({
    messageId: 'notCleaned',
    data,
    at: instruction,
    unsure: unsureCleanup(status),
    fix: cleanupFix(ctx, instruction, {
      ...fix,
      stillBad: (after) =>
        cleanupAfter(
          after,
          after.filter((c) => check.isInstall(c, after)),
          (c) => check.cleans(c, after),
        ) !== 'always',
    }),
  });
}

/**
 * The commands of a RUN as they read after `edits` (see editedInstruction), under the stage's SHELL program `shell`
 * (StageModel.shellAt; see commandsOf), as the stage's `/bin/sh` (`binSh`, StageModel.binSh) reads it; undefined when it reads as
 * another instruction or none. For a fix that places its edits by text, to check that they land in the commands meant.
 */
export function commandsAfterEdits(
  parsed: ParsedDockerfile,
  instruction: Instruction,
  edits: Edit[],
  shell: string | undefined,
  binSh: BinSh = 'dash',
): ShellCommand[] | undefined {
  const after = editedInstruction(parsed, instruction, edits);
  return after && after.keyword === instruction.keyword ? commandsOf(after, shell, binSh) : undefined;
}

/**
 * The instruction as it reads after `edits` (re-parsed; the same instruction, or its ONBUILD trigger). Only its own lines
 * are re-parsed, after the parser directives (the escape character changes how it reads): re-parsing the whole file
 * for every fix offered made linting quadratic (20,000 RUNs that each get a cleanup fix). Its line numbers are those
 * of that excerpt; callers read its commands and flags. An edit outside the instruction, or edits after which its lines
 * no longer read as one instruction, gives undefined (no fix).
 */
function editedInstruction(parsed: ParsedDockerfile, instruction: Instruction, edits: Edit[]): Instruction | undefined {
  const host = parsed.instructions[instruction.index];
  if (!host || edits.some((e) => e.range.line < host.line || e.range.endLine > host.endLine)) return undefined;
  const lines = sourceLines(parsed);
  const lastDirective = parsed.directives[parsed.directives.length - 1]?.line ?? 0;
  const top = lines.slice(0, Math.min(lastDirective, host.line - 1));
  const own = lines.slice(host.line - 1, host.endLine).join('\n');
  const shift = host.line - 1;
  const shifted = edits.map((e) => ({
    range: { ...e.range, line: e.range.line - shift, endLine: e.range.endLine - shift },
    text: e.text,
  }));
  const text = [...top, applyEdits(own, shifted).text].join('\n');
  const reparsed = parseDockerfile(text, parsed.file);
  if (reparsed.instructions.length !== 1) return undefined;
  const [same] = reparsed.instructions;
  return host.trigger === instruction ? same.trigger : same;
}

const RESERVED = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'for',
  'while',
  'until',
  'do',
  'done',
  'case',
  'esac',
  '{',
  '}',
  '!',
]);

/**
 * The end of a RUN's script where more can be chained with ` && `: the line and column after its last code, or
 * undefined when the last line ends in a comment, a `;`, an unfinished operator, or the RUN is exec form or a heredoc.
 * The script is read as `dialect`'s shell reads it.
 */
function chainableEnd(
  parsed: ParsedDockerfile,
  instruction: Instruction,
  dialect: ShellDialect,
): { line: number; column: number } | undefined {
  if (
    instruction.form === 'exec' ||
    instruction.heredocs.length > 0 ||
    swallowedInstruction(parsed, instruction) !== undefined
  )
    return undefined;
  const lines = sourceLines(parsed);
  const line = instruction.endLine;
  const source = (lines[line - 1] ?? '').replace(/\r$/, '');
  const startColumn = line === instruction.line ? instruction.column - 1 : 0;
  const end = codeEndAt(lines, instruction.line, line, instruction.column - 1, dialect, true);
  const code = source.slice(0, end).replace(/\s+$/, '');
  if (
    end === undefined ||
    code.length <= startColumn ||
    code !== source.replace(/\s+$/, '') ||
    /;$/.test(code) ||
    OPEN_END.test(code)
  )
    return undefined;
  return { line, column: code.length + 1 };
}

/**
 * True when a script (read as `dialect`'s shell reads it) is one `&&`/`|` chain of simple commands: `x && <script>` then
 * fails whenever either part fails.
 */
export function isPlainChain(script: string, dialect: ShellDialect): boolean {
  return tokenizeShell(script, dialect).every((t) =>
    t.kind === 'op' ? t.value === '&&' || t.value === '|' : !(t.raw === t.value && RESERVED.has(t.value)),
  );
}

/**
 * Builtins whose effect outlives the command in the shell that runs it: the working directory, variables, options,
 * traps, aliases, functions read from a file, or the end of the shell itself. Each RUN starts a fresh shell, so after
 * a join they would reach `second` (`cd sub` + `test -f package.json`), or stop it from running (`exit 0`).
 */
const STATEFUL = new Set([
  'cd',
  'pushd',
  'popd',
  'export',
  'unset',
  'readonly',
  'local',
  'declare',
  'typeset',
  'let',
  'read',
  'mapfile',
  'readarray',
  'getopts',
  'umask',
  'ulimit',
  'shopt',
  'alias',
  'unalias',
  'enable',
  'trap',
  'source',
  '.',
  'eval',
  'exec',
  'exit',
  'return',
  'logout',
]);

/**
 * Whether a script changes the state of the shell that runs it, so that a script run after it in the same shell no
 * longer starts as in a fresh one: a stateful builtin (even inside `if` or `( ... )`: this does not tell a subshell from
 * the shell), a variable assignment on its own (`X=1`), a function definition, a job sent to the background, or a
 * `set` of anything but `-e`/`-x`/`-v` (which cannot change how an `&&` chain after it behaves). Commands inside
 * `sh -c '...'` run in their own shell and do not count. `commands` are the script's commands as commandsOf reads them,
 * when the caller has them (they differ from a parse here only in the commands of a `sh -c`, which do not count).
 */
function changesShellState(script: string, dialect: ShellDialect, commands?: ShellCommand[]): boolean {
  if (tokenizeShell(script, dialect).some((t) => t.kind === 'op' && t.value === '&')) return true;
  return (commands ?? parseShell(script, 0, dialect)).some((c) => {
    if (c.inner) return false;
    if (c.scope.some((f) => f.kind === 'func')) return true;
    if (c.name === '') return true;
    if (STATEFUL.has(c.program)) return true;
    // `command cd dir` and `builtin export X` run the builtin; `command -v curl` only asks where curl is.
    if ((c.program === 'command' || c.program === 'builtin') && !c.args.some((a) => a === '-v' || a === '-V'))
      return c.args.some((a) => STATEFUL.has(a));
    if (c.program === 'printf' && c.args.includes('-v')) return true;
    if (c.program === 'set') return c.args.some((a) => !/^[-+][exv]+$/.test(a));
    return false;
  });
}

/**
 * The edit that joins RUN `second` onto the RUN `first` right before it: the comment lines between them (blank lines
 * dropped), then `first`'s text, ` \`, `&& ` and `second`'s script. Only when `second` is a plain `&&` chain, so that
 * the joined script still stops at the first failure of either part, `first` leaves no shell state behind (a `cd`,
 * `export`, `exit`...; see `changesShellState`) that would reach `second`, no ignore pragma sits between them (it would
 * stop applying to `second`) or above `first` (it would start applying to `second`), and no moved comment would become
 * a parser directive. Whatever lists `first` holds, `first && second` runs `second` exactly when `first`'s last command
 * succeeded: `a; b && c` and `a || b && c` group as `a; (b && c)` and `(a || b) && c`, which is what two RUNs do.
 * `shell` is their stage's SHELL program (StageModel.shellAt), which reads both scripts and the joined one, as the
 * stage's `/bin/sh` (`binSh`, StageModel.binSh) reads them. `firstCommands`, when the caller has them, are `first`'s
 * commands as commandsOf reads them under that shell (ctx.commands: not the none it gives a RUN it cannot read), so
 * that `first`'s script is not parsed again for each pair of RUNs.
 */
export function mergeRuns(
  parsed: ParsedDockerfile,
  first: Instruction,
  second: Instruction,
  shell: string | undefined,
  binSh: BinSh = 'dash',
  firstCommands?: ShellCommand[],
): Edit | undefined {
  const end = chainableEnd(parsed, first, runDialect(first, shell, binSh));
  if (!end || second.form === 'exec' || second.heredocs.length > 0) return undefined;
  if (!isPlainChain(second.shellText, runDialect(second, shell, binSh))) return undefined;
  if (
    changesShellState(first.shellText, runDialect(first, shell, binSh), firstCommands) ||
    swallowedInstruction(parsed, second) !== undefined
  )
    return undefined;
  const lines = sourceLines(parsed);
  const between = lines.slice(first.endLine, second.line - 1);
  if (between.some((l) => l.trim() !== '' && !/^\s*#/.test(l))) return undefined;
  const comments = between.filter((l) => /^\s*#/.test(l));
  if (comments.some((l) => ignorePragmaOf(l.replace(/^\s*#\s*/, '')) !== undefined)) return undefined;
  // A pragma above `first` applies to the joined RUN, so it would silence `second`'s findings too.
  if (readSuppressions(parsed).byInstruction.has(first.index)) return undefined;
  const firstLines = lines.slice(first.line - 1, first.endLine).map((l) => l.replace(/\r$/, ''));
  firstLines[0] = firstLines[0].slice(first.column - 1);
  firstLines[firstLines.length - 1] = firstLines[firstLines.length - 1].slice(
    0,
    end.column - (first.endLine === first.line ? first.column : 1),
  );
  // Indented like `first`'s continued commands: its comment lines (often at column 1) and blank lines aside.
  const continued = firstLines.slice(1).find((l) => l.trim() !== '' && !/^\s*#/.test(l));
  const indent = continued === undefined ? ' ' : (/^\s*/.exec(continued)?.[0] ?? ' ');
  const escape = parsed.escapeChar;
  // The comments between them explain the RUNs: inside the joined RUN's continuation a reader takes them for part of the
  // script, so they go above it, in their order and as written. The edit starts at column 1 to put them there, and
  // keeps what stood before `first` on its line (its indentation).
  const lead = (lines[first.line - 1] ?? '').slice(0, first.column - 1);
  // Above a RUN with only parser directives over it, a `# key=value` comment would become a directive (`# escape=`).
  // (read from the top up to the first other line, not copying the lines above: this runs for every pair of RUNs)
  const directiveLike = (l: string) => /^\s*#\s*[a-zA-Z][\w-]*\s*=/.test(l);
  const top = lines.every((l, i) => i >= first.line - 1 || directiveLike(l));
  if (top && comments.length > 0 && directiveLike(comments[0])) return undefined;
  const text = [...comments, `${lead}${firstLines.join('\n')} ${escape}`, `${indent}&& ${second.args}`].join('\n');
  // A RUN ending in a dangling continuation takes the next (blank) line into its range: the edit ends after its last
  // written line, so the line breaks after it (the file's last newline among them) stay.
  let endLine = second.endLine;
  while (endLine > second.line && (lines[endLine - 1] ?? '').trim() === '') endLine -= 1;
  const last = (lines[endLine - 1] ?? '').replace(/\r$/, '');
  return {
    range: { line: first.line, column: 1, endLine, endColumn: last.length + 1 },
    text,
  };
}

/**
 * The edit that deletes a whole instruction, its line break included, and the ignore pragmas right above it (which would
 * otherwise apply to the next instruction); other comments above it stay.
 */
export function deleteInstruction(parsed: ParsedDockerfile, instruction: Instruction): Edit {
  const lines = sourceLines(parsed);
  let first = instruction.line;
  while (
    first > 1 &&
    ignorePragmaOf((lines[first - 2] ?? '').replace(/^\s*#\s*/, '').trim())?.scope === 'next' &&
    /^\s*#/.test(lines[first - 2] ?? '')
  )
    first -= 1;
  if (instruction.endLine < lines.length)
    return { range: { line: first, column: 1, endLine: instruction.endLine + 1, endColumn: 1 }, text: '' };
  const last = lines[instruction.endLine - 1] ?? '';
  return { range: { line: first, column: 1, endLine: instruction.endLine, endColumn: last.length + 1 }, text: '' };
}

/**
 * The edit that deletes an instruction together with the comment lines right above it (they describe what goes), and
 * one blank line next to it when there is one on each side, so that what stood above and below stays one blank line
 * apart. At the end of the file the blank lines above it go too.
 */
export function deleteWithComments(parsed: ParsedDockerfile, instruction: Instruction): Edit {
  const lines = sourceLines(parsed);
  const blank = (line: number): boolean => (lines[line - 1] ?? '').trim() === '';
  const previousEnd = parsed.instructions[parsed.instructions.indexOf(instruction) - 1]?.endLine ?? 0;
  let first = instruction.line;
  while (first - 1 > previousEnd && /^\s*#/.test(lines[first - 2] ?? '')) first -= 1;
  let last = instruction.endLine;
  const atEnd = lines.slice(last).every((l) => l.trim() === '');
  if (first - 1 > previousEnd && blank(first - 1)) {
    if (atEnd) while (first - 1 > previousEnd && blank(first - 1)) first -= 1;
    else if (blank(last + 1)) last += 1;
  }
  if (last < lines.length) return { range: { line: first, column: 1, endLine: last + 1, endColumn: 1 }, text: '' };
  if (first > 1) {
    // The file's last lines go: the line break before them too, and the one after what stays is kept.
    const kept = lines[first - 2] ?? '';
    const end = (lines[last - 1] ?? '').length + 1;
    return { range: { line: first - 1, column: kept.length + 1, endLine: last, endColumn: end }, text: '' };
  }
  return { range: { line: first, column: 1, endLine: last, endColumn: (lines[last - 1] ?? '').length + 1 }, text: '' };
}

/** A language whose projects keep something in the context that must not reach the image. */
export type ProjectLanguage = 'node' | 'python' | 'php' | 'ruby' | 'dotnet';

// The entries dockerignoreEntries proposes, in the order written, each glob compiled once for the process rather than
// on every call. The ones with a language are what that language's own generated .dockerignore keeps out, only for a
// project of that language (a `vendor` is a Go or PHP project's dependencies, and a Go build may need it).
const IGNORED = (
  [
    ['.git'],
    ['node_modules', 'node'],
    // A local virtualenv: host-specific binaries, often hundreds of MB.
    ['.venv', 'python'],
    ['venv', 'python'],
    // The host's vendor/ (with dev dependencies) overlays what `composer install --no-dev` installed.
    ['vendor', 'php'],
    // Rails' secrets: `.env*` does not cover them.
    ['config/master.key', 'ruby'],
    ['config/credentials/*.key', 'ruby'],
    // Their contents only: the app writes into log/ and tmp/, so the directories stay.
    ['log/*', 'ruby'],
    ['tmp/*', 'ruby'],
    ['vendor/bundle', 'ruby'],
    // A host obj/project.assets.json replaces the image's restore (NETSDK1047 under `publish --no-restore`).
    ['**/bin', 'dotnet'],
    ['**/obj', 'dotnet'],
    ['.env*'],
    ['**/__pycache__'],
    ['**/*.pyc'],
    ['dist'],
    ['build'],
    ['target'],
    ['coverage'],
  ] as [string, ProjectLanguage?][]
).map(([pattern, language]) => ({
  pattern,
  language,
  glob: /[*?[]/.test(pattern),
  matcher: globToRegExp(pattern),
}));

/**
 * What a .dockerignore should keep out of a broadly copied context: .git, .env files, Python bytecode, build output
 * directories and what matters for the project's languages (`projectLanguages`; node_modules also for `node`), except
 * what the Dockerfile uses (`COPY dist/ ...` needs its dist, `RUN cp .env.example .env` its .env.example): an entry
 * naming exactly a used name is left out, and a glob matching used names is followed by a `!name` exception for each.
 */
export function dockerignoreEntries(ctx: DockerfileContext, node: boolean): string[] {
  const languages = projectLanguages(ctx);
  if (node) languages.add('node');
  const used = usedNames(ctx);
  for (const entry of contextEntriesReadUnnamed(ctx, languages.has('node'))) used.push(entry);
  const entries: string[] = [];
  for (const { pattern, language, glob, matcher } of IGNORED) {
    if (language !== undefined && !languages.has(language)) continue;
    const hits = used.filter((name) => matcher.test(name));
    if (!glob) {
      if (hits.length === 0) entries.push(pattern);
      continue;
    }
    entries.push(pattern);
    // `**/*.pyc` is matched at any depth: its exception names the file at any depth too.
    const exceptions = hits.map((name) => `!${pattern.startsWith('**/') ? `**/${name.split('/').pop()!}` : name}`);
    for (const exception of new Set(exceptions)) entries.push(exception);
  }
  return entries;
}

// Base image names (any path component, or its part before a `-`: `bitnami/php-fpm`), programs and copied manifest
// files that show a project's language.
const IMAGE_LANGUAGES: Record<string, ProjectLanguage> = {
  node: 'node',
  python: 'python',
  pypy: 'python',
  php: 'php',
  composer: 'php',
  ruby: 'ruby',
  dotnet: 'dotnet',
};
const PROGRAM_LANGUAGES: Record<string, ProjectLanguage> = {
  npm: 'node',
  yarn: 'node',
  pnpm: 'node',
  pip: 'python',
  pip3: 'python',
  pipenv: 'python',
  poetry: 'python',
  uv: 'python',
  composer: 'php',
  bundle: 'ruby',
  dotnet: 'dotnet',
};
const MANIFEST_LANGUAGES: [RegExp, ProjectLanguage][] = [
  [/^package\.json$/, 'node'],
  [/^(requirements.*\.txt|pyproject\.toml|Pipfile(\.lock)?|poetry\.lock|uv\.lock)$/, 'python'],
  [/^composer\.(json|lock)$/, 'php'],
  [/^Gemfile(\.lock)?$/, 'ruby'],
  [/\.(csproj|fsproj|vbproj|sln)$/, 'dotnet'],
];

// Own keys only: an image or program named `constructor` is no language.
const lookup = (map: Record<string, ProjectLanguage>, key: string): ProjectLanguage | undefined =>
  Object.hasOwn(map, key) ? map[key] : undefined;

/**
 * The languages the Dockerfile shows: its base images (`python:3.12-slim`, `mcr.microsoft.com/dotnet/sdk`), the
 * package managers its RUNs call (`pip`, `python -m pip`, `composer`, `bundle`, `dotnet`) and the manifests it copies
 * from the context (`Gemfile`, `*.csproj`).
 */
export function projectLanguages(ctx: DockerfileContext): Set<ProjectLanguage> {
  const languages = new Set<ProjectLanguage>();
  ctx.parsed.stages.forEach((_, index) => {
    const image = baseImageOf(ctx, index);
    if (image === undefined || image === '') return;
    for (const part of parseImageRef(image).repository.split('/')) {
      const language = lookup(IMAGE_LANGUAGES, part) ?? lookup(IMAGE_LANGUAGES, part.split('-')[0]);
      if (language !== undefined) languages.add(language);
    }
  });
  for (const instruction of ctx.parsed.instructions) {
    if (instruction.keyword === 'RUN') {
      for (const command of ctx.commands(instruction)) {
        // `pip3.12`, and `python -m pip install`, `python3 -m venv`.
        const program = /^pip[\d.]*$/.test(command.program) ? 'pip' : command.program;
        const language = lookup(PROGRAM_LANGUAGES, program);
        if (language !== undefined) languages.add(language);
        const m = command.args.indexOf('-m');
        if (/^python/.test(program) && m >= 0 && /^(pip|venv)$/.test(command.args[m + 1] ?? ''))
          languages.add('python');
      }
    } else if (
      (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') &&
      instruction.flags.from === undefined
    ) {
      for (const source of copySourceWords(instruction)) {
        const base = source.split('/').pop() ?? '';
        for (const [pattern, language] of MANIFEST_LANGUAGES) if (pattern.test(base)) languages.add(language);
      }
    }
  }
  return languages;
}

/**
 * The context-relative names the Dockerfile may read: every run of path components (`app/.env.example`,
 * `.env.example`, `app`...) of the words of COPY/ADD sources, CMD/ENTRYPOINT/HEALTHCHECK, and RUN commands, leaving out
 * what a command only writes (the destination of `cp`/`mv`/`ln`/`install`, redirection targets), the components from
 * the first one with a glob or a variable on (`find . -name '*.pyc'` uses no file of that name; `dist/*.whl` uses
 * dist), and flags.
 */
function usedNames(ctx: DockerfileContext): string[] {
  const words: string[] = [];
  // One by one, not push(...): a COPY of 200,000 sources or a RUN of 200,000 arguments is more than a call takes.
  const add = (list: Iterable<string>) => {
    for (const word of list) words.push(word);
  };
  for (const instruction of ctx.parsed.instructions) {
    if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
      if (instruction.flags.from === undefined) add(copySourceWords(instruction));
    } else if (instruction.keyword === 'RUN') {
      const commands = ctx.commands(instruction);
      // Commands this cannot read (PowerShell, a Python heredoc): every word counts.
      if (commands.length === 0) words.push(instruction.shellText);
      for (const command of commands) {
        // `rm -f` of a path works whether or not the context brought it: a delete, not a use (`rm -rf
        // /app/node_modules` does not need the context's node_modules). Without -f the build fails if it is missing.
        if (removesForcibly(command)) {
          words.push(command.name);
          continue;
        }
        const args = command.args.filter((a) => !a.startsWith('-'));
        const destination = /^(cp|mv|ln|install)$/.test(command.program) ? args.length - 1 : -1;
        // `--out-dir=dist` names dist too.
        const values = command.args.filter((a) => a.startsWith('-') && a.includes('=')).map((a) => a.split('=')[1]);
        words.push(command.name);
        add(args.filter((_, i) => i !== destination));
        add(values);
      }
    } else if (/^(CMD|ENTRYPOINT|HEALTHCHECK)$/.test(instruction.keyword))
      add(instruction.execArgs ?? instruction.shellText.split(/\s+/));
  }
  const names = new Set<string>();
  for (const word of words.flatMap((w) => w.split(/[\s=:,;"']+/))) {
    let parts = word.split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
    // The directories before a glob or a variable are named all the same: `COPY dist/*.whl /wheels/` and `pip install
    // dist/*.whl` read dist, and fail when the context lacks it.
    const wild = parts.findIndex((p) => /[*?[\]{}$`]/.test(p));
    if (wild >= 0) parts = parts.slice(0, wild);
    for (let start = 0; start < parts.length; start += 1)
      for (let end = start + 1; end <= parts.length; end += 1) names.add(parts.slice(start, end).join('/'));
  }
  return [...names];
}

/** `rm` with `-f`/`--force` (alone or in a cluster, `-rf`), before any `--`. */
function removesForcibly(command: ShellCommand): boolean {
  if (command.program !== 'rm') return false;
  const end = command.args.indexOf('--');
  const flags = end < 0 ? command.args : command.args.slice(0, end);
  return flags.some((a) => a === '--force' || /^-[a-zA-Z]*f/.test(a));
}

/** COPY/ADD source words (all but the destination), flags already removed. */
function copySourceWords(instruction: Instruction): string[] {
  const words = instruction.execArgs ?? instruction.shellText.split(/\s+/).filter(Boolean);
  return instruction.heredocs.length > 0 ? [] : words.slice(0, -1);
}

/**
 * Context entries the build reads without naming them: `.git` when a RUN runs git (a version string from `git
 * describe`, submodules), and, in a Node project (`node`), `node_modules` when no RUN installs packages or removes
 * node_modules, so that the image's dependencies are the ones in the context. Excluding either would break the build
 * or the app.
 */
export function contextEntriesReadUnnamed(ctx: DockerfileContext, node: boolean): string[] {
  const commands = ctx.parsed.instructions.filter((i) => i.keyword === 'RUN').flatMap((i) => ctx.commands(i));
  const entries: string[] = [];
  if (commands.some((c) => c.program === 'git')) entries.push('.git');
  const dropsModules = commands.some((c) => removes(c, (path) => /(^|\/)node_modules(\/\*?)?$/.test(path)));
  if (node && !dropsModules && !commands.some(installsNodePackages)) entries.push('node_modules');
  return entries;
}

/** `npm ci`, `npm install`, `yarn`, `yarn install`, `pnpm install`, `bun install` and their short forms. */
function installsNodePackages(command: ShellCommand): boolean {
  const sub = command.args.find((a) => !a.startsWith('-'));
  switch (command.program) {
    case 'npm':
      return sub !== undefined && ['ci', 'install', 'i', 'add', 'clean-install'].includes(sub);
    case 'yarn':
      return sub === undefined || sub === 'install' || sub === 'add';
    case 'pnpm':
    case 'bun':
      return sub !== undefined && ['install', 'i', 'add'].includes(sub);
    default:
      return false;
  }
}

/** Whether the context is a Node project (a package.json in it, or the Dockerfile runs npm/yarn/pnpm). */
export function isNodeContext(ctx: DockerfileContext): boolean {
  return typeof ctx.readContextFile('package.json') === 'string' || /\b(npm|yarn|pnpm)\b/.test(ctx.parsed.text);
}

/**
 * The edit that appends `lines` to a context file whose current text is `text` (empty or missing: the whole file), in
 * the file's line endings (`eolOf`); a file without a line break takes `eol`.
 */
export function appendLines(
  name: string,
  text: string,
  lines: string[],
  eol: '\n' | '\r\n' = '\n',
): Edit & { contextFile: string } {
  const all = text.split('\n');
  const line = all.length;
  const column = (all[line - 1] ?? '').length + 1;
  if (all.length > 1) eol = eolOf(text);
  const prefix = text === '' || text.endsWith('\n') ? '' : eol;
  return {
    range: { line, column, endLine: line, endColumn: column },
    text: `${prefix}${lines.join(eol)}${eol}`,
    contextFile: name,
  };
}
