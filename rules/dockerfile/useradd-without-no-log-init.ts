// DF223: useradd with a large UID and without -l/--no-log-init (hadolint DL3046).
import { sourceLines } from '../../src/dockerfile/parse.js';
import { flagNames, readArgs } from '../../src/dockerfile/shell.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

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
          if (
            command.program !== 'useradd' ||
            flagNames(command.args, USERADD_VALUE_FLAGS).some((f) => f === 'l' || f === 'no-log-init')
          )
            continue;
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

// useradd's options that take a value (its `--help` here, shadow 4.13): in a group of short flags (`-mou1234567`) the
// first of them takes the rest of the word as its value, or the next word when it ends the group; no letter of a value
// (`-s/bin/false`) is a flag.
export const USERADD_VALUE_FLAGS = [...'bcdefgGkKpPRsuZ'].concat(
  'base-dir comment home-dir expiredate inactive gid groups skel key password root prefix shell uid selinux-user'.split(
    ' ',
  ),
);

/** The value of `-u N`, `-uN`, `-ou N`, `-ouN`, `--uid N` or `--uid=N`, and the words that give it. */
function uidOf(args: string[]): { uid: string; written: string } | undefined {
  const uid = readArgs(args, USERADD_VALUE_FLAGS).options.find((o) => o.name === 'u' || o.name === 'uid');
  if (uid?.value === undefined) return undefined;
  // A value in its own word follows the option's word; else the option's word holds it.
  const separate = uid.from > 0 && args[uid.from] === uid.value;
  return { uid: uid.value, written: separate ? `${args[uid.from - 1]} ${uid.value}` : args[uid.from] };
}
