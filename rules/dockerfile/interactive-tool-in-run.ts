// DF200: RUN calls a tool that means nothing during a build (hadolint DL3001).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

// Interactive or host-administration tools: a build has no terminal, no init system and no network interfaces to manage.
const POINTLESS = new Set(['free', 'ifconfig', 'kill', 'mount', 'ps', 'service', 'shutdown', 'ssh', 'top', 'vim']);

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF200',
    name: 'interactive-tool-in-run',
    type: 'suggestion',
    summary: 'Do not call interactive or host-administration tools in RUN',
    defaultSeverity: 'info',
    fix: 'none',
    messages: {
      pointless:
        '`{{program}}` does nothing useful in a build step (no terminal, no running services, no host to administer).',
    },
    sources: [{ tool: 'hadolint', id: 'DL3001', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        const hit = ctx.commands(instruction).find((c) => POINTLESS.has(c.program));
        if (hit) ctx.report({ messageId: 'pointless', data: { program: hit.program }, at: instruction });
      },
    };
  },
});
