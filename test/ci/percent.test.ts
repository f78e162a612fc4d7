// A bare number for a ratio is a fraction: `maxGrowthPercent: 10` would be 1000%, a gate that never fails for the user
// who meant 10%. A bare number above 1 is refused, for every ratio budget, in config, flags and variables alike, with
// a hint to write the percent sign; `150%` still sets more than 100%.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parseCiSettings } from '../../src/config/ci.js';
import { ConfigError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';

const FIXTURE = resolve('test/fixtures/dive/test-docker-image.tar');

describe('ratio budgets given a bare number', () => {
  it.each([
    ['maxGrowthPercent', 10],
    ['maxGrowthPercent', '10'],
    ['maxWastedPercent', 10],
    ['minEfficiency', '90'],
  ])('%s: %j is refused with a hint to write %', (key, value) => {
    let error: unknown;
    try {
      parseCiSettings({ [key]: value }, '.ballast.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      `.ballast.yaml: ci.${key} is ${value}, a fraction (${Number(value) * 100}%)`,
    );
    expect((error as ConfigError).hint).toBe(`write ${value}% (a bare number is a fraction: 0.1 is 10%)`);
  });

  it('a per-image block is checked the same way', () => {
    expect(() => parseCiSettings({ images: { 'a/*': { maxGrowthPercent: 25 } } }, 'f')).toThrow(
      'ci.images.a/*.maxGrowthPercent is 25, a fraction (2500%)',
    );
  });

  it('fractions up to 1 and percentages (above 100% too) are taken', () => {
    expect(
      parseCiSettings({ maxGrowthPercent: '150%', maxWastedPercent: 0.1, minEfficiency: 1 }, 'f').budgets,
    ).toMatchObject({ maxGrowthPercent: 1.5, maxWastedPercent: 0.1, minEfficiency: 1 });
    expect(parseCiSettings({ maxGrowthPercent: '1' }, 'f').budgets.maxGrowthPercent).toBe(1);
  });

  it('the JSON schema agrees', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(
      JSON.parse(readFileSync('schema/ballast.schema.json', 'utf8')),
    );
    for (const ok of [0.1, 1, 0, '0.5', '.5', '1.0', '10%', '150%', '0'])
      expect([ok, validate({ ci: { maxGrowthPercent: ok } })]).toEqual([ok, true]);
    for (const bad of [10, 1.5, '10', '1.5', '2'])
      expect([bad, validate({ ci: { maxGrowthPercent: bad } })]).toEqual([bad, false]);
  });

  describe('from the CLI', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'ballast-percent-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('--max-growth-percent 10, BALLAST_MAX_WASTED_PERCENT=10 and maxGrowthPercent: 10 exit 2 with the hint', async () => {
      const env = { GITHUB_ACTIONS: '' };
      const flag = await runCli(['ci', FIXTURE, '--workers', '0', '--max-growth-percent', '10'], { cwd: dir, env });
      expect(flag.code).toBe(2);
      expect(flag.stderr).toMatch(/--max-growth-percent.* is 10, a fraction \(1000%\)/);
      expect(flag.stderr).toMatch(/write 10% \(a bare number is a fraction: 0\.1 is 10%\)/);
      const variable = await runCli(['ci', FIXTURE, '--workers', '0'], {
        cwd: dir,
        env: { ...env, BALLAST_MAX_WASTED_PERCENT: '10' },
      });
      expect(variable.code).toBe(2);
      expect(variable.stderr).toMatch(/is 10, a fraction/);
      writeFileSync(join(dir, '.ballast.yaml'), 'ci:\n  maxGrowthPercent: 10\n');
      const file = await runCli(['ci', FIXTURE, '--workers', '0'], { cwd: dir, env });
      expect(file.code).toBe(2);
      expect(file.stderr).toMatch(/ci\.maxGrowthPercent is 10, a fraction/);
      expect(file.stderr).not.toMatch(/\n\s+at /);
    });
  });
});
