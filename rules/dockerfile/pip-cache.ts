// DF006: pip install keeps downloaded wheels in ~/.cache/pip (hadolint DL3042).
import { defineRule, dockerfileMeta, hasFlag, insertAfterMatches, pipInstallArgs } from '../../src/lint/helpers.js';

const TRUTHY = /^(1|true|yes|on)$/i;

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF006',
    name: 'pip-cache',
    type: 'size',
    summary: 'Pass --no-cache-dir to pip install',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      noCacheDir:
        '`pip install` without `--no-cache-dir` keeps every downloaded wheel in ~/.cache/pip in this layer; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target=/root/.cache/pip`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3042', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.inFinalImage(instruction)) return;
        const installs = ctx.commands(instruction).filter((c) => pipInstallArgs(c) !== undefined);
        if (installs.length === 0) return;
        if (TRUTHY.test(ctx.variables(instruction).PIP_NO_CACHE_DIR ?? '')) return;
        if (ctx.cacheMounts(instruction).some((m) => m.target.includes('.cache/pip'))) return;
        const offending = installs.filter((c) => !hasFlag(pipInstallArgs(c)!, 'no-cache-dir') && !hasFlag(c.args, 'no-cache-dir') && !TRUTHY.test(c.env.PIP_NO_CACHE_DIR ?? ''));
        if (offending.length === 0) return;
        const edits = insertAfterMatches(ctx.parsed, instruction, /\b(?:pip[\d.]*|python[\d.]*\s+-m\s+pip\d*)(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+install\b/g, ' --no-cache-dir');
        // The cache only speeds up a later install in the same container: nothing installed changes.
        const fix = edits.length === installs.length && offending.length === installs.length ? { applicability: 'safe' as const, title: 'Add --no-cache-dir', edits } : undefined;
        ctx.report({ messageId: 'noCacheDir', at: instruction, fix });
      },
    };
  },
});
