// `--dockerfile` (analyze, explore, bases) naming a directory or nothing: said in the user's words, not the system's
// ("EISDIR: illegal operation on a directory, read"), with the file inside a directory offered when there is one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDockerfileText } from '../../src/dockerfile/parse.js';

describe('readDockerfileText', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-read-dockerfile-'));
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM scratch\n');
    mkdirSync(join(dir, 'empty'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [
      'app',
      /^the Dockerfile .*app is a directory, not a Dockerfile$/,
      /^did you mean --dockerfile .*app\/Dockerfile\?$/,
    ],
    ['empty', /^the Dockerfile .*empty is a directory, not a Dockerfile$/, /^pass --dockerfile/],
    ['missing', /^the Dockerfile .*missing: no such file$/, /^pass --dockerfile/],
  ])('%s: one line in the user’s words, with a hint', async (name, message, hint) => {
    const error = await readDockerfileText(join(dir, name)).then(
      () => undefined,
      (e: Error & { hint?: string }) => e,
    );
    expect(error?.message).toMatch(message);
    expect(error?.hint).toMatch(hint);
  });

  it('reads a Dockerfile', async () => {
    await expect(readDockerfileText(join(dir, 'app', 'Dockerfile'))).resolves.toBe('FROM scratch\n');
  });
});
