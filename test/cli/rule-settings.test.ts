// The image commands apply the rule settings of .ballast.yaml (`rules: {IM001: off, IM003: error}`) as `ci` does:
// analyze used to read only its `limits:` and report every image rule at its default severity.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../helpers/cli.js';

const DEMO = resolve('examples/demo/demo.tar');

describe('.ballast.yaml rules: in analyze and explore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-rule-settings-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, '.ballast.yaml'), 'rules:\n  IM001: off\n  package-cache-in-image: off\n  IM003: error\n');

  it.each([['analyze'], ['explore']])('%s --json drops rules set off and raises IM003 to error', async (command) => {
    // Given the demo image (which has IM001, IM002 and IM003 findings at warning) and the config above
    const r = await runCli([command, DEMO, '--json', '--workers', '0'], { cwd: dir });
    expect(r.code).toBe(0);
    const findings = JSON.parse(r.stdout).findings as { code: string; severity: string }[];
    const codes = findings.map((f) => f.code);
    // Then IM001 and IM002 (named by its rule name) are gone, IM003 is an error, and a rule the config does not name keeps its default
    expect(codes).not.toContain('IM001');
    expect(codes).not.toContain('IM002');
    expect(findings.find((f) => f.code === 'IM003')?.severity).toBe('error');
    expect(findings.find((f) => f.code === 'IM005')?.severity).toBe('warning');
  });

  it('analyze --fail-on error fails on the raised rule, and passes without the config', async () => {
    expect((await runCli(['analyze', DEMO, '--workers', '0', '--fail-on', 'error'], { cwd: dir })).code).toBe(1);
    const bare = mkdtempSync(join(tmpdir(), 'ballast-no-config-'));
    try {
      expect((await runCli(['analyze', DEMO, '--workers', '0', '--fail-on', 'error'], { cwd: bare })).code).toBe(0);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
