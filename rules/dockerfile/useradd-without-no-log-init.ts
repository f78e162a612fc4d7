// DF223: useradd with a large UID and without -l/--no-log-init (hadolint DL3046).
import { sourceLines } from '../../src/dockerfile/parse.js';
import { defineRule, dockerfileMeta, hasFlag } from '../../src/lint/helpers.js';

// Where useradd writes the records that grow with the UID.
const LOGS = ['/var/log/lastlog', '/var/log/faillog'];

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF223',
    name: 'useradd-without-no-log-init',
    type: 'size',
    summary: 'Pass -l (--no-log-init) to useradd with a large UID',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      logInit:
        '`useradd {{written}}`{{value}} without `-l` writes sparse /var/log/lastlog and faillog sized by the UID: the layer can grow by gigabytes.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3046', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        // A size rule: a build stage's lastlog never reaches the image, unless a later stage copies it (`COPY --from=build
        // / /`, or /var/log).
        if (!ctx.ships(instruction, ...LOGS)) return;
        for (const command of ctx.commands(instruction)) {
          if (command.program !== 'useradd' || hasFlag(command.args, 'l', 'no-log-init')) continue;
          const given = uidOf(command.args);
          if (!given) continue;
          const uid = ctx.resolve(given.uid, instruction);
          // More than five digits: the sparse files reach sizes that the layer tarball stores in full.
          if (!/^\d{6,}$/.test(uid)) continue;
          const edits = sourceLines(ctx.parsed)
            .slice(instruction.line - 1, instruction.endLine)
            .flatMap((source, at) =>
              [...source.matchAll(/\buseradd\b/g)].map((m) => ({
                line: instruction.line + at,
                column: m.index + 'useradd'.length + 1,
              })),
            )
            .map(({ line, column }) => ({ range: { line, column, endLine: line, endColumn: column }, text: ' -l' }));
          // -l only skips the lastlog/faillog entries for that user: nothing in the image depends on them.
          const fix =
            edits.length === 1 ? { applicability: 'safe' as const, title: 'Add -l to useradd', edits } : undefined;
          // The UID flag as the file writes it (`--uid=N`, `-u ${UID}`), with its value when a variable gives it.
          const value = given.uid === uid ? '' : ` (UID ${uid})`;
          return ctx.report({ messageId: 'logInit', data: { written: given.written, value }, at: instruction, fix });
        }
      },
    };
  },
});

// useradd's short options that take a value: in a group of short flags (`-mou1234567`) the first of them takes the rest
// of the word as its value, or the next word when it ends the group.
const SHORT_WITH_VALUE = new Set('bcdefgGkKpPRsuZ');

/** The value of `-u N`, `-uN`, `-ou N`, `-ouN`, `--uid N` or `--uid=N`, and the words that give it. */
function uidOf(args: string[]): { uid: string; written: string } | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--') return undefined;
    if (arg === '--uid')
      return i + 1 < args.length ? { uid: args[i + 1], written: `${arg} ${args[i + 1]}` } : undefined;
    if (arg.startsWith('--uid=')) return { uid: arg.slice('--uid='.length), written: arg };
    if (!/^-[^-]/.test(arg)) continue;
    for (let at = 1; at < arg.length; at += 1) {
      if (!SHORT_WITH_VALUE.has(arg[at])) continue;
      const rest = arg.slice(at + 1);
      // Another flag's value (`-c123456` is a comment), given here or as the next word.
      if (arg[at] !== 'u') {
        if (rest === '') i += 1;
        break;
      }
      if (rest !== '') return { uid: rest, written: arg };
      return i + 1 < args.length ? { uid: args[i + 1], written: `${arg} ${args[i + 1]}` } : undefined;
    }
  }
  return undefined;
}
