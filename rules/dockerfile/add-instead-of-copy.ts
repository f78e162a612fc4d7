// DF017: ADD for local files and folders (hadolint DL3020).
import { ADD_UNPACKS as ARCHIVE, copySources, defineRule, dockerfileMeta, gitSource } from '../../src/lint/helpers.js';

const URL = /^(https?|ftp):\/\//;

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF017',
    name: 'add-instead-of-copy',
    type: 'problem',
    summary: 'Use COPY instead of ADD for local files and folders',
    defaultSeverity: 'error',
    fix: 'sometimes',
    messages: {
      useCopy:
        'ADD copies `{{source}}`, a local file or folder; use COPY, which does only that (ADD also fetches URLs and unpacks archives).',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3020', relation: 'same' },
      { tool: 'trivy', id: 'DS-0005', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      ADD(instruction) {
        if (instruction.heredocs.length > 0) return;
        const { sources } = copySources(instruction);
        // A git source (`ssh://`, `git://`, `git@host:path`, an http(s) `.git` URL) is cloned, which COPY cannot do.
        const remote = (s: string) => URL.test(s) || gitSource(s) !== undefined;
        const local = sources
          .map((s) => ctx.resolve(s, instruction))
          .find((s) => !s.includes('$') && !remote(s) && !ARCHIVE.test(s));
        if (local === undefined) return;
        const allLocal = sources.every((s) => !remote(ctx.resolve(s, instruction)) && !ARCHIVE.test(s));
        const keyword = {
          line: instruction.line,
          column: instruction.column,
          endLine: instruction.line,
          endColumn: instruction.column + 3,
        };
        // COPY behaves exactly like ADD when no source is a URL or archive; --checksum and --keep-git-dir are ADD-only.
        const fix =
          allLocal && !('checksum' in instruction.flags) && !('keep-git-dir' in instruction.flags)
            ? {
                applicability: 'safe' as const,
                title: 'Replace ADD with COPY',
                edits: [{ range: keyword, text: instruction.keywordText === 'add' ? 'copy' : 'COPY' }],
              }
            : undefined;
        ctx.report({ messageId: 'useCopy', data: { source: local }, at: instruction, fix });
      },
    };
  },
});
