// DF100: a line that is not a Dockerfile instruction, a heredoc never closed, a parser directive given twice, an
// escape directive the builder rejects, a file with no instruction at all or one of only ARG lines (the builder stops
// with a parse error; hadolint reports DL1000 for the parse errors).
import { INSTRUCTION_KEYWORDS, sourceLines } from '../../src/dockerfile/parse.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF100',
    name: 'unknown-instruction',
    type: 'problem',
    summary: 'Use only Dockerfile instructions',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      unknown: '`{{keyword}}` is not a Dockerfile instruction: the build stops here with a parse error.',
      unterminatedHeredoc:
        'The heredoc `<<{{name}}` is never closed (no line `{{name}}`): the builder refuses the file with a parse error, and every line after it is read as its body.',
      repeatedDirective:
        'The parser directive `{{name}}` is given again (first on line {{first}}): the builder refuses the file with a parse error.',
      invalidEscape:
        'The parser directive `escape` sets `{{value}}`, which is neither a backslash nor a backtick: the builder refuses the file with a parse error.',
      noInstructions:
        'The file has no instructions (no FROM): the builder refuses it with a parse error ("file with no instructions").',
      noStages:
        'The file has only ARG instructions and no FROM: there is no stage to build, so the builder refuses it ("dockerfile contains no stages to build").',
    },
    sources: [{ tool: 'hadolint', id: 'DL1000', relation: 'inspired' }],
  }),
  create(ctx) {
    return {
      instruction(instruction) {
        if (!INSTRUCTION_KEYWORDS.has(instruction.keyword))
          ctx.report({ messageId: 'unknown', data: { keyword: instruction.keywordText }, at: instruction });
        // The parser runs an unclosed heredoc's body to the end of the file, so the instructions after it vanish and
        // the file would otherwise lint clean.
        for (const heredoc of instruction.heredocs)
          if (!heredoc.terminated)
            ctx.report({ messageId: 'unterminatedHeredoc', data: { name: heredoc.name }, at: instruction });
      },
      end() {
        // Comments, blank lines and parser directives alone make no build; the builder stops before its first step.
        if (ctx.parsed.instructions.length === 0)
          ctx.report({ messageId: 'noInstructions', at: { line: 1, column: 1, endLine: 1, endColumn: 1 } });
        // A file without FROM is otherwise linted as a snippet, but ARG lines alone only declare arguments for stages
        // that never come, and the builder refuses the file.
        else if (ctx.parsed.instructions.every((instruction) => instruction.keyword === 'ARG'))
          ctx.report({ messageId: 'noStages', at: ctx.parsed.instructions[0] });
        const seen = new Map<string, number>();
        const lines = ctx.parsed.directives.length > 0 ? sourceLines(ctx.parsed) : [];
        for (const directive of ctx.parsed.directives) {
          const at = {
            line: directive.line,
            column: 1,
            endLine: directive.line,
            endColumn: (lines[directive.line - 1] ?? '').replace(/\r$/, '').length + 1,
          };
          // The builder takes only these two, and stops at any other (the escape character stays `\\` for the lint).
          if (directive.name === 'escape' && !seen.has('escape') && directive.value !== '\\' && directive.value !== '`')
            ctx.report({ messageId: 'invalidEscape', data: { value: directive.value }, at });
          const first = seen.get(directive.name);
          if (first === undefined) seen.set(directive.name, directive.line);
          else
            ctx.report({
              messageId: 'repeatedDirective',
              data: { name: directive.name, first: String(first) },
              at,
            });
        }
      },
    };
  },
});
