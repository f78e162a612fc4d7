// DF019: an archive, package or installer script downloaded in a RUN and not removed in it.
import type { Instruction } from '../../src/dockerfile/parse.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import type { DockerfileContext } from '../../src/report/rule.js';
import { cleanupFix } from '../../src/lint/autofix.js';
import {
  changesDirectory,
  cleanupAfter,
  defineRule,
  dockerfileMeta,
  downloadedFile,
  removes,
  unsureCleanup,
} from '../../src/lint/helpers.js';
import { listed } from '../../src/reporters/format.js';

const LEFTOVER = /\.(tar|tgz|tar\.gz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|zip|deb|rpm|apk|run|sh|whl|msi|pkg)$/;

/** Whether an `rm` argument with shell globs (`*.deb`, `/tmp/*`) matches a path. */
function globMatches(pattern: string, path: string): boolean {
  if (!/[*?]/.test(pattern)) return false;
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(path);
}

/** A word with its variable references spelled one way (`$V.tar.gz` as `${V}.tar.gz`), to compare words as written. */
const spelled = (word: string): string => word.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, '${$1}');

/** A download this RUN leaves in its layer: the command, the path as written, and how sure the rule is it stays. */
interface Leftover {
  command: ShellCommand;
  file: string;
  status: 'never' | 'maybe';
}

/** Every download of the RUN (`commands`, the RUN's or the fixed RUN's) that no later command removes on every path. */
function leftovers(ctx: DockerfileContext, instruction: Instruction, commands: ShellCommand[]): Leftover[] {
  const found: Leftover[] = [];
  for (const command of commands) {
    const file = downloadedFile(command);
    // A path holding a variable (`/tmp/runner-${V}.tar.gz`) is judged by its value where ARG/ENV give one, and
    // named as written: the shell expands `rm -f` of the same words alike. Command substitutions are not read.
    if (!file || /\$\(|`/.test(file)) continue;
    const value = ctx.resolve(file, instruction);
    if (!LEFTOVER.test(value) || value.startsWith('/dev/')) continue;
    // In a stage later stages copy some paths of, the file ships only if one of those paths holds it.
    if (!(value.startsWith('/') ? ctx.ships(instruction, value) : ctx.ships(instruction))) continue;
    const target = spelled(file);
    const base = target.split('/').pop()!;
    // The removal (or a move elsewhere) must run after the download on every path.
    const status = cleanupAfter(
      commands,
      [command],
      (c) =>
        removes(c, (written) => {
          const p = spelled(written);
          return (
            p === target ||
            p.endsWith(`/${base}`) ||
            p === base ||
            globMatches(p, target) ||
            globMatches(p, base) ||
            target.startsWith(`${p.replace(/\/+$/, '')}/`)
          );
        }) ||
        (c.program === 'mv' && c.args.some((a) => spelled(a) === target)),
    );
    if (status !== 'always' && !found.some((f) => spelled(f.file) === target)) found.push({ command, file, status });
  }
  return found;
}

/** A path as an `rm` argument: bare when the shell reads it as written, else double-quoted (variables still expand). */
function shellWord(path: string): string | undefined {
  if (/^[\w./${}@%+=:,-]+$/.test(path)) return path;
  if (/["\\`!]/.test(path)) return undefined;
  return `"${path}"`;
}

/**
 * `&& rm -f FILE...` at the end of the RUN, when that removes the same files the downloads wrote and nothing later
 * needs them: no download in a loop or function (the end would see another value of its variable, or none), no
 * relative path with a `cd` in the script (the end is elsewhere), and no later instruction naming the file (a later
 * `RUN dpkg -i /tmp/x.deb` or `COPY --from` would then fail). The RUN's own commands all run before the removal.
 */
function removalFix(ctx: DockerfileContext, instruction: Instruction, found: Leftover[]) {
  const commands = ctx.commands(instruction);
  if (found.some((f) => f.command.inner || f.command.scope.some((s) => s.kind === 'loop' || s.kind === 'func')))
    return undefined;
  if (found.some((f) => !f.file.startsWith('/')) && commands.some(changesDirectory)) return undefined;
  const later = ctx.parsed.instructions.filter((i) => i.index > instruction.index);
  const names = found.map((f) => ctx.resolve(f.file, instruction).split('/').pop()!);
  if (later.some((i) => names.some((n) => i.args.includes(n) || ctx.resolve(i.args, i).includes(n)))) return undefined;
  const words = found.map((f) => shellWord(f.file));
  if (words.some((w) => w === undefined)) return undefined;
  return cleanupFix(ctx, instruction, {
    cleanup: `rm -f ${words.join(' ')}`,
    cacheTargets: [],
    applicability: 'safe',
    stillBad: (after) => leftovers(ctx, instruction, after).length > 0,
  });
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF019',
    name: 'installer-left-behind',
    type: 'size',
    summary: 'Remove downloaded archives and installers in the RUN that downloads them',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      leftBehind:
        '`{{program}}` downloads `{{file}}` and this RUN never removes it: the archive or installer stays in the layer next to what it installed; add `&& rm -f {{file}}` (or pipe the download straight into tar).',
      leftBehindMany:
        'This RUN downloads {{files}} and never removes them: the archives or installers stay in the layer next to what they installed; add `&& rm -f {{words}}` (or pipe the downloads straight into tar).',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.inFinalImage(instruction)) return;
        const found = leftovers(ctx, instruction, ctx.commands(instruction));
        if (found.length === 0) return;
        // One finding per RUN, naming every file it leaves: one fix removes them all.
        ctx.report({
          messageId: found.length === 1 ? 'leftBehind' : 'leftBehindMany',
          data: {
            program: found[0].command.program,
            file: found[0].file,
            files: listed(found.map((f) => `\`${f.file}\``)),
            words: found.map((f) => f.file).join(' '),
          },
          at: instruction,
          // Sure when one file certainly stays; unsure when each is removed on some paths.
          unsure: found.some((f) => f.status === 'never') ? undefined : unsureCleanup('maybe'),
          fix: removalFix(ctx, instruction, found),
        });
      },
    };
  },
});
