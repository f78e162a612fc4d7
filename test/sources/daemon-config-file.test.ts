// The Docker config the daemon source reads for its context (config.json's currentContext), when it is no file:
// refused by name before any connection, never waited on or read whole.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatError } from '../../src/errors.js';
import { MAX_AUTH_FILE_BYTES } from '../../src/sources/registry/credentials.js';
import { openImage } from '../../src/sources/resolve.js';

describe('the Docker config of the daemon source', () => {
  let home: string;
  let config: string;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'ballast-daemon-config-'));
    config = join(home, '.docker', 'config.json');
    await mkdir(join(home, '.docker'));
  });

  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  const errorLine = async (): Promise<string> =>
    formatError(
      await openImage('docker-daemon:hello-world', { env: { HOME: home } }).then(
        () => new Error('opened'),
        (error: unknown) => error,
      ),
    );

  it('a FIFO in its place is refused by name', async () => {
    // It was read with readFileSync: the run hung in open(), waiting for a writer, deaf to SIGINT.
    execFileSync('mkfifo', [config]);
    expect(await errorLine()).toBe(
      `error: the Docker config ${config} is a FIFO (a pipe), not a file ` +
        '(hint: it should be a JSON file that Docker or Podman writes: replace or remove it)',
    );
  });

  it('one over 1 MiB is refused by its size, before it is read', async () => {
    await writeFile(config, '{}');
    await truncate(config, 2 * 1024 ** 3);
    expect(await errorLine()).toBe(
      `error: the Docker config ${config} is ${2 * 1024 ** 3} bytes, too large for one (limit ${MAX_AUTH_FILE_BYTES}) ` +
        '(hint: real ones are a few KB, written by Docker or Podman: replace or remove it)',
    );
  });
});
