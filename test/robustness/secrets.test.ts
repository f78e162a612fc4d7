// Credentials never appear in anything ballast prints or writes: stdout, stderr (with and without --debug), JSON and
// SARIF reports, the blob cache. A real docker-registry with Basic auth on 127.0.0.1; the credentials reach ballast the
// ways a CI job hands them over: config.json auths, a credential helper, --password-stdin; right and wrong ones.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../helpers/cli.js';
import { skopeoCopy, startRegistry, type Registry } from '../helpers/registry.js';
import { expectNoSecrets, filesUnder, TEST_SECRETS } from '../helpers/secrets.js';

const USER = 'ballast-ci';
const IMAGE = `docker-archive:${join(process.cwd(), 'test', 'fixtures', 'dive', 'test-docker-image.tar')}`;
const SECRETS = Object.values(TEST_SECRETS);

let work: string;
let registry: Registry;
const outputs: Record<string, string> = {};
const basic = (password: string) => Buffer.from(`${USER}:${password}`).toString('base64');

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ballast-secrets-'));
  registry = await startRegistry({ kind: 'htpasswd', username: USER, password: TEST_SECRETS.password });
  await skopeoCopy(IMAGE, `docker://${registry.host}/private/app:1`, {
    creds: `${USER}:${TEST_SECRETS.password}`,
    format: 'v2s2',
  });
  // A credential helper that answers with a wrong secret (so the failure path, which quotes the most, is exercised).
  await mkdir(join(work, 'bin'));
  const helper = join(work, 'bin', 'docker-credential-leaktest');
  await writeFile(
    helper,
    `#!/bin/sh\n[ "$1" = get ] || exit 1\nread -r server\nprintf '{"ServerURL":"%s","Username":"${USER}","Secret":"${TEST_SECRETS.helperSecret}"}' "$server"\n`,
  );
  await chmod(helper, 0o755);
}, 180_000);

afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A private HOME with this Docker config, and a cache dir inside the work dir so it is scanned too. */
async function env(name: string, dockerConfig: object): Promise<NodeJS.ProcessEnv> {
  const home = join(work, name);
  await mkdir(join(home, '.docker'), { recursive: true });
  await writeFile(join(home, '.docker', 'config.json'), JSON.stringify(dockerConfig));
  return { HOME: home, XDG_CACHE_HOME: join(home, 'cache'), PATH: `${join(work, 'bin')}:${process.env.PATH}` };
}

/** What ballast wrote under a HOME: everything but the Docker config the test put there (it holds the secret by design). */
function written(home: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filesUnder(home)).filter(([path]) => !path.endsWith(join('.docker', 'config.json'))),
  );
}

function record(label: string, run: CliResult): CliResult {
  outputs[`${label} stdout`] = run.stdout;
  outputs[`${label} stderr`] = run.stderr;
  return run;
}

describe('no secret leaks', () => {
  it('the scan itself finds a planted secret in each encoding it could leak in', () => {
    for (const planted of [
      TEST_SECRETS.password,
      basic(TEST_SECRETS.password),
      encodeURIComponent(TEST_SECRETS.password),
    ]) {
      expect(() => expectNoSecrets({ 'a report': `token: ${planted}.` }, [TEST_SECRETS.password], USER)).toThrow();
    }
    expect(() => expectNoSecrets({ 'a report': 'nothing here' }, SECRETS, USER)).not.toThrow();
  });

  it('right credentials from config auths: analyze --json, ci with SARIF and JSON files, the cache', async () => {
    const e = await env('good', { auths: { [registry.host]: { auth: basic(TEST_SECRETS.password) } } });
    const ref = `docker://${registry.host}/private/app:1`;
    expect(
      record('analyze --json', await runCli(['analyze', ref, '--json'], { env: e, timeoutMs: 120_000 })).code,
    ).toBe(0);
    const sarif = join(e.HOME!, 'out.sarif');
    const json = join(e.HOME!, 'out.json');
    const ci = record(
      'ci',
      await runCli(['ci', ref, '-o', `sarif=${sarif}`, '-o', `json=${json}`], {
        env: e,
        cwd: e.HOME,
        timeoutMs: 120_000,
      }),
    );
    expect([0, 1]).toContain(ci.code);
    Object.assign(outputs, written(e.HOME!));
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining([sarif, json]));
  }, 300_000);

  it('wrong credentials from auths, a credential helper and --password-stdin: one error line, with and without --debug', async () => {
    const ref = `docker://${registry.host}/private/app:1`;
    const wrongAuth = await env('wrong-auth', {
      auths: { [registry.host]: { auth: basic(TEST_SECRETS.bearerToken) } },
    });
    const helper = await env('helper', { credHelpers: { [registry.host]: 'leaktest' } });
    const stdin = await env('stdin', {});
    const runs: [string, string[], NodeJS.ProcessEnv, string?][] = [
      ['inspect wrong auths', ['inspect', ref], wrongAuth],
      ['inspect wrong auths --debug', ['inspect', ref, '--debug'], wrongAuth],
      ['analyze helper', ['analyze', ref, '--json'], helper],
      ['analyze helper --debug', ['analyze', ref, '--debug'], helper],
      [
        'inspect --password-stdin',
        ['inspect', ref, '--username', USER, '--password-stdin'],
        stdin,
        `${TEST_SECRETS.stdinPassword}\n`,
      ],
      [
        'inspect --password-stdin --debug',
        ['inspect', ref, '--username', USER, '--password-stdin', '--debug'],
        stdin,
        `${TEST_SECRETS.stdinPassword}\n`,
      ],
    ];
    for (const [label, args, e, input] of runs) {
      const run = record(label, await runCli(args, { env: e, input, timeoutMs: 120_000 }));
      expect([label, run.code]).toEqual([label, 2]);
      if (!args.includes('--debug')) expect([label, run.stderr.trimEnd().split('\n').length]).toEqual([label, 1]);
      expect(run.stderr).toMatch(/requires authentication|denied|unauthorized|credentials/i);
    }
    for (const e of [wrongAuth, helper, stdin]) Object.assign(outputs, written(e.HOME!));
  }, 300_000);

  afterAll(() => {
    // Everything the suite printed or wrote, scanned for every test secret in every encoding.
    expect(Object.keys(outputs).length).toBeGreaterThan(10);
    expectNoSecrets(outputs, SECRETS, USER);
  });
});
