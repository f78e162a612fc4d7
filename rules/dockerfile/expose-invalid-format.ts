// DF256: EXPOSE with an IP address or a host:container mapping (BuildKit ExposeInvalidFormat).
import { defineRule, dockerfileMeta, expandedPorts, replaceMatches } from '../../src/lint/helpers.js';

// `[ip:][hostPort]:containerPort[/proto]`: the image exposes only the container port.
const MAPPING =
  /^(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):)?(?:\d+(?:-\d+)?)?:(\d+(?:-\d+)?(?:\/[A-Za-z]+)?)$/;

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF256',
    name: 'expose-invalid-format',
    type: 'problem',
    summary: 'EXPOSE only container ports, without an IP or host port',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      mapping:
        'EXPOSE `{{port}}`{{value}} names an IP address or a host port; an image can only expose a container port (publish with `docker run -p`).',
    },
    sources: [
      { tool: 'buildkit', id: 'ExposeInvalidFormat', relation: 'same' },
      { tool: 'dockerfilelint', id: 'expose_host_port', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      EXPOSE(instruction) {
        for (const port of instruction.shellText.trim().split(/\s+/)) {
          // BuildKit expands EXPOSE's variables before it checks the ports, so `ARG P=8080:80` then `EXPOSE $P` is
          // reported by the builder as `EXPOSE 8080:80` is. A word whose ARG/ENV values are all known is judged by
          // what it expands to, without a fix: the mapping is in the ARG/ENV.
          const expanded = expandedPorts(ctx, instruction, port);
          if (expanded) {
            if (expanded.ports.some((p) => p.includes(':')))
              ctx.report({ messageId: 'mapping', data: { port, value: ` (\`${expanded.value}\`)` }, at: instruction });
            continue;
          }
          // `${PORT:-80}` holds a colon that is not a mapping.
          if (!port.replace(/\$\{[^}]*\}/g, '').includes(':')) continue;
          const target = MAPPING.exec(port)?.[1];
          // The builder keeps only the container port of a mapping, so the image is the same without the rest.
          const edits =
            target === undefined
              ? []
              : replaceMatches(
                  ctx.parsed,
                  instruction,
                  new RegExp(`(?<=^|\\s)${port.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=\\s|$)`, 'gm'),
                  () => target,
                  // Read across continuations: a port right before the escape character (`8080:80\`) ends there.
                  true,
                );
          const fix =
            edits.length === 1 ? { applicability: 'safe' as const, title: `Expose ${target} only`, edits } : undefined;
          ctx.report({ messageId: 'mapping', data: { port, value: '' }, at: instruction, fix });
        }
      },
    };
  },
});
