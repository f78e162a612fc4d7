// DF255: a protocol in EXPOSE that is not lowercase (BuildKit ExposeProtoCasing).
import { defineRule, dockerfileMeta, replaceMatches } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF255',
    name: 'expose-proto-casing',
    type: 'suggestion',
    summary: 'Write EXPOSE protocols in lowercase',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      casing: 'EXPOSE `{{port}}`: write the protocol in lowercase (`{{proto}}`).',
    },
    sources: [{ tool: 'buildkit', id: 'ExposeProtoCasing', relation: 'same' }],
  }),
  create(ctx) {
    return {
      EXPOSE(instruction) {
        const words = instruction.shellText.trim().split(/\s+/);
        const bad = words.filter((w) => {
          const proto = /\/([^/\s]+)$/.exec(w)?.[1];
          // `80/$PROTO` is a variable, whatever it holds at build time.
          return proto !== undefined && !proto.includes('$') && proto !== proto.toLowerCase();
        });
        if (bad.length === 0) return;
        // BuildKit lowercases the protocol itself before it writes the image config, so the image is the same.
        // Read across continuations: a port right before the escape character (`80/TCP\`) ends there.
        const edits = replaceMatches(
          ctx.parsed,
          instruction,
          /(?<=\S\/)[A-Za-z]*[A-Z][A-Za-z]*(?=\s|$)/gm,
          (t) => t.toLowerCase(),
          true,
        );
        const fix =
          edits.length === bad.length
            ? { applicability: 'safe' as const, title: 'Lowercase the protocol', edits }
            : undefined;
        for (const [i, port] of bad.entries()) {
          const proto = (/\/([^/\s]+)$/.exec(port)?.[1] ?? '').toLowerCase();
          ctx.report({ messageId: 'casing', data: { port, proto }, at: instruction, fix: i === 0 ? fix : undefined });
        }
      },
    };
  },
});
