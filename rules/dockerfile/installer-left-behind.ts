// DF019: an archive, package or installer script downloaded in a RUN and not removed in it.
import {
  cleanupAfter,
  defineRule,
  dockerfileMeta,
  positionals,
  removes,
  unsureCleanup,
} from '../../src/lint/helpers.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';

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

/** The file a curl or wget command writes, when it writes one. */
function downloadedFile(command: ShellCommand): string | undefined {
  const args = command.args;
  if (command.pipesToNext) return undefined;
  if (command.program === 'curl') {
    const o = args.findIndex((a) => a === '-o' || a === '--output' || /^-[a-zA-Z]*o$/.test(a));
    if (o >= 0 && args[o + 1] && args[o + 1] !== '-') return args[o + 1];
    if (args.some((a) => a === '-O' || a === '--remote-name' || /^-[a-zA-Z]*O[a-zA-Z]*$/.test(a))) {
      const url = positionals(args, [
        'o',
        'output',
        'H',
        'header',
        'u',
        'user',
        'd',
        'data',
        'w',
        'X',
        'A',
        'e',
        'm',
        'retry',
        'connect-timeout',
      ]).find((a) => /^(https?|ftp):/.test(a));
      return url
        ?.replace(/[?#].*$/, '')
        .split('/')
        .pop();
    }
    return undefined;
  }
  if (command.program === 'wget') {
    const o = args.findIndex((a) => a === '-O' || a === '--output-document' || /^-[a-zA-Z]*O$/.test(a));
    if (o >= 0) return args[o + 1] === '-' ? undefined : args[o + 1];
    const eq = args.find((a) => a.startsWith('--output-document='));
    if (eq) return eq.slice('--output-document='.length) === '-' ? undefined : eq.slice('--output-document='.length);
    const url = positionals(args, ['P', 'directory-prefix', 'U', 'user-agent', 'header', 'T', 't']).find((a) =>
      /^(https?|ftp):/.test(a),
    );
    return url
      ?.replace(/[?#].*$/, '')
      .split('/')
      .pop();
  }
  return undefined;
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF019',
    name: 'installer-left-behind',
    type: 'size',
    summary: 'Remove downloaded archives and installers in the RUN that downloads them',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      leftBehind:
        '`{{program}}` downloads `{{file}}` and this RUN never removes it: the archive or installer stays in the layer next to what it installed; add `&& rm -f {{file}}` (or pipe the download straight into tar).',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.inFinalImage(instruction)) return;
        const commands = ctx.commands(instruction);
        for (const command of commands) {
          const file = downloadedFile(command);
          if (!file || file.includes('$') || !LEFTOVER.test(file) || file.startsWith('/dev/')) continue;
          // In a stage later stages copy some paths of, the file ships only if one of those paths holds it.
          if (!(file.startsWith('/') ? ctx.ships(instruction, file) : ctx.ships(instruction))) continue;
          const base = file.split('/').pop()!;
          // The removal (or a move elsewhere) must run after the download on every path.
          const status = cleanupAfter(
            commands,
            [command],
            (c) =>
              removes(
                c,
                (p) =>
                  p === file ||
                  p.endsWith(`/${base}`) ||
                  p === base ||
                  globMatches(p, file) ||
                  globMatches(p, base) ||
                  file.startsWith(`${p.replace(/\/+$/, '')}/`),
              ) ||
              (c.program === 'mv' && c.args.includes(file)),
          );
          if (status !== 'always') {
            ctx.report({
              messageId: 'leftBehind',
              data: { program: command.program, file },
              at: instruction,
              unsure: unsureCleanup(status),
            });
            return;
          }
        }
      },
    };
  },
});
