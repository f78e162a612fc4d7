// DF019: an archive, package or installer script downloaded in a RUN and not removed in it.
import type { Instruction } from '../../src/dockerfile/parse.js';
import { mountsOf } from '../../src/dockerfile/mount.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import type { DockerfileContext } from '../../src/report/rule.js';
import { cleanupFix } from '../../src/lint/autofix.js';
import {
  changesDirectory,
  directoryAt,
  cleanupAfter,
  defineRule,
  dockerfileMeta,
  downloadedFile,
  forEachLoopOf,
  removes,
  resolvePath,
  shellGlobSource,
  unsureCleanup,
  variableReference,
  workdirTracker,
} from '../../src/lint/helpers.js';
import { listed } from '../../src/report/lists.js';

const LEFTOVER = /\.(tar|tgz|tar\.gz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|zip|deb|rpm|apk|run|sh|whl|msi|pkg)$/;

/** Whether an `rm` argument with shell globs (`*.deb`, `/tmp/*`, `/tmp/[ab].tgz`, `[!c]*`) matches a path. */
function globMatches(pattern: string, path: string): boolean {
  // (`*` across a `/` too: `rm -rf /tmp/*` removes /tmp/sub/x.tgz with the /tmp/sub it matches.)
  return /[*?[]/.test(pattern) && new RegExp(`^${shellGlobSource(pattern)}$`).test(path);
}

/**
 * The value a shell variable holds at `at` (one of `commands`) from the RUN's own assignments (`DEB=/tmp/x.deb && ...`):
 * the last one before it, when every assignment to it before it is a plain value at the top level (no branch, loop,
 * subshell or `$`); undefined otherwise, or when the RUN assigns none (ARG/ENV then give it, see ctx.resolve).
 */
function assignedValue(commands: ShellCommand[], at: ShellCommand, name: string): string | undefined {
  let value: string | undefined;
  for (const c of commands.slice(0, commands.indexOf(at))) {
    if (c.name !== '' || !(name in c.env)) continue;
    if (c.scope.length > 0 || c.subshells || c.inner || /[$`]/.test(c.env[name])) return undefined;
    value = c.env[name];
  }
  return value;
}

/** A word with its variable references spelled one way (`$V.tar.gz` as `${V}.tar.gz`), to compare words as written. */
const spelled = (word: string): string => word.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, '${$1}');

/**
 * Whether an instruction of the stage names the directory holding `path`, or one above it but `/`, as a local package
 * repository: an apt source `file:DIR` (`file:///DIR`), or a yum/dnf `baseurl=file://DIR`.
 */
function servedLocally(ctx: DockerfileContext, instruction: Instruction, path: string): boolean {
  const dirs: string[] = [];
  for (let dir = path.replace(/\/[^/]*$/, ''); dir !== ''; dir = dir.replace(/\/[^/]*$/, '')) dirs.push(dir);
  const escaped = dirs.map((d) => d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const source = new RegExp(`file:(?://)?(?:${escaped.join('|')})/?(?![\\w.-])`);
  return ctx.parsed.instructions.some(
    (i) => i.stageIndex === instruction.stageIndex && source.test(ctx.resolve(i.args, i)),
  );
}

/**
 * A download this RUN leaves in its layer: the command, the path as written (with a `for` loop's variable given one of
 * its words: `expanded`), and how sure the rule is it stays.
 */
interface Leftover {
  command: ShellCommand;
  file: string;
  status: 'never' | 'maybe';
  expanded?: true;
}

/** Whether an `rm` argument `p` removes the file `target` (named `base`): itself, a glob matching it, a directory above. */
function coversPath(p: string, target: string, base: string): boolean {
  return (
    p === target ||
    p.endsWith(`/${base}`) ||
    p === base ||
    globMatches(p, target) ||
    globMatches(p, base) ||
    target.startsWith(`${p.replace(/\/+$/, '')}/`)
  );
}

/** Every download of the RUN (`commands`, the RUN's or the fixed RUN's) that no later command removes on every path. */
function leftovers(ctx: DockerfileContext, instruction: Instruction, commands: ShellCommand[]): Leftover[] {
  const found: Leftover[] = [];
  // Where each command runs, following the RUN's `cd`s from the WORKDIR: `cd /tmp/b && curl -o src.tgz ... && cd / &&
  // rm -rf /tmp/b` removes the download. Without a WORKDIR the base image's is unknown: a directory counts only when
  // it comes out the same from two made-up ones (a `cd` to an absolute path, not `cd build` or `cd ..`).
  const workdir = workdirTracker(ctx);
  const resolve = (text: string) => ctx.resolve(text, instruction);
  const from = (dir: string) => directoryAt(commands, dir, resolve);
  let directory: (at: ShellCommand) => string | undefined;
  if (workdir.hasWorkdir(instruction)) directory = from(workdir.current(instruction));
  else {
    const [a, b] = [from('/'), from('/\0/\0/\0/\0')];
    directory = (at) => (a(at) === b(at) ? a(at) : undefined);
  }
  const absolute = (path: string, at: ShellCommand): string | undefined => {
    if (path.startsWith('/')) return path;
    const dir = directory(at);
    return dir === undefined ? undefined : resolvePath(path, dir);
  };
  for (const command of commands) {
    const written = downloadedFile(command);
    // A path holding a variable (`/tmp/runner-${V}.tar.gz`) is judged by its value where ARG/ENV give one, and
    // named as written: the shell expands `rm -f` of the same words alike. Command substitutions are not read.
    if (!written || /\$\(|`/.test(written)) continue;
    // In `for f in a b; do curl -o /tmp/$f.tgz ...; done` each word is a file of its own: `rm -f /tmp/$f.tgz` after
    // the loop removes the last one only (the variable keeps its last word), the same words inside it each one.
    const loop = forEachLoopOf(command, written);
    const each = loop?.forEach ? loop.forEach.words.map((word) => ({ word, loop: loop.forEach! })) : [undefined];
    for (const binding of each) {
      const file = binding ? written.replace(variableReference(binding.loop.name), binding.word) : written;
      const value = ctx.resolve(file, instruction);
      if (!LEFTOVER.test(value) || value.startsWith('/dev/')) continue;
      // In a stage later stages copy some paths of, the file ships only if one of those paths holds it.
      if (!(value.startsWith('/') ? ctx.ships(instruction, value) : ctx.ships(instruction))) continue;
      // A package put into a local apt repository (`deb [trusted=yes] file:/srv/repo ./`) is served from the image:
      // apt installs it from there, now and in later steps, and removing it breaks the repository's index.
      if (value.startsWith('/') && servedLocally(ctx, instruction, value)) continue;
      const target = spelled(file);
      const base = target.split('/').pop()!;
      const valueBase = value.split('/').pop()!;
      // An `rm` word as the shell expands it there: the loop's variable, a variable this RUN assigned (`DEB=/tmp/x.deb`
      // then `rm -f $DEB`), then ARG/ENV values. Only when every variable in it gets a value.
      const expand = (word: string, at: ShellCommand): string | undefined => {
        let out = word;
        if (binding) {
          const inLoop = at.scope.some((frame) => frame === loop || frame.group === loop!.group);
          out = out.replace(variableReference(binding.loop.name), inLoop ? binding.word : binding.loop.words.at(-1)!);
        }
        out = out.replace(/\$(?:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)\})/g, (ref, a?: string, b?: string) => {
          return assignedValue(commands, at, (a ?? b)!) ?? ref;
        });
        out = ctx.resolve(out, instruction);
        return /[$`]/.test(out) ? undefined : out;
      };
      // The removal (or a move elsewhere) must run after the download on every path.
      const status = cleanupAfter(commands, [command], (c) => {
        const covers = (w: string): boolean => {
          // As written, the same words expand alike; not for a loop's file, whose variable changes (see above).
          if (!binding && coversPath(spelled(w), target, base)) return true;
          const p = expand(w, c);
          if (p !== undefined && coversPath(p, value, valueBase)) return true;
          // A relative download or removal (or both) placed by the `cd`s before each.
          const where = absolute(value, command);
          const removed = p === undefined ? undefined : absolute(p, c);
          return where !== undefined && removed !== undefined && coversPath(removed, where, valueBase);
        };
        return removes(c, covers) || (c.program === 'mv' && c.args.some((a) => spelled(a) === target));
      });
      if (status !== 'always' && !found.some((f) => spelled(f.file) === target))
        found.push({ command, file, status, ...(binding ? { expanded: true as const } : {}) });
    }
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
 * The instructions after `instruction` that run on or read its stage's files: the rest of its stage and every later
 * stage built FROM it, copying from it (`COPY --from`) or mounting it (`RUN --mount=from=`), and so on down the chain.
 */
function laterUsers(ctx: DockerfileContext, instruction: Instruction): Instruction[] {
  const stages = new Set([instruction.stageIndex]);
  const fromStage = (ref: string | undefined, stage: number): boolean => {
    if (ref === undefined) return false;
    const found = ctx.stages.stageByRef(ref, stage);
    return found !== undefined && stages.has(found);
  };
  for (const i of ctx.parsed.instructions) {
    if (i.index <= instruction.index || stages.has(i.stageIndex)) continue;
    const base = ctx.stages.baseStage[i.stageIndex];
    if (
      (i.keyword === 'FROM' && base !== undefined && stages.has(base)) ||
      (i.keyword === 'COPY' && fromStage(i.flags.from, i.stageIndex)) ||
      mountsOf(i).some((m) => fromStage(m.from, i.stageIndex))
    )
      stages.add(i.stageIndex);
  }
  return ctx.parsed.instructions.filter((i) => i.index > instruction.index && stages.has(i.stageIndex));
}

/**
 * Whether an instruction's text (`text`, with the variables lint knows resolved) may reach a file at `path` (absolute, or
 * relative with its directory unknown) called `name`: it names the file, one of the directories holding it other than
 * `/` (`dpkg -i /tmp/*.deb`, `cd /opt/pkgs && dpkg -i ./*`, `CMD ["java","-cp","/srv/*"]`), has a glob that could match
 * it (`dpkg -i *.deb` in the same WORKDIR), or a path with a variable lint cannot resolve (it could be any of those).
 */
function mayReach(text: string, path: string, name: string): boolean {
  if (text.includes(name)) return true;
  const parts = path.split('/');
  for (let end = parts.length - 1; end > 1; end -= 1) {
    const dir = parts
      .slice(0, end)
      .join('/')
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // The directory itself (`/srv`, `/srv/`, `/srv/.`), not another file in it (`/srv/other.tar.gz`), which cannot be it.
    if (new RegExp(`(?<![\\w.$}/-])${dir}(?:/\\.*)?(?![\\w./-])`).test(text)) return true;
  }
  return text.split(/[\s"',;=:&|()<>[\]]+/).some((word) => {
    if (word.includes('$') && word.includes('/')) return true;
    if (!/[*?]/.test(word)) return false;
    if (word.startsWith('/')) return path.startsWith('/') && globMatches(word, path);
    // A relative glob matches the file from its own directory or one above.
    const relative = word.replace(/^(\.\/)+/, '');
    return parts.some((_, start) => globMatches(relative, parts.slice(start).join('/')));
  });
}

/**
 * `&& rm -f FILE...` at the end of the RUN, when that removes the same files the downloads wrote and nothing later
 * needs them: no download in a loop or function (the end would see another value of its variable, or none), no
 * relative path with a `cd` in the script (the end is elsewhere), no `exec` as the last command (nothing after it
 * runs) or command left in the background (it may still read the file when the removal runs), and no later instruction
 * of the stage or of the stages using it that may reach the file (`RUN dpkg -i /tmp/*.deb`, a `COPY --from`, a `CMD`
 * reading its directory would then fail). The RUN's own commands all run before the removal.
 */
function removalFix(ctx: DockerfileContext, instruction: Instruction, found: Leftover[]) {
  const commands = ctx.commands(instruction);
  // (A loop's file named with its word, `expanded`, is one path whatever the loop does.)
  if (
    found.some(
      (f) =>
        f.command.inner ||
        f.command.scope.some((s) => s.kind === 'func' || (s.kind === 'loop' && !(f.expanded && s.forEach))),
    )
  )
    return undefined;
  if (found.some((f) => !f.file.startsWith('/')) && commands.some(changesDirectory)) return undefined;
  if (commands.at(-1)?.program === 'exec') return undefined;
  // A lone `&` (not `&&`, `>&`, `&>`, `|&`): read on the text, so a quoted `&` also withholds the fix, never wrongly keeps it.
  if (/(?<![&>|<])&(?![&>])/.test(instruction.shellText)) return undefined;
  const workdir = workdirTracker(ctx);
  const paths = found.map((f) => {
    const value = ctx.resolve(f.file, instruction);
    // Relative to a WORKDIR of the file when there is one; else the base image's, which lint does not know.
    return value.startsWith('/') || !workdir.hasWorkdir(instruction)
      ? value
      : resolvePath(value, workdir.current(instruction));
  });
  const later = laterUsers(ctx, instruction);
  if (
    later.some((i) =>
      paths.some((p) => {
        const name = p.split('/').pop()!;
        return i.args.includes(name) || mayReach(ctx.resolve(i.args, i), p, name);
      }),
    )
  )
    return undefined;
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
