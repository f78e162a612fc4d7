// Test secrets and the check that none leaked. Any test that hands ballast a credential (config auths, a credential
// helper's secret, a bearer token, --password-stdin) can collect everything the run printed or wrote and call
// `expectNoSecrets`: it looks for each secret in the forms it could leak in (raw, base64 of user:secret as in
// config auths and Basic headers, URL- and JSON-escaped), so a leak through a header dump or a JSON report is caught.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Distinct, unguessable values: a hit can only be a leak, never a coincidence. */
export const TEST_SECRETS = {
  password: 'pw-Zq7vX2mK9tR4wL8n',
  helperSecret: 'helper-Jd3Hs8Qp2Vx6Kc1m',
  bearerToken: 'bearer-Tn5Gy1Rb7Wq3Lz9f',
  stdinPassword: 'stdin-Mc4Xe8Ua2Po6Yh0s',
} as const;

/** Every spelling of `secret` that could appear in output (`user` for the Basic/auths base64 forms). */
export function leakForms(secret: string, user = ''): string[] {
  const forms = new Set([
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret).toString('base64'),
  ]);
  if (user) forms.add(Buffer.from(`${user}:${secret}`).toString('base64'));
  return [...forms];
}

/** Every regular file under `root` (recursively), as text, keyed by path: reports, caches, logs. */
export function filesUnder(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(root, { recursive: true }) as string[]) {
    const path = join(root, name);
    if (statSync(path).isFile()) out[path] = readFileSync(path).toString('latin1');
  }
  return out;
}

/** Fails naming where a secret appeared. `outputs` maps a label (stdout of X, a file path) to what it held. */
export function expectNoSecrets(outputs: Record<string, string>, secrets: string[], user = ''): void {
  const leaks: string[] = [];
  for (const secret of secrets) {
    for (const form of leakForms(secret, user)) {
      for (const [where, text] of Object.entries(outputs))
        if (text.includes(form)) leaks.push(`${where} contains ${form === secret ? 'a secret' : 'an encoded secret'}`);
    }
  }
  expect(leaks).toEqual([]);
}
