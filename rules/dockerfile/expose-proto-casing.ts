// DF255: a protocol in EXPOSE that is not lowercase (BuildKit ExposeProtoCasing).
import { defineRule, dockerfileMeta, expandedPorts, replaceMatches } from '../../src/lint/helpers.js';

/** The protocol of a port that is not all lowercase, or undefined (none, fine, or one a variable gives). */
function badProto(port: string): string | undefined {
  const proto = /\/([^/\s]+)$/.exec(port)?.[1];
  return proto !== undefined && !proto.includes('$') && proto !== proto.toLowerCase() ? proto : undefined;
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF255',
    name: 'expose-proto-casing',
    type: 'suggestion',
    summary: 'Write EXPOSE protocols in lowercase',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      casing: 'EXPOSE `{{port}}`{{value}}: write the protocol in lowercase (`{{proto}}`).',
    },
    sources: [{ tool: 'buildkit', id: 'ExposeProtoCasing', relation: 'same' }],
  }),
  create(ctx) {
    return {
      EXPOSE(instruction) {
        const words = instruction.shellText.trim().split(/\s+/);
        const bad = words.filter((w) => badProto(w) !== undefined);
        // BuildKit expands EXPOSE's variables before it checks the ports, so `ARG P=80/TCP` then `EXPOSE $P` is
        // reported by the builder as `EXPOSE 80/TCP` is. A word whose ARG/ENV values are all known is judged by what it
        // expands to (split as the builder splits it); one still unresolved may be anything at build time.
        const expanded: { port: string; value: string; proto: string }[] = [];
        for (const word of words) {
          if (bad.includes(word)) continue;
          const value = expandedPorts(ctx, instruction, word);
          const proto = value?.ports.map(badProto).find((p) => p !== undefined);
          if (value && proto !== undefined) expanded.push({ port: word, value: value.value, proto });
        }
        if (bad.length === 0 && expanded.length === 0) return;
        // BuildKit lowercases the protocol itself before it writes the image config, so the image is the same.
        // Read across continuations: a port right before the escape character (`80/TCP\`) ends there. A protocol that
        // comes from a variable is fixed in its ARG/ENV, not here, so no edit is offered for it.
        const edits = replaceMatches(
          ctx.parsed,
          instruction,
          /(?<=\S\/)[A-Za-z]*[A-Z][A-Za-z]*(?=\s|$)/gm,
          (t) => t.toLowerCase(),
          true,
        );
        const fix =
          bad.length > 0 && edits.length === bad.length
            ? { applicability: 'safe' as const, title: 'Lowercase the protocol', edits }
            : undefined;
        for (const [i, port] of bad.entries()) {
          const proto = (badProto(port) ?? '').toLowerCase();
          ctx.report({
            messageId: 'casing',
            data: { port, value: '', proto },
            at: instruction,
            fix: i === 0 ? fix : undefined,
          });
        }
        for (const { port, value, proto } of expanded)
          ctx.report({
            messageId: 'casing',
            data: { port, value: ` (\`${value}\`)`, proto: proto.toLowerCase() },
            at: instruction,
          });
      },
    };
  },
});
