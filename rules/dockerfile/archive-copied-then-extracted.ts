// DF201: a local archive COPYed into a layer and unpacked by a later RUN (hadolint DL3010).
import { unquote, type Instruction } from '../../src/dockerfile/parse.js';
import { flagNames, type ShellCommand } from '../../src/dockerfile/shell.js';
import { ADD_UNPACKS, defineRule, dockerfileMeta, positionals } from '../../src/lint/helpers.js';
import { copyArguments } from './copy-multiple-sources-without-slash.js';

// ADD does not unpack zip files, but a copied zip that is unzipped later leaves the same dead weight.
const ZIP = /\.zip$/i;
const isArchive = (name: string): boolean => ADD_UNPACKS.test(name) || ZIP.test(name);

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF201',
    name: 'archive-copied-then-extracted',
    type: 'size',
    summary: 'Use ADD to unpack a local archive instead of COPY then extract',
    defaultSeverity: 'info',
    fix: 'none',
    messages: {
      extracted:
        '`{{archive}}` is COPYed and unpacked later: the archive itself stays in this layer; `ADD {{archive}} <dir>` unpacks it without keeping it.',
      extractedZip:
        '`{{archive}}` is COPYed and unzipped later: the zip itself stays in this layer; unzip it in a build stage and copy the result, or use a tar archive with ADD.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3010', relation: 'same' }],
  }),
  create(ctx) {
    // Per stage: archive base name -> the COPY that brought it in.
    let copied = new Map<string, Instruction>();
    const reported = new Set<Instruction>();
    return {
      FROM() {
        copied = new Map();
      },
      COPY(instruction) {
        // Layers that ship whole: the last stage, the stages it is built FROM and stages a later one copies `/` of.
        if (instruction.flags.from !== undefined || !ctx.ships(instruction)) return;
        const { sources, destination } = copyArguments(instruction);
        for (const source of sources) {
          const name = baseName(source);
          if (!isArchive(name)) continue;
          copied.set(name, instruction);
          // `COPY app.tar /opt/app-1.tar` renames it.
          if (sources.length === 1 && !/[/\\]$/.test(destination) && isArchive(baseName(destination)))
            copied.set(baseName(destination), instruction);
        }
      },
      RUN(instruction) {
        if (copied.size === 0) return;
        for (const command of ctx.commands(instruction)) {
          for (const file of extractedFiles(command)) {
            const copy = copied.get(baseName(ctx.resolve(file, instruction)));
            if (copy && !reported.has(copy)) {
              reported.add(copy);
              const archive = baseName(file);
              ctx.report({ messageId: ZIP.test(archive) ? 'extractedZip' : 'extracted', data: { archive }, at: copy });
            }
          }
        }
      },
    };
  },
});

function baseName(path: string): string {
  return (
    unquote(path)
      .replace(/[/\\]+$/, '')
      .split(/[/\\]/)
      .pop() ?? path
  );
}

/** The archive arguments of an extracting command: `tar -xf a.tar`, `tar xzf a.tgz`, `gunzip a.gz`, `unzip a`, `xz -d a.xz`... */
function extractedFiles(command: ShellCommand): string[] {
  const args = command.args;
  switch (command.program) {
    case 'tar': {
      const first = args[0] ?? '';
      // Old-style bundled letters (`tar xzf a.tgz`) or flags (`tar -x -f a.tar`, `--extract --file=a.tar`).
      const extracting =
        (!first.startsWith('-') && /x/.test(first)) ||
        flagNames(args).some((f) => f === 'x' || f === 'extract' || f === 'get');
      if (!extracting) return [];
      return args
        .flatMap((a) => (a.startsWith('--file=') ? [a.slice('--file='.length)] : a.startsWith('-') ? [] : [a]))
        .filter((a) => isArchive(baseName(a)));
    }
    case 'unzip':
    case 'unzstd':
    case 'gunzip':
    case 'bunzip2':
    case 'unxz':
    case 'unlzma':
    case 'uncompress':
    case 'zcat':
      return positionals(args);
    case 'gzip':
    case 'bzip2':
    case 'xz':
    case 'lzma':
    case 'zstd':
      return flagNames(args).some((f) => f === 'd' || f === 'decompress') ? positionals(args) : [];
    default:
      return [];
  }
}
