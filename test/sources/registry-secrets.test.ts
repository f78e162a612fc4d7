// Registry credentials under faults, through the real CLI: a docker-registry with token auth (JWTs from the test
// issuer, verified by the registry itself) behind the fault-injecting proxy. Every fault case runs `analyze --json`
// and `ci --output sarif=... --output json=...`; a failure must be exit 2 with one `error: ... (hint: ...)` line, and
// nothing printed or written may contain the password, the Basic credentials or any bearer token the registry saw.
// A redirect to another host (as registries do to blob storage) must not carry the Authorization header there.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import type { Fault, Proxy } from '../helpers/fault-proxy.js';
import { skopeoCopy, startProxy, startRegistry, type Registry } from '../helpers/registry.js';
import { startTokenIssuer, type TokenIssuer } from '../helpers/token-issuer.js';

const FIXTURE = join(process.cwd(), 'test', 'fixtures', 'dive', 'test-docker-image.tar');
const USER = 'ballast-ci';
const PASSWORD = 'pw-Secret-7f3a91c2e8';

describe('registry credentials under faults (CLI)', () => {
  let work: string;
  let issuer: TokenIssuer;
  let secured: Registry;
  let storage: Registry;
  let front: Proxy;
  let elsewhere: Proxy;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ballast-secrets-'));
    issuer = await startTokenIssuer({ [USER]: PASSWORD });
    secured = await startRegistry({
      kind: 'token',
      realm: issuer.realm,
      service: issuer.service,
      issuer: issuer.issuer,
      certPath: issuer.certPath,
    });
    storage = await startRegistry();
    // One OCI layout pushed to both registries, so their blobs are byte for byte the same.
    await skopeoCopy(`docker-archive:${FIXTURE}`, `oci:${join(work, 'app.oci')}:1`, { format: 'oci' });
    await skopeoCopy(`oci:${join(work, 'app.oci')}:1`, `docker://${secured.host}/private/app:1`, {
      creds: `${USER}:${PASSWORD}`,
    });
    await skopeoCopy(`oci:${join(work, 'app.oci')}:1`, `docker://${storage.host}/storage/app:1`);
    front = await startProxy(secured.host);
    elsewhere = await startProxy(storage.host);
    const home = join(work, 'home');
    await mkdir(join(home, '.docker'), { recursive: true });
    const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({ auths: { [front.host]: { auth } } }));
    env = {
      HOME: home,
      DOCKER_CONFIG: join(home, '.docker'),
      XDG_CACHE_HOME: join(work, 'cache'),
      BALLAST_NO_CACHE: '1',
    };
  }, 180_000);

  afterAll(async () => {
    await front?.stop();
    await elsewhere?.stop();
    await secured?.stop();
    await storage?.stop();
    await issuer?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  beforeEach(() => {
    front.reset();
    elsewhere.reset();
  });

  const isBlob = (url: string | undefined): boolean => /\/blobs\/sha256:/.test(url ?? '');
  const isLayerGet = (url: string | undefined, range: string | undefined): boolean =>
    isBlob(url) && range !== 'bytes=0-15';

  interface Case {
    name: string;
    fault?: () => (req: { url?: string; headers: { range?: string } }, n: number) => Fault | undefined;
    stdin?: boolean;
    password?: string;
    exit: 0 | 2;
    error?: RegExp;
  }

  const cases: Case[] = [
    { name: 'no fault', exit: 0 },
    {
      name: 'a 5xx burst',
      fault: () => (req, n) =>
        req.url?.includes('/manifests/') && n < 2 ? { kind: 'status', status: 502 } : undefined,
      exit: 0,
    },
    {
      name: 'endless 503',
      fault: () => (req) => (req.url?.includes('/manifests/') ? { kind: 'status', status: 503 } : undefined),
      exit: 2,
      error: /answered HTTP 503/,
    },
    {
      name: 'a 429 storm',
      fault: () => (req) =>
        req.url?.includes('/manifests/') ? { kind: 'status', status: 429, headers: { 'retry-after': '1' } } : undefined,
      exit: 2,
      error: /answered HTTP 429/,
    },
    {
      name: 'a cut mid-blob',
      fault: () => (req, n) =>
        isLayerGet(req.url, req.headers.range) && n === 0 ? { kind: 'cut', afterBytes: 20_000 } : undefined,
      exit: 0,
    },
    {
      name: 'resets on every blob',
      fault: () => (req) => (isLayerGet(req.url, req.headers.range) ? { kind: 'cut', afterBytes: 5_000 } : undefined),
      exit: 2,
      error: /layer \d+/,
    },
    {
      name: 'a corrupt blob',
      fault: () => (req) => (isLayerGet(req.url, req.headers.range) ? { kind: 'corrupt' } : undefined),
      exit: 2,
      error: /does not match its digest/,
    },
    {
      name: 'a redirect loop',
      fault: () => (req) => (req.url?.includes('/manifests/') ? { kind: 'redirect', location: req.url! } : undefined),
      exit: 2,
      error: /too many redirects/,
    },
    {
      name: 'a short Content-Length',
      fault: () => (req) => (req.url?.includes('/manifests/') ? { kind: 'length', delta: -10 } : undefined),
      exit: 2,
      error: /does not match the digest/,
    },
    {
      name: 'slow-loris headers',
      fault: () => (req) =>
        req.url?.includes('/manifests/') ? { kind: 'drip', bytes: 8, intervalMs: 50, part: 'headers' } : undefined,
      exit: 2,
      error: /did not answer within 2s/,
    },
    {
      name: 'a redirect of blobs to another host',
      fault: () => (req) =>
        isBlob(req.url)
          ? {
              kind: 'redirect',
              location: `http://${elsewhere.host}${req.url!.replace('/private/app/', '/storage/app/')}`,
            }
          : undefined,
      exit: 0,
    },
    { name: 'credentials from --password-stdin', stdin: true, password: PASSWORD, exit: 0 },
    {
      name: 'wrong credentials from --password-stdin',
      stdin: true,
      password: 'wrong-Secret-0b9d44',
      exit: 2,
      error: /rejected the credentials for user "ballast-ci"/,
    },
  ];

  /** Everything a run printed or wrote. */
  const outputs: { name: string; text: string }[] = [];
  const bearerTokens = new Set<string>();

  it.each(cases)(
    '$name: exit $exit, one line on failure, no secret anywhere',
    async (c) => {
      front.fault = c.fault?.() as Proxy['fault'];
      const dir = join(work, c.name.replace(/\W+/g, '-'));
      await mkdir(dir, { recursive: true });
      const ref = `docker://${front.host}/private/app:1`;
      const auth = c.stdin ? ['--username', USER, '--password-stdin'] : [];
      const runEnv = c.stdin ? { ...env, DOCKER_CONFIG: join(work, 'no-docker-config') } : env;
      const started = Date.now();
      const analyze = await runCli(['analyze', ref, '--json', '--timeout', '2', ...auth], {
        env: runEnv,
        input: c.password,
        timeoutMs: 60_000,
      });
      const analyzeMs = Date.now() - started;
      const sarif = join(dir, 'report.sarif');
      const json = join(dir, 'report.json');
      const ci = await runCli(
        ['ci', ref, '--output', `sarif=${sarif}`, '--output', `json=${json}`, '--timeout', '2', ...auth],
        {
          env: runEnv,
          input: c.password,
          timeoutMs: 60_000,
        },
      );
      for (const r of front.requests)
        if (r.authorization?.startsWith('Bearer ')) bearerTokens.add(r.authorization.slice(7));
      outputs.push(
        { name: `${c.name}: analyze stdout`, text: analyze.stdout },
        { name: `${c.name}: analyze stderr`, text: analyze.stderr },
        { name: `${c.name}: ci stdout`, text: ci.stdout },
        { name: `${c.name}: ci stderr`, text: ci.stderr },
        { name: `${c.name}: sarif`, text: await readFile(sarif, 'utf8').catch(() => '') },
        { name: `${c.name}: json`, text: await readFile(json, 'utf8').catch(() => '') },
      );

      expect({ code: analyze.code, stderr: analyze.code === c.exit ? '' : analyze.stderr }).toEqual({
        code: c.exit,
        stderr: '',
      });
      if (c.exit === 0) {
        expect(JSON.parse(analyze.stdout)).toHaveProperty('image');
        expect(ci.code === 0 || ci.code === 1).toBe(true);
        expect(JSON.parse(await readFile(sarif, 'utf8'))).toHaveProperty('runs');
      } else {
        // One line, no stack trace, naming the problem; nothing on stdout
        expect(analyze.stdout).toBe('');
        const lines = analyze.stderr.split('\n').filter((l) => l.startsWith('error: '));
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^error: .* \(hint: .*\)$/);
        expect(lines[0]).toMatch(c.error!);
        expect(analyze.stderr).not.toMatch(/^\s+at /m);
        expect(ci.code).toBe(2);
        // Bounded by the timeout: one to notice, one for retries, plus the CLI's start-up (which a loaded 2-core
        // machine can stretch to several seconds); unbounded, it would run into runCli's 60 s
        expect(analyzeMs).toBeLessThan(30_000);
      }
      if (c.name === 'a redirect of blobs to another host') {
        // The other host served the blobs, and never saw an Authorization header, while the registry did get a token
        expect(elsewhere.requests.filter((r) => isBlob(r.path)).length).toBeGreaterThan(0);
        expect(elsewhere.requests.map((r) => r.authorization)).toEqual(elsewhere.requests.map(() => undefined));
        expect(front.requests.some((r) => r.authorization?.startsWith('Bearer '))).toBe(true);
      }
    },
    90_000,
  );

  it('no output of any case holds the password, the Basic credentials or a bearer token', () => {
    expect(outputs.length).toBe(cases.length * 6);
    // The token exchange really happened, so there were tokens to leak
    expect(bearerTokens.size).toBeGreaterThan(0);
    const secrets = [
      PASSWORD,
      'wrong-Secret-0b9d44',
      Buffer.from(`${USER}:${PASSWORD}`).toString('base64'),
      ...[...bearerTokens].flatMap((t) => [t, t.split('.')[2]]),
    ];
    const leaks = outputs.flatMap((o) =>
      secrets.filter((s) => o.text.includes(s)).map((s) => `${o.name} holds ${s.slice(0, 6)}...`),
    );
    expect(leaks).toEqual([]);
  });
});
