// DF027: an ARG or ENV value that is itself a credential (an access key, a token, a private key, a URL password).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import { readPairs } from './env-self-reference.js';

// Formats that providers chose to be recognisable, so a match is a real credential, not a guess from a name.
const FORMATS: { what: string; pattern: RegExp }[] = [
  { what: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)([A-Z0-9]{16})\b/ },
  { what: 'a GitHub token', pattern: /\bgh[pousr]_([A-Za-z0-9]{36})\b/ },
  { what: 'a GitHub token', pattern: /\bgithub_pat_([A-Za-z0-9_]{22,})/ },
  { what: 'a GitLab token', pattern: /\bglpat-([A-Za-z0-9_-]{20,})/ },
  { what: 'a Slack token', pattern: /\bxox[abprs]-([A-Za-z0-9-]{10,})/ },
  { what: 'a Stripe live key', pattern: /\b[sr]k_live_([A-Za-z0-9]{16,})/ },
  { what: 'an npm token', pattern: /\bnpm_([A-Za-z0-9]{36})\b/ },
  { what: 'a private key', pattern: /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----/ },
];

// `scheme://user:password@host`: the password part.
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:([^\s/@]+)@/i;

// Words people write where the real password goes later: they leak nothing.
const PLACEHOLDER =
  /^(?:changeme|change_me|change-me|password|passwd|pass|secret|example|placeholder|redacted|none|null|empty|todo)$/i;

/** Whether the variable part of a match is filler (`xxxx`, `0000`, `<token>`, `***`) rather than a credential. */
function isFiller(text: string): boolean {
  return new Set(text.replace(/[-_]/g, '').toLowerCase()).size <= 2 || /^[<[{*.]/.test(text);
}

/** What kind of credential `value` holds, or undefined. Values built from variables (`$TOKEN`) are judged by name. */
export function credentialIn(value: string): string | undefined {
  for (const { what, pattern } of FORMATS) {
    const m = pattern.exec(value);
    // A PEM header is a private key whatever follows it.
    if (m && (what === 'a private key' || !isFiller(m[1]))) return what;
  }
  const url = URL_PASSWORD.exec(value);
  if (url && !url[1].includes('$') && !PLACEHOLDER.test(url[1]) && !isFiller(url[1])) return 'a password in a URL';
  return undefined;
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF027',
    name: 'credential-in-arg-or-env',
    type: 'problem',
    summary: 'Keep credentials out of the Dockerfile: an ARG or ENV value is a live secret',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      credential:
        '{{keyword}} `{{name}}` holds {{what}}: it is in the Dockerfile and readable in the image config or history; revoke it and pass it with `RUN --mount=type=secret`.',
    },
    sources: [{ tool: 'buildkit', id: 'SecretsUsedInArgOrEnv', relation: 'inspired' }],
  }),
  create(ctx) {
    const check = (instruction: Instruction): void => {
      for (const pair of readPairs(instruction.shellText)) {
        const what = credentialIn(pair.value);
        if (!what) continue;
        ctx.report({
          messageId: 'credential',
          data: { keyword: instruction.keyword, name: pair.key, what },
          at: instruction,
        });
        return;
      }
    };
    return { ARG: check, ENV: check };
  },
});
