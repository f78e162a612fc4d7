// DF212: FROM --platform pinned to a constant (hadolint DL3029).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

// The platform ARGs the builder sets itself: a FROM that uses them still follows `--platform` of the build.
const AUTOMATIC = /\$\{?(BUILD|TARGET)(PLATFORM|OS|ARCH|VARIANT)\b/;

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF212',
    name: 'from-platform-constant',
    type: 'problem',
    summary: 'Do not pin FROM --platform to a constant',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      constant:
        '`FROM --platform={{platform}}` fixes the platform: building for any other target still pulls this one; use `$BUILDPLATFORM` or `$TARGETPLATFORM`, or drop the flag.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3029', relation: 'same' },
      { tool: 'buildkit', id: 'FromPlatformFlagConstDisallowed', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      FROM(instruction) {
        const platform = instruction.flags.platform;
        if (platform === undefined || platform === '' || AUTOMATIC.test(platform)) return;
        ctx.report({ messageId: 'constant', data: { platform }, at: instruction });
      },
    };
  },
});
