// DF230: FROM --platform=$TARGETPLATFORM, which is the default anyway (hadolint DL3065).
import { sourceLines } from '../../src/dockerfile/parse.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF230',
    name: 'redundant-target-platform',
    type: 'suggestion',
    summary: 'Drop --platform=$TARGETPLATFORM from FROM',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      redundant:
        '`--platform={{platform}}` asks for the target platform, which FROM uses already: the flag does nothing.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3065', relation: 'same' },
      { tool: 'buildkit', id: 'RedundantTargetPlatform', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      FROM(instruction) {
        const platform = instruction.flags.platform;
        if (platform === undefined || !/^["']?\$(TARGETPLATFORM|\{TARGETPLATFORM\})["']?$/.test(platform)) return;
        const lineText = (sourceLines(ctx.parsed)[instruction.line - 1] ?? '').replace(/\r$/, '');
        const m = /\s--platform=\S+/.exec(lineText);
        // The flag names the default, so removing it leaves the build identical.
        const fix = m
          ? {
              applicability: 'safe' as const,
              title: 'Remove --platform',
              edits: [
                {
                  range: {
                    line: instruction.line,
                    column: m.index + 1,
                    endLine: instruction.line,
                    endColumn: m.index + m[0].length + 1,
                  },
                  text: '',
                },
              ],
            }
          : undefined;
        ctx.report({ messageId: 'redundant', data: { platform }, at: instruction, fix });
      },
    };
  },
});
