// Registry authentication against real servers on 127.0.0.1: a docker-registry with htpasswd Basic auth,
// and one configured for token auth whose JWTs come from the test token issuer (the registry verifies them).
// Credentials come from a Docker config (auths, credHelpers, credsStore), Podman's auth.json, or options.
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatError } from '../../src/errors.js';
import {
  MAX_AUTH_FILE_BYTES,
  MAX_HELPER_OUTPUT_BYTES,
  runCredentialHelper,
} from '../../src/sources/registry/credentials.js';
import { openImage } from '../../src/sources/resolve.js';
import { skopeoCopy, startRegistry, type Registry } from '../helpers/registry.js';
import { startTokenIssuer, type TokenIssuer } from '../helpers/token-issuer.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'dive');
const USER = 'ballast-user';
const PASSWORD = 's3cret-Pa55word-never-printed';

describe('registry authentication', () => {
  let work: string;
  let basic: Registry;
  let issuer: TokenIssuer;
  let token: Registry;
  const notes: string[] = [];

  /** An environment with a private HOME, so the user's real credentials are never read. */
  async function environment(name: string, files: Record<string, unknown> = {}): Promise<NodeJS.ProcessEnv> {
    const home = join(work, name);
    await mkdir(home, { recursive: true });
    for (const [file, content] of Object.entries(files)) {
      await mkdir(join(home, file, '..'), { recursive: true });
      await writeFile(join(home, file), typeof content === 'string' ? content : JSON.stringify(content));
    }
    return { HOME: home, PATH: `${join(work, 'bin')}:${process.env.PATH}`, HELPER_LOG: join(home, 'helper.log') };
  }

  const auth = (user: string, password: string): string => Buffer.from(`${user}:${password}`).toString('base64');
  const open = (reference: string, env: NodeJS.ProcessEnv, extra: object = {}) =>
    openImage(`docker://${reference}`, { noCache: true, env, notice: (m: string) => notes.push(m), ...extra });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ballast-auth-'));
    // A credential helper speaking the docker-credential-helpers protocol: reads the server URL on stdin.
    await mkdir(join(work, 'bin'));
    const helper = join(work, 'bin', 'docker-credential-ballast-test');
    await writeFile(
      helper,
      [
        '#!/bin/sh',
        '[ "$1" = get ] || exit 1',
        'read -r server',
        'echo "$server" >> "$HELPER_LOG"',
        `case "$server" in *127.0.0.1*) printf '{"ServerURL":"%s","Username":"${USER}","Secret":"${PASSWORD}"}' "$server" ;;`,
        '  *) echo "credentials not found in native keychain"; exit 1 ;; esac',
        '',
      ].join('\n'),
    );
    await chmod(helper, 0o755);
    // One that never stops printing, through a program it starts (which outlives the script if only that is killed).
    const endless = join(work, 'bin', 'docker-credential-ballast-endless');
    await writeFile(endless, '#!/bin/sh\nread -r server\nyes "$server"\n');
    await chmod(endless, 0o755);
    // One that never answers, through a program it starts that keeps its output open.
    const stuck = join(work, 'bin', 'docker-credential-ballast-stuck');
    await writeFile(stuck, '#!/bin/sh\nread -r server\nsleep 20\n');
    await chmod(stuck, 0o755);
    basic = await startRegistry({ kind: 'htpasswd', username: USER, password: PASSWORD });
    issuer = await startTokenIssuer({ [USER]: PASSWORD }, { publicRepositories: ['public/app'] });
    token = await startRegistry({
      kind: 'token',
      realm: issuer.realm,
      service: issuer.service,
      issuer: issuer.issuer,
      certPath: issuer.certPath,
    });
    const image = `docker-archive:${join(FIXTURES, 'test-docker-image.tar')}`;
    await skopeoCopy(image, `docker://${basic.host}/private/app:1`, { creds: `${USER}:${PASSWORD}`, format: 'v2s2' });
    await skopeoCopy(image, `docker://${token.host}/private/app:1`, { creds: `${USER}:${PASSWORD}`, format: 'v2s2' });
    await skopeoCopy(image, `docker://${token.host}/public/app:1`, { creds: `${USER}:${PASSWORD}`, format: 'v2s2' });
  }, 120_000);

  afterAll(async () => {
    await basic?.stop();
    await token?.stop();
    await issuer?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  beforeEach(() => {
    notes.length = 0;
    issuer.requests.length = 0;
  });

  afterEach(() => {
    // Secrets never reach the user's screen.
    for (const note of notes) expect(note).not.toContain(PASSWORD);
  });

  async function expectReadable(reference: string, env: NodeJS.ProcessEnv, extra: object = {}): Promise<void> {
    const image = await open(reference, env, extra);
    try {
      expect(await image.layers()).toHaveLength(14);
      // A layer blob too, not only the manifest: auth holds for blob requests.
      const [layer] = await image.layers();
      for await (const _chunk of await layer.compressed());
    } finally {
      await image.close();
    }
  }

  describe('htpasswd (Basic)', () => {
    it('reads with credentials from ~/.docker/config.json auths', async () => {
      const env = await environment('auths', {
        '.docker/config.json': { auths: { [basic.host]: { auth: auth(USER, PASSWORD) } } },
      });
      await expectReadable(`${basic.host}/private/app:1`, env);
    });

    it('reads with DOCKER_CONFIG pointing elsewhere, and a URL-shaped key', async () => {
      const env = await environment('docker-config-env', {
        'elsewhere/config.json': { auths: { [`http://${basic.host}/v1/`]: { auth: auth(USER, PASSWORD) } } },
      });
      env.DOCKER_CONFIG = join(env.HOME!, 'elsewhere');
      await expectReadable(`${basic.host}/private/app:1`, env);
    });

    it('reads with credentials from a credential helper (credHelpers)', async () => {
      const env = await environment('helper', {
        '.docker/config.json': { credHelpers: { [basic.host]: 'ballast-test' } },
      });
      await expectReadable(`${basic.host}/private/app:1`, env);
      // The helper was asked once, about this registry.
      expect(await readFile(env.HELPER_LOG!, 'utf8')).toBe(`${basic.host}\n`);
    });

    it('reads with credentials from a credsStore', async () => {
      const env = await environment('store', { '.docker/config.json': { credsStore: 'ballast-test' } });
      await expectReadable(`${basic.host}/private/app:1`, env);
      expect(await readFile(env.HELPER_LOG!, 'utf8')).toBe(`${basic.host}\n`);
    });

    it('falls back to auths when the credsStore program is not installed', async () => {
      const env = await environment('store-missing', {
        '.docker/config.json': {
          credsStore: 'not-installed-anywhere',
          auths: { [basic.host]: { auth: auth(USER, PASSWORD) } },
        },
      });
      await expectReadable(`${basic.host}/private/app:1`, env);
    });

    it('fails clearly when a named credHelper is not installed', async () => {
      const env = await environment('helper-missing', {
        '.docker/config.json': { credHelpers: { [basic.host]: 'not-installed-anywhere' } },
      });
      const line = formatError(await open(`${basic.host}/private/app:1`, env).catch((e: unknown) => e));
      expect(line).toContain(
        `cannot run docker-credential-not-installed-anywhere (configured in the Docker config for ${basic.host}): ENOENT`,
      );
      expect(line).toContain('install docker-credential-not-installed-anywhere on PATH');
    });

    it('stops a credential helper that prints without end, and says so', async () => {
      // Its output was gathered whole until the 20 s timeout: gigabytes from a helper in a loop.
      const env = await environment('helper-endless', {
        '.docker/config.json': { credHelpers: { [basic.host]: 'ballast-endless' } },
      });
      const line = formatError(await open(`${basic.host}/private/app:1`, env).catch((e: unknown) => e));
      expect(line).toBe(
        `error: docker-credential-ballast-endless printed over ${MAX_HELPER_OUTPUT_BYTES} bytes for ${basic.host}, more than any credentials; it was stopped (hint: run \`echo ${basic.host} | docker-credential-ballast-endless get\` to see what it prints, or log in again)`,
      );
    }, 30_000);

    it('stops a credential helper at its timeout even when a program it started holds its output open', async () => {
      // Killing the helper left its `sleep` holding the pipe: the lookup waited for that to end, past the timeout.
      const env = await environment('helper-stuck');
      const error = await runCredentialHelper('ballast-stuck', basic.host, 500, env).catch((e: unknown) => e);
      expect(formatError(error)).toBe(
        `error: docker-credential-ballast-stuck did not answer for ${basic.host} within 0.5s; it was stopped (hint: run \`echo ${basic.host} | docker-credential-ballast-stuck get\` to see why, or log in again)`,
      );
    }, 10_000);

    it("reads with Podman's auth.json (REGISTRY_AUTH_FILE)", async () => {
      const env = await environment('podman', {
        'auth.json': { auths: { [basic.host]: { auth: auth(USER, PASSWORD) } } },
      });
      env.REGISTRY_AUTH_FILE = join(env.HOME!, 'auth.json');
      await expectReadable(`${basic.host}/private/app:1`, env);
    });

    it('reads with --username/--password-stdin values', async () => {
      const env = await environment('flags');
      await expectReadable(`${basic.host}/private/app:1`, env, { username: USER, password: PASSWORD });
    });

    it('without credentials says which registry wants them and how to log in', async () => {
      const env = await environment('anonymous');
      const line = formatError(await open(`${basic.host}/private/app:1`, env).catch((e: unknown) => e));
      expect(line).toBe(
        `error: ${basic.host} requires authentication to pull private/app (hint: log in with \`docker login ${basic.host}\` (or \`podman login ${basic.host}\`), or pass --username and --password-stdin)`,
      );
    });

    it('says which credential file it could not read when the registry then wants a login', async () => {
      // What a root-owned config.json (left by `sudo docker login`) does to a user; a directory in its place is the
      // unreadable file this test can make whoever runs it, root included.
      const env = await environment('unreadable');
      const config = join(env.HOME!, '.docker', 'config.json');
      await mkdir(config, { recursive: true });
      const line = formatError(await open(`${basic.host}/private/app:1`, env).catch((e: unknown) => e));
      expect(line).toBe(
        `error: ${basic.host} requires authentication to pull private/app, and ballast cannot read ${config} (EISDIR) (hint: make ${config} a file you can read, or pass --username and --password-stdin)`,
      );
    });

    it('reads an empty config.json as no configuration, as the docker CLI does', async () => {
      // It was "is not valid JSON", exit 2, where docker pulls with an empty one.
      const env = await environment('empty', { '.docker/config.json': '' });
      const line = formatError(await open(`${basic.host}/private/app:1`, env).catch((e: unknown) => e));
      expect(line).toMatch(
        new RegExp(`^error: ${basic.host} requires authentication to pull private/app \\(hint: log in`),
      );
    });

    it('refuses a config.json that is a FIFO, naming it, instead of hanging after the 401', async () => {
      // It was read whole with no check: open() waited for a writer that never came, and the pull with it.
      const env = await environment('fifo');
      const config = join(env.HOME!, '.docker', 'config.json');
      await mkdir(join(config, '..'), { recursive: true });
      execFileSync('mkfifo', [config]);
      const line = formatError(await open(`${basic.host}/private/app:1`, env).catch((e: unknown) => e));
      expect(line).toBe(
        `error: the credential file ${config} is a FIFO (a pipe), not a file (hint: it should be a JSON file that Docker or Podman writes: replace or remove it)`,
      );
    }, 30_000);

    it('refuses a config.json over 1 MiB by its size, before reading it', async () => {
      // A 2 GB file (sparse here) was read whole into memory.
      const env = await environment('huge', { '.docker/config.json': '{"auths":{}}' });
      const config = join(env.HOME!, '.docker', 'config.json');
      await truncate(config, 2 * 1024 ** 3);
      const line = formatError(await open(`${basic.host}/private/app:1`, env).catch((e: unknown) => e));
      expect(line).toBe(
        `error: the credential file ${config} is ${2 * 1024 ** 3} bytes, too large for one (limit ${MAX_AUTH_FILE_BYTES}) (hint: real ones are a few KB, written by Docker or Podman: replace or remove it)`,
      );
    });

    it('with wrong credentials names the registry, the user and the source, never the password', async () => {
      const wrong = 'wrong-Pa55word-also-secret';
      const env = await environment('wrong', {
        '.docker/config.json': { auths: { [basic.host]: { auth: auth(USER, wrong) } } },
      });
      const line = formatError(await open(`${basic.host}/private/app:1`, env).catch((e: unknown) => e));
      expect(line).toContain(
        `${basic.host} rejected the credentials for user "${USER}" from ${join(env.HOME!, '.docker', 'config.json')}`,
      );
      expect(line).toContain(`docker login ${basic.host}`);
      expect(line).not.toContain(wrong);
      expect(line).not.toContain(auth(USER, wrong));
    });

    it('with wrong credentials in REGISTRY_AUTH_FILE says to fix them there, where `docker login` would not', async () => {
      // REGISTRY_AUTH_FILE is read before the Docker config: a `docker login` would leave the rejected entry first.
      const wrong = 'wrong-Pa55word-in-authfile';
      const env = await environment('podman-wrong', {
        'auth.json': { auths: { [basic.host]: { auth: auth(USER, wrong) } } },
      });
      const file = join(env.HOME!, 'auth.json');
      env.REGISTRY_AUTH_FILE = file;
      const line = formatError(await open(`${basic.host}/private/app:1`, env).catch((e: unknown) => e));
      expect(line).toBe(
        `error: ${basic.host} rejected the credentials for user "${USER}" from ${file} (pulling private/app) (hint: ` +
          `REGISTRY_AUTH_FILE names ${file}, which is read before the Docker config: log in again into it with ` +
          `\`podman login ${basic.host}\` (or \`skopeo login ${basic.host}\`), remove its entry for ${basic.host}, ` +
          `or pass --username and --password-stdin)`,
      );
      expect(line).not.toContain(wrong);
    });
  });

  describe('token auth (registry-verified JWTs from the test issuer)', () => {
    it('gets a pull token with the credentials and reads the image', async () => {
      const env = await environment('token-ok', {
        '.docker/config.json': { auths: { [token.host]: { auth: auth(USER, PASSWORD) } } },
      });
      await expectReadable(`${token.host}/private/app:1`, env);
      // One token for the pull scope serves the manifest, config and layer requests.
      expect(issuer.requests).toEqual([{ scope: ['repository:private/app:pull'], authenticated: true, status: 200 }]);
    });

    it('gets an anonymous pull token for a public repository, sending no credentials', async () => {
      const env = await environment('token-public');
      await expectReadable(`${token.host}/public/app:1`, env);
      expect(issuer.requests).toEqual([{ scope: ['repository:public/app:pull'], authenticated: false, status: 200 }]);
    });

    it('exchanges an identity token (docker login with a token) with the refresh-token grant', async () => {
      const env = await environment('token-identity', {
        '.docker/config.json': { auths: { [token.host]: { identitytoken: `refresh-${USER}` } } },
      });
      await expectReadable(`${token.host}/private/app:1`, env);
      expect(issuer.requests).toEqual([{ scope: ['repository:private/app:pull'], authenticated: true, status: 200 }]);
    });

    it('with wrong credentials fails at the token server with a login hint and no secret', async () => {
      const env = await environment('token-wrong');
      const line = formatError(
        await open(`${token.host}/private/app:1`, env, { username: USER, password: 'nope-secret' }).catch(
          (e: unknown) => e,
        ),
      );
      expect(line).toContain(
        `${token.host} rejected the credentials for user "${USER}" from --username/--password-stdin`,
      );
      // The credentials were passed: the hint is to check them, not to pass them
      expect(line).toMatch(/\(hint: check the user name and the password given with --username and --password-stdin/);
      expect(line).not.toContain('or pass --username');
      expect(line).not.toContain('nope-secret');
    });

    it('anonymous pulls the issuer refuses are reported as needing a login', async () => {
      const env = await environment('token-anon');
      const line = formatError(await open(`${token.host}/private/app:1`, env).catch((e: unknown) => e));
      expect(line).toContain(`${token.host} requires authentication to pull private/app`);
    });
  });
});
