// DF205: COPY of several sources to a destination that is not a directory (hadolint DL3021).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { sourceLines, splitWords } from '../../src/dockerfile/parse.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import type { TextRange } from '../../src/report/types.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF205',
    name: 'copy-multiple-sources-without-slash',
    type: 'problem',
    summary: 'End the COPY destination with / when copying several sources',
    defaultSeverity: 'error',
    fix: 'sometimes',
    messages: {
      noSlash:
        'COPY with {{count}} sources needs a destination directory ending in `/`; `{{destination}}` fails the build.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3021', relation: 'same' },
      { tool: 'trivy', id: 'DS-0011', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      COPY(instruction) {
        const { sources, destination } = copyArguments(instruction);
        if (sources.length < 2 || destination === '' || /[/\\]$/.test(destination)) return;
        // The builder expands ARG and ENV in the destination before it looks for the slash (`ARG DEST=/app/`).
        if (destination.includes('$') && /[/\\]$/.test(ctx.resolve(destination, instruction))) return;
        const destinationRange = afterDestination(instruction, destination, sourceLines(ctx.parsed));
        // The builder rejects the file as written, so appending the slash cannot change a build that worked.
        const fix = destinationRange
          ? {
              applicability: 'safe' as const,
              title: 'Add / to the destination',
              edits: [{ range: destinationRange, text: '/' }],
            }
          : undefined;
        ctx.report({ messageId: 'noSlash', data: { count: sources.length, destination }, at: instruction, fix });
      },
    };
  },
});

/** COPY/ADD arguments without flags, quotes removed: the sources (heredocs count as sources) and the destination. */
export function copyArguments(instruction: Instruction): { sources: string[]; destination: string } {
  let words: string[];
  if (instruction.execArgs) words = instruction.execArgs;
  else if (instruction.heredocs.length > 0) {
    const firstLine = instruction.args.split('\n')[0];
    words = splitWords(firstLine).map((w) => (/^<<-?/.test(w) ? '<<heredoc' : w));
  } else words = splitWords(instruction.shellText);
  return { sources: words.slice(0, -1), destination: words[words.length - 1] ?? '' };
}

/** An empty range just after the destination, when it sits unquoted at the end of the instruction's last line. */
function afterDestination(
  instruction: Instruction,
  destination: string,
  lines: readonly string[],
): TextRange | undefined {
  if (instruction.form !== 'shell' || instruction.heredocs.length > 0 || destination === '') return undefined;
  const line = (lines[instruction.endLine - 1] ?? '').replace(/\s+$/, '');
  if (!line.endsWith(destination)) return undefined;
  const column = line.length + 1;
  return { line: instruction.endLine, column, endLine: instruction.endLine, endColumn: column };
}
