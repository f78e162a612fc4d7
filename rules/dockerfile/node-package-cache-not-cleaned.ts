// DF008: npm / pnpm installs keep their download cache in the layer.
import { after, defineRule, dockerfileMeta, isSubcommand, removes } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF008',
    name: 'node-package-cache-not-cleaned',
    type: 'size',
    summary: 'Clean the npm or pnpm cache in the RUN that installs packages',
    defaultSeverity: 'info',
    fix: 'none',
    messages: {
      npm: '`npm {{subcommand}}` leaves its download cache (~/.npm/_cacache) in this layer; add `&& npm cache clean --force` or use `--mount=type=cache,target=/root/.npm`.',
      pnpm: '`pnpm {{subcommand}}` leaves its content-addressed store in this layer; add `&& pnpm store prune` or use `--mount=type=cache,target=/root/.local/share/pnpm/store`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3060', relation: 'inspired' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.inFinalImage(instruction)) return;
        const commands = ctx.commands(instruction);
        const mounts = ctx.cacheMounts(instruction);
        const npm = commands.find((c) => isSubcommand(c, ['npm'], ['install', 'i', 'ci', 'add', 'update']));
        if (npm && !mounts.some((m) => /(^|\/)\.npm(\/|$)/.test(m.target)) && !ctx.variables(instruction).NPM_CONFIG_CACHE?.startsWith('/tmp')) {
          const cleaned = after(commands, npm).some(
            (c) => (isSubcommand(c, ['npm'], ['cache']) && c.args.includes('clean')) || removes(c, (p) => /(^|\/)\.npm(\/|$)|_cacache/.test(p)),
          );
          if (!cleaned) ctx.report({ messageId: 'npm', data: { subcommand: npm.args.find((a) => !a.startsWith('-'))! }, at: instruction });
        }
        const pnpm = commands.find((c) => isSubcommand(c, ['pnpm'], ['install', 'i', 'add']));
        if (pnpm && !mounts.some((m) => m.target.includes('pnpm'))) {
          const cleaned = after(commands, pnpm).some((c) => (isSubcommand(c, ['pnpm'], ['store']) && c.args.includes('prune')) || removes(c, (p) => p.includes('pnpm')));
          if (!cleaned) ctx.report({ messageId: 'pnpm', data: { subcommand: pnpm.args.find((a) => !a.startsWith('-'))! }, at: instruction });
        }
      },
    };
  },
});
