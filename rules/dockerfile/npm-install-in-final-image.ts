// DF012: `npm install` (or `npm ci` with dev dependencies) in the image that ships.
import { defineRule, dockerfileMeta, hasFlag, isSubcommand, positionals } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF012',
    name: 'npm-install-in-final-image',
    type: 'size',
    summary: 'Install production dependencies with npm ci --omit=dev in the final image',
    defaultSeverity: 'info',
    fix: 'none',
    messages: {
      useCi:
        '`npm install` in the final image resolves versions afresh and installs dev dependencies; use `npm ci --omit=dev` (the lock file, production only).',
      omitDev:
        '`npm ci` in the final image installs dev dependencies too; add `--omit=dev` (or build in an earlier stage and copy the result).',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        // Stages whose layers ship whole: the final stage, the stages it is built FROM and a stage copied with
        // `COPY --from=build / /` (its node_modules, dev dependencies included, come along).
        if (!ctx.ships(instruction)) return;
        const production = /^prod(uction)?$/.test(ctx.variables(instruction).NODE_ENV ?? '');
        for (const command of ctx.commands(instruction)) {
          if (isSubcommand(command, ['npm'], ['install', 'i'])) {
            if (positionals(command.args).length > 1 || hasFlag(command.args, 'g', 'global')) continue;
            ctx.report({ messageId: 'useCi', at: instruction });
            return;
          }
          if (isSubcommand(command, ['npm'], ['ci'])) {
            const omitted =
              hasFlag(command.args, 'production') ||
              command.args.some((a) => /^--(omit=dev|only=prod(uction)?)$/.test(a)) ||
              production ||
              command.env.NODE_ENV === 'production';
            // A build step after the install needs the dev dependencies: that is a job for a build stage, not this rule.
            const builds = ctx
              .commands(instruction)
              .some((c) => isSubcommand(c, ['npm'], ['run', 'run-script']) || c.program === 'npx');
            if (!omitted && !builds) ctx.report({ messageId: 'omitDev', at: instruction });
            return;
          }
        }
      },
    };
  },
});
