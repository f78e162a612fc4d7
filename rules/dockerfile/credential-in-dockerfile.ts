// DF027: a credential (an access key, a token, a private key, a URL password) written in an ARG or ENV value, a LABEL
// value, a RUN command, a file a COPY or ADD heredoc writes, or the command CMD, ENTRYPOINT or HEALTHCHECK starts.
import type { Instruction } from '../../src/dockerfile/parse.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import { readPairs } from '../../src/dockerfile/words.js';

// Formats that providers chose to be recognisable, so a match is a real credential, not a guess from a name. Global:
// every match is read (matchAll copies the expression, so no state is shared between calls).
const FORMATS: { what: string; pattern: RegExp }[] = [
  { what: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)([A-Z0-9]{16})\b/g },
  { what: 'a GitHub token', pattern: /\bgh[pousr]_([A-Za-z0-9]{36})\b/g },
  { what: 'a GitHub token', pattern: /\bgithub_pat_([A-Za-z0-9_]{22,})/g },
  { what: 'a GitLab token', pattern: /\bglpat-([A-Za-z0-9_-]{20,})/g },
  { what: 'a Slack token', pattern: /\bxox[abprs]-([A-Za-z0-9-]{10,})/g },
  { what: 'a Stripe live key', pattern: /\b[sr]k_live_([A-Za-z0-9]{16,})/g },
  { what: 'an npm token', pattern: /\bnpm_([A-Za-z0-9]{36})\b/g },
  { what: 'a private key', pattern: /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----/g },
];

// `scheme://user:password@host`: the password part.
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:([^\s/@]+)@/gi;

// Words people write where the real password goes later: they leak nothing.
const PLACEHOLDER =
  /^(?:changeme|change_me|change-me|password|passwd|pass|secret|example|placeholder|redacted|none|null|empty|todo)$/i;

/** Whether the variable part of a match is filler (`xxxx`, `0000`, `<token>`, `***`) rather than a credential. */
function isFiller(text: string): boolean {
  return new Set(text.replace(/[-_]/g, '').toLowerCase()).size <= 2 || /^[<[{*.]/.test(text);
}

// A PEM header followed by key material (after blanks, quotes or a written `\n`): an encrypted key's headers, or a
// base64 line, which mixes cases and digits where a path after the header (`grep ... '-----BEGIN' /etc/ssl/x`) does not.
const PEM_BODY = /^(?:\s|\\n|["'])*(?:Proc-Type:|([A-Za-z0-9+/]{40}))/;

function keyMaterialFollows(rest: string): boolean {
  const m = PEM_BODY.exec(rest);
  return m !== null && (m[1] === undefined || (/\d/.test(m[1]) && /[A-Z]/.test(m[1]) && /[a-z]/.test(m[1])));
}

// The literal part every pattern above needs (FORMATS' prefixes, a PEM header's dashes, a URL's `://`), in one
// expression: most texts hold none, and one scan of them is cheaper than the nine precise patterns (DF027 reads every
// RUN, ARG, ENV, LABEL and heredoc; the secret-name rule asks again for each pair). Not global: `test` keeps no state.
const MAY_HOLD_CREDENTIAL = /AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[abprs]-|[sr]k_live_|npm_|-----BEGIN|:\/\//;

/**
 * What kind of credential `text` holds, or undefined. Values built from variables (`$TOKEN`) are judged by name.
 * Every match counts, not only the first: a command may use a placeholder in one URL and a real token in the next.
 * `inCommand` is for RUN: a command names a PEM header to look for one (`grep -q -- '-----BEGIN ... PRIVATE KEY-----'`,
 * `sed '/-----BEGIN/d'`), so there the header counts only with key material after it.
 */
export function credentialIn(text: string, { inCommand = false }: { inCommand?: boolean } = {}): string | undefined {
  return MAY_HOLD_CREDENTIAL.test(text) ? credentialMatch(text, inCommand) : undefined;
}

/** `credentialIn` without the pre-filter: every precise pattern over the whole text (exported for the tests). */
export function credentialMatch(text: string, inCommand: boolean): string | undefined {
  for (const { what, pattern } of FORMATS) {
    for (const m of text.matchAll(pattern)) {
      if (what === 'a private key') {
        // In a value a PEM header is a private key whatever follows it.
        if (!inCommand || keyMaterialFollows(text.slice(m.index + m[0].length))) return what;
      } else if (!isFiller(m[1])) return what;
    }
  }
  for (const url of text.matchAll(URL_PASSWORD))
    if (!url[1].includes('$') && !PLACEHOLDER.test(url[1]) && !isFiller(url[1])) return 'a password in a URL';
  return undefined;
}

/** The text a RUN runs: the exec-form words, or the shell command and every heredoc body (a script or a file it writes). */
function commandText(instruction: Instruction): string {
  if (instruction.form === 'exec' && instruction.execArgs) return instruction.execArgs.join(' ');
  return [instruction.shellText, ...instruction.heredocs.map((h) => h.body)].join('\n');
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF027',
    name: 'credential-in-dockerfile',
    type: 'problem',
    summary:
      'Keep credentials out of the Dockerfile: an ARG, ENV or LABEL value, a command or a heredoc file holds a live secret',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      credential:
        '{{keyword}} `{{name}}` holds {{what}}: it is in the Dockerfile and readable in the image config or history; revoke it and pass it with `RUN --mount=type=secret`.',
      label:
        'LABEL `{{name}}` holds {{what}}: it is in the Dockerfile and in the image config, which `docker inspect` shows to anyone who can pull the image; revoke it and keep it out of labels.',
      run: 'RUN command holds {{what}}: the command is kept in the image history, which `docker history` shows to anyone who can pull the image, and no later layer removes it; revoke it and pass it with `RUN --mount=type=secret`.',
      file: '{{keyword}} writes {{what}} into a file of the image: it stays readable in this layer even if a later RUN deletes it; revoke it and pass it with `RUN --mount=type=secret` at build time, or mount it at run time.',
      command:
        '{{keyword}} holds {{what}}: it is in the image config, which `docker inspect` shows to anyone who can pull the image; revoke it and give it to the container at run time (an environment variable or a mounted secret).',
    },
    sources: [{ tool: 'buildkit', id: 'SecretsUsedInArgOrEnv', relation: 'inspired' }],
  }),
  create(ctx) {
    const check = (instruction: Instruction): void => {
      for (const pair of readPairs(instruction.shellText, ctx.parsed.escapeChar)) {
        const what = credentialIn(pair.value);
        if (!what) continue;
        ctx.report({
          messageId: instruction.keyword === 'LABEL' ? 'label' : 'credential',
          data: { keyword: instruction.keyword, name: pair.key, what },
          at: instruction,
        });
        return;
      }
    };
    const run = (instruction: Instruction): void => {
      const what = credentialIn(commandText(instruction), { inCommand: true });
      if (what) ctx.report({ messageId: 'run', data: { what }, at: instruction });
    };
    // A COPY or ADD heredoc is a file's content, written into the layer as it stands in the Dockerfile.
    const file = (instruction: Instruction): void => {
      const what = credentialIn(instruction.heredocs.map((h) => h.body).join('\n'), { inCommand: true });
      if (what) ctx.report({ messageId: 'file', data: { keyword: instruction.keyword, what }, at: instruction });
    };
    const command = (instruction: Instruction): void => {
      const what = credentialIn(commandText(instruction), { inCommand: true });
      if (what) ctx.report({ messageId: 'command', data: { keyword: instruction.keyword, what }, at: instruction });
    };
    return {
      ARG: check,
      ENV: check,
      LABEL: check,
      RUN: run,
      COPY: file,
      ADD: file,
      CMD: command,
      ENTRYPOINT: command,
      HEALTHCHECK: command,
    };
  },
});
