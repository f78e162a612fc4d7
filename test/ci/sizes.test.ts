// Sizes agree between config, flags and variables (`1e9` everywhere), absurd sizes are refused as out of range
// instead of becoming Infinity (null in JSON), and a flag's error says what a size looks like.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parseCiSettings } from '../../src/config/ci.js';
import { runCli } from '../helpers/cli.js';

const FIXTURE = resolve('test/fixtures/dive/test-docker-image.tar');

describe('sizes', () => {
  it('config: 1e9 as a number or text is 1GB; 400 digits or 99999999999999999999999999999TB are out of range', () => {
    expect(
      parseCiSettings({ maxImageBytes: 1e9, maxLayerBytes: '1e9', maxWastedBytes: '2.5e3kB' }, 'f').budgets,
    ).toMatchObject({ maxImageBytes: { uncompressed: 1e9 }, maxLayerBytes: 1e9, maxWastedBytes: 2.5e6 });
    for (const big of ['99999999999999999999999999999TB', '9'.repeat(400), Number.POSITIVE_INFINITY, 2 ** 60])
      expect(() => parseCiSettings({ maxImageBytes: big }, 'f')).toThrow(/ci\.maxImageBytes is out of range/);
  });

  it('the JSON schema takes 1e9 as text and refuses sizes past 2^53', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(
      JSON.parse(readFileSync('schema/ballast.schema.json', 'utf8')),
    );
    expect(validate({ ci: { maxImageBytes: '1e9' } })).toBe(true);
    for (const size of ['20Mi', '1,000', '1PB', '5e', '1.'])
      expect(validate({ ci: { maxLayerBytes: size } })).toBe(true);
    for (const size of ['20 M B', '20MBs', 'MB']) expect(validate({ ci: { maxLayerBytes: size } })).toBe(false);
    expect(validate({ ci: { maxImageBytes: 2 ** 60 } })).toBe(false);
  });

  describe('from the CLI', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'ballast-sizes-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const env = { GITHUB_ACTIONS: '', BALLAST_MAX_IMAGE_BYTES: '' };

    it('--max-image-bytes 1e9 and BALLAST_MAX_IMAGE_BYTES=1e9 set 1GB, as maxImageBytes: 1e9 does', async () => {
      const flag = await runCli(['ci', FIXTURE, '--workers', '0', '--max-image-bytes', '1e9', '--json'], {
        cwd: dir,
        env,
      });
      expect(flag.code).toBe(0);
      const limit = (out: string) =>
        (JSON.parse(out) as { checks: { id: string; limit: unknown }[] }).checks.find((c) => c.id === 'maxImageBytes')
          ?.limit;
      expect(limit(flag.stdout)).toBe(1e9);
      const variable = await runCli(['ci', FIXTURE, '--workers', '0', '--json'], {
        cwd: dir,
        env: { ...env, BALLAST_MAX_IMAGE_BYTES: '1e9' },
      });
      expect(variable.code).toBe(0);
      expect(limit(variable.stdout)).toBe(1e9);
    });

    it('--max-layer-bytes and its variable take the sizes a .dive-ci takes: 20Mi, 1,000, 1PB', async () => {
      const limit = (out: string) =>
        (JSON.parse(out) as { checks: { id: string; limit: unknown }[] }).checks.find((c) => c.id === 'maxLayerBytes')
          ?.limit;
      for (const [text, bytes] of [
        ['20Mi', 20 * 2 ** 20],
        ['1,000', 1000],
        ['1PB', 1e15],
      ] as const) {
        const flag = await runCli(['ci', FIXTURE, '--workers', '0', '--json', '--max-layer-bytes', text], {
          cwd: dir,
          env,
        });
        expect(flag.stderr).not.toMatch(/error:/);
        expect(limit(flag.stdout)).toBe(bytes);
      }
      const variable = await runCli(['ci', FIXTURE, '--workers', '0', '--json'], {
        cwd: dir,
        env: { ...env, BALLAST_MAX_LAYER_BYTES: '20Mi' },
      });
      expect(limit(variable.stdout)).toBe(20 * 2 ** 20);
      const junk = await runCli(['ci', FIXTURE, '--workers', '0', '--max-layer-bytes', '20 parsecs'], {
        cwd: dir,
        env,
      });
      expect(junk.code).toBe(2);
      expect(junk.stderr).toMatch(/^error: --max-layer-bytes: value must be a size .*\(hint: a size is/);
    });

    it('a CLASS=SIZE or compressed=SIZE flag value that is wrong is named as typed, not as an internal path', async () => {
      const run = (args: string[], env: Record<string, string> = {}) =>
        runCli(['ci', FIXTURE, '--workers', '0', ...args], { cwd: dir, env });
      const cls = await run(['--max-junk-bytes', 'pycache=1kB']);
      expect(cls.code).toBe(2);
      expect(cls.stderr).toMatch(/^error: --max-junk-bytes: pycache is not a junk class \(hint: /);
      const size = await run([], { BALLAST_MAX_JUNK_BYTES: 'aptLists=lots' });
      expect(size.code).toBe(2);
      expect(size.stderr).toMatch(/^error: \$BALLAST_MAX_JUNK_BYTES: aptLists must be a size .*\(got "lots"\)/);
      const key = await run(['--max-image-bytes', 'compresed=1MB']);
      expect(key.code).toBe(2);
      expect(key.stderr).toMatch(/^error: --max-image-bytes: compresed is not a known key .*did you mean compressed\?/);
      // A key with no near spelling: the hint says what the flag takes, not a schema file.
      const other = await run(['--max-image-bytes', 'foo=1MB']);
      expect(other.code).toBe(2);
      expect(other.stderr).toMatch(/foo is not a known key .*\(hint: give compressed=SIZE,uncompressed=SIZE\)/);
    });

    it('an absurd or malformed flag value: exit 2, out of range, with a hint saying what a size looks like', async () => {
      const big = await runCli(
        ['ci', FIXTURE, '--workers', '0', '--max-image-bytes', '99999999999999999999999999999TB'],
        {
          cwd: dir,
          env,
        },
      );
      expect(big.code).toBe(2);
      expect(big.stderr).toMatch(/--max-image-bytes.* is out of range/);
      expect(big.stderr).toMatch(/hint: a size is a number of bytes \(1000000, 1e9\) or a number with a unit: 500MB/);
      expect(big.stderr).not.toMatch(/schema/);
      const bad = await runCli(['ci', FIXTURE, '--workers', '0', '--max-wasted-bytes', 'lots'], { cwd: dir, env });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/hint: a size is/);
    });

    it('a budget from its variable is named by the variable, in the JSON origin and in errors; the flag wins', async () => {
      const origin = (out: string) =>
        (JSON.parse(out) as { checks: { id: string; origin: string }[] }).checks.find((c) => c.id === 'maxWastedBytes')
          ?.origin;
      const variable = await runCli(['ci', FIXTURE, '--workers', '0', '--json'], {
        cwd: dir,
        env: { ...env, BALLAST_MAX_WASTED_BYTES: '1', BALLAST_FAIL_ON: 'none' },
      });
      expect(variable.code).toBe(1);
      expect(origin(variable.stdout)).toBe('$BALLAST_MAX_WASTED_BYTES');
      expect(
        (JSON.parse(variable.stdout) as { checks: { id: string; origin: string }[] }).checks.find(
          (c) => c.id === 'failOn',
        )?.origin,
      ).toBe('$BALLAST_FAIL_ON');
      const flag = await runCli(['ci', FIXTURE, '--workers', '0', '--json', '--max-wasted-bytes', '2'], {
        cwd: dir,
        env: { ...env, BALLAST_MAX_WASTED_BYTES: '1' },
      });
      expect(origin(flag.stdout)).toBe('--max-wasted-bytes');
      const bad = await runCli(['ci', FIXTURE, '--workers', '0'], {
        cwd: dir,
        env: { ...env, BALLAST_MAX_WASTED_BYTES: 'lots' },
      });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^error: \$BALLAST_MAX_WASTED_BYTES: value must be a size/);
      expect(bad.stderr).not.toMatch(/--max-wasted-bytes/);
      expect(bad.stderr).toMatch(/hint: a size is/);
    });

    it('--max-decompressed-bytes (read on its own path) says out of range too, not "is not a size"', async () => {
      for (const command of [['analyze'], ['ci', '--workers', '0']]) {
        const big = await runCli([command[0], FIXTURE, ...command.slice(1), '--max-decompressed-bytes', '1e400'], {
          cwd: dir,
          env,
        });
        expect(big.code).toBe(2);
        expect(big.stderr).toMatch(/^error: --max-decompressed-bytes 1e400 is out of range \(at most 9PB\) \(hint: /);
      }
    });
  });
});
