// DF231: the image's final USER is a name rather than a numeric UID (hadolint DL3066).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { isWindowsImage, rootStage, substitute } from '../../src/dockerfile/stages.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF231',
    name: 'user-not-numeric',
    type: 'suggestion',
    summary: 'Give the final USER as a numeric UID',
    defaultSeverity: 'info',
    fix: 'none',
    messages: {
      name: 'USER `{{user}}` is a name: runtimes that enforce a non-root user (Kubernetes runAsNonRoot) cannot verify a name; use its numeric UID.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3066', relation: 'same' }],
  }),
  create(ctx) {
    let last: Instruction | undefined;
    return {
      USER(instruction) {
        if (instruction.stageIndex === ctx.parsed.stages.length - 1) last = instruction;
      },
      end() {
        if (!last) return;
        // Windows users are names with no numeric ID (a SID, not a UID), and runAsNonRoot does not apply to Windows.
        const root = ctx.parsed.stages[rootStage(ctx.stages, last.stageIndex)];
        if (root && isWindowsImage(substitute(root.baseImage, ctx.stages.globalArgs))) return;
        const written = last.shellText.trim().split(/\s+/)[0] ?? '';
        const user = written.split(':')[0];
        // root is UID 0 on every Linux image: `USER 0` would not pass runAsNonRoot either, and running as root is
        // DF102's finding, which this one would only repeat as advice to write it as a number.
        if (user === '' || user === 'root' || /^\d+$/.test(user)) return;
        if (user.includes('$')) {
          // A UID supplied by ARG (with or without a default) is decided at build time, as it should be.
          const names = [...user.matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1]);
          const argNames = new Set(
            ctx.parsed.instructions
              .filter((i) => i.keyword === 'ARG' && i.index < last!.index)
              .flatMap((i) => i.shellText.split(/\s+/).map((w) => w.split('=')[0])),
          );
          if (names.length > 0 && names.every((n) => argNames.has(n))) return;
          // A variable no ARG or ENV of this file sets comes from the base image's ENV (`USER $APP_UID` on the .NET
          // images): its value is unknown here, so it is not called a name.
          const visible = ctx.stages.variablesAt[last.index] ?? {};
          if (names.some((n) => !argNames.has(n) && !(n in visible))) return;
          const value = ctx.resolve(user, last);
          if (value === 'root' || /^\d+$/.test(value)) return;
        }
        ctx.report({ messageId: 'name', data: { user }, at: last });
      },
    };
  },
});
