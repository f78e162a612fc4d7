// A small token server for registry token auth, written for the tests: it checks Basic credentials or a
// refresh token (POST grant), gives anonymous pull tokens for public repositories only, and issues RS256 JWTs whose x5c certificate is the registry's rootcertbundle, so the real docker-registry
// verifies every token itself. Loopback only, ephemeral port, key material in a temp dir.
import { execFile } from 'node:child_process';
import { createSign, randomBytes, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TokenIssuer {
  realm: string;
  service: string;
  issuer: string;
  certPath: string;
  /** Scopes asked for, and whether credentials came with the request. */
  requests: { scope: string[]; authenticated: boolean; status: number }[];
  stop(): Promise<void>;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export async function startTokenIssuer(
  users: Record<string, string>,
  options: { publicRepositories?: string[] } = {},
): Promise<TokenIssuer> {
  const dir = await mkdtemp(join(tmpdir(), 'ballast-issuer-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=ballast-test-issuer',
    '-days',
    '2',
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
  const key = await readFile(keyPath, 'utf8');
  const der = new X509Certificate(await readFile(certPath)).raw.toString('base64');
  const service = 'ballast-test-registry';
  const issuer = 'ballast-test-issuer';
  const requests: TokenIssuer['requests'] = [];

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => answer(req, res, body));
  });
  const refuse = (res: http.ServerResponse, scope: string[], authenticated: boolean, details: string): void => {
    requests.push({ scope, authenticated, status: 401 });
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="ballast-test-issuer"' });
    res.end(JSON.stringify({ details }));
  };
  const answer = (req: http.IncomingMessage, res: http.ServerResponse, body: string): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const form = req.method === 'POST' ? new URLSearchParams(body) : undefined;
    const scope = form ? form.getAll('scope') : url.searchParams.getAll('scope');
    let subject: string | undefined;
    const header = req.headers.authorization;
    if (form) {
      // The refresh-token grant: `refresh-<user>` is each user's identity token.
      const user = Object.keys(users).find(
        (u) => form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === `refresh-${u}`,
      );
      if (!user) return refuse(res, scope, true, 'bad refresh token');
      subject = user;
    } else if (header?.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = decoded.slice(0, colon);
      if (users[user] === undefined || users[user] !== decoded.slice(colon + 1))
        return refuse(res, scope, true, 'wrong credentials');
      subject = user;
    } else {
      const repositories = scope.map((s) => s.split(':')[1]);
      const open = options.publicRepositories ?? [];
      if (repositories.length === 0 || !repositories.every((r) => open.includes(r)))
        return refuse(res, scope, false, 'credentials required');
    }
    const access = scope.map((s) => {
      const [type, name, actions] = s.split(':');
      // Users get what they ask for (skopeo pushes with them); anonymous requests may only pull.
      const asked = (actions ?? '').split(',').filter(Boolean);
      return { type, name, actions: subject !== undefined ? asked : asked.filter((a) => a === 'pull') };
    });
    const now = Math.floor(Date.now() / 1000);
    const head = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [der] }));
    const claims = base64url(
      JSON.stringify({
        iss: issuer,
        sub: subject ?? '',
        aud: service,
        exp: now + 300,
        nbf: now - 10,
        iat: now,
        jti: randomBytes(8).toString('hex'),
        access,
      }),
    );
    const signature = createSign('RSA-SHA256').update(`${head}.${claims}`).sign(key).toString('base64url');
    requests.push({ scope, authenticated: subject !== undefined, status: 200 });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: `${head}.${claims}.${signature}`, expires_in: 300 }));
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certPath,
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
