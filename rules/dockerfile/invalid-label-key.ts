// DF225: LABEL keys that break the label naming convention (hadolint DL3048).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import { readPairs } from '../../src/dockerfile/words.js';

const RESERVED = ['com.docker.', 'io.docker.', 'org.dockerproject.'];

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF225',
    name: 'invalid-label-key',
    type: 'suggestion',
    summary: 'Use lower-case, dot-separated LABEL keys outside the reserved namespaces',
    defaultSeverity: 'style',
    fix: 'none',
    messages: {
      reserved:
        'Label key `{{key}}` uses a namespace reserved for Docker itself (com.docker., io.docker., org.dockerproject.).',
      invalid:
        'Label key `{{key}}` is not a valid key: use lower-case letters, digits, `.`, `-`, `_` and `/`, starting with a letter, ending with a letter or digit, without `..` or `--`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3048', relation: 'same' }],
  }),
  create(ctx) {
    return {
      LABEL(instruction) {
        for (const { key } of readPairs(instruction.shellText, ctx.parsed.escapeChar)) {
          // `LABEL =x` names no key: the builder refuses it, and DF100 says so.
          if (key === '') continue;
          if (RESERVED.some((prefix) => key.startsWith(prefix)))
            return ctx.report({ messageId: 'reserved', data: { key }, at: instruction });
          if (!isValidLabelKey(key)) return ctx.report({ messageId: 'invalid', data: { key }, at: instruction });
        }
      },
    };
  },
});

export function isValidLabelKey(key: string): boolean {
  return /^[a-z]([a-z0-9._/-]*[a-z0-9])?$/.test(key) && !key.includes('..') && !key.includes('--');
}
