// DF257: an empty line inside a `\` continuation (BuildKit NoEmptyContinuation).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import { sourceLines } from '../../src/dockerfile/parse.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF257',
    name: 'no-empty-continuation',
    type: 'problem',
    summary: 'Do not leave empty lines inside a line continuation',
    defaultSeverity: 'warning',
    fix: 'always',
    messages: {
      empty:
        'Empty line inside the continuation of this {{keyword}}: the builder skips it today but warns that it will become an error; remove it (or end the instruction before it).',
    },
    sources: [{ tool: 'buildkit', id: 'NoEmptyContinuation', relation: 'same' }],
  }),
  create(ctx) {
    return {
      instruction(instruction) {
        const empty = instruction.emptyContinuationLines;
        if (!empty) return;
        const lines = sourceLines(ctx.parsed);
        const length = (line: number) => (lines[line - 1] ?? '').replace(/\r$/, '').length;
        // Each edit takes the line break before the empty line with it, so the line before keeps its own ending and a
        // last empty line (at the end of the file) goes too. Safe: the builder skips these lines.
        const edits = empty.map((line) => ({
          range: { line: line - 1, column: length(line - 1) + 1, endLine: line, endColumn: length(line) + 1 },
          text: '',
        }));
        const first = empty[0];
        ctx.report({
          messageId: 'empty',
          data: { keyword: instruction.keyword },
          at: { line: first, column: 1, endLine: first, endColumn: length(first) + 1 },
          fix: {
            applicability: 'safe',
            title: empty.length === 1 ? 'Remove the empty line' : `Remove the ${empty.length} empty lines`,
            edits,
          },
        });
      },
    };
  },
});
