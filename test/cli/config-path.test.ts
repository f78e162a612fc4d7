// A config file's error names the file as the user knows it: `--config` (or $BALLAST_CONFIG) as typed, a
// .ballast.yaml found by its name relative to the working directory. They named its absolute path, which nobody typed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NO_CI, runCli } from '../helpers/cli.js';

const IMAGE = resolve('examples/demo/demo.tar');
const DOCKERFILE = resolve('examples/demo/Dockerfile');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-config-path-'));
  mkdirSync(join(dir, 'sub'));
  mkdirSync(join(dir, 'found'));
  writeFileSync(join(dir, 'bad.ballast.yaml'), 'limits:\n  maxEntries: -3\n');
  writeFileSync(join(dir, 'broken.yaml'), 'a: [\n');
  writeFileSync(join(dir, 'found', '.ballast.yaml'), 'rules:\n  DF001: bogus\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BAD = 'limits.maxEntries must be a positive whole number';

describe('config errors name the file as given', () => {
  it.each([
    [['ci', IMAGE, '--config', '../bad.ballast.yaml'], {}, `../bad.ballast.yaml: ${BAD}`],
    [['bases', 'x', '--config', '../bad.ballast.yaml'], {}, `../bad.ballast.yaml: ${BAD}`],
    [['lint', DOCKERFILE, '--config', '../bad.ballast.yaml'], {}, `../bad.ballast.yaml: ${BAD}`],
    [['lint', DOCKERFILE], { BALLAST_CONFIG: '../bad.ballast.yaml' }, `../bad.ballast.yaml: ${BAD}`],
    [['lint', DOCKERFILE, '--config', '../broken.yaml'], {}, '../broken.yaml is not valid YAML'],
    [['ci', IMAGE, '--config', '../broken.yaml'], {}, '../broken.yaml is not valid YAML'],
  ])('%j %j: %s', async (args, env, message) => {
    for (const path of [{}, { BALLAST_NO_FAST_PATH: '1' }]) {
      const result = await runCli(args, { cwd: join(dir, 'sub'), env: { ...NO_CI, ...env, ...path } });
      expect([result.code, result.stdout]).toEqual([2, '']);
      expect(result.stderr).toMatch(new RegExp(`^error: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      expect(result.stderr).not.toContain(dir);
    }
  });

  it.each([[['analyze', IMAGE]], [['ci', IMAGE]], [['lint', 'Dockerfile']]])(
    '%j names a .ballast.yaml found in the working directory by its name there',
    async (args) => {
      writeFileSync(join(dir, 'found', 'Dockerfile'), 'FROM scratch\n');
      const result = await runCli(args, { cwd: join(dir, 'found'), env: NO_CI });
      expect([result.code, result.stdout]).toEqual([2, '']);
      expect(result.stderr).toMatch(/^error: \.ballast\.yaml: rules\.DF001 must be one of /);
    },
  );
});
