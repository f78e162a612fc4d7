// The JSON that analyze, diff, bases, ci, inspect and explore print opens with `schemaVersion`, so a script can tell the
// shape it reads: on stdout (--json, --format json), in report files (-o FILE, ci's --output json=FILE) and in ci's JSON
// of a gate that could not run. It had none, and inspect and explore had none after the others got it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const DEMO = join(process.cwd(), 'examples', 'demo', 'demo.tar');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-json-version-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The document's keys, schemaVersion first with its value. */
function opening(text: string): [string, unknown] {
  const json = JSON.parse(text) as Record<string, unknown>;
  const first = Object.keys(json)[0];
  return [first, json[first]];
}

describe('schemaVersion in the JSON results', () => {
  it.each([
    [['analyze', DEMO, '--json']],
    [['analyze', DEMO, '--format', 'json']],
    [['diff', DEMO, DEMO, '--json']],
    [['bases', DEMO, DEMO, '--no-cache', '--json']],
    [['ci', DEMO, '--json']],
    [['ci', DEMO, '--format', 'json']],
    [['inspect', DEMO, '--json']],
    [['explore', DEMO, '--json']],
    [['explore', DEMO, '--format', 'json']],
  ])('%j opens with schemaVersion 1', async (args) => {
    // inspect reads no layer: it has no --workers.
    const workers = args[0] === 'inspect' ? [] : ['--workers', '0'];
    const r = await runCli([...args, ...workers], { cwd: dir, env: { GITHUB_ACTIONS: '' } });
    expect(r.code).toBeLessThan(2);
    expect(opening(r.stdout)).toEqual(['schemaVersion', 1]);
  });

  // explore writes its JSON into a file under -o also without --json (its view needs a terminal).
  it.each([[['inspect', '--json']], [['explore', '--json']], [['explore', '--format', 'json']], [['explore']]])(
    '%j -o FILE writes it into the file too',
    async ([command, ...flags]) => {
      const file = join(dir, `${command}${flags.join('')}.json`);
      const r = await runCli([command, DEMO, ...flags, '-o', file], { cwd: dir });
      expect([r.code, r.stdout]).toEqual([0, '']);
      expect(opening(readFileSync(file, 'utf8'))).toEqual(['schemaVersion', 1]);
    },
  );

  it("ci's --output json=FILE and the JSON of a gate that could not run open with it too", async () => {
    const file = join(dir, 'r.json');
    const r = await runCli(['ci', DEMO, '--workers', '0', '--output', `json=${file}`], {
      cwd: dir,
      env: { GITHUB_ACTIONS: '' },
    });
    expect(r.code).toBe(0);
    expect(opening(readFileSync(file, 'utf8'))).toEqual(['schemaVersion', 1]);
    const failed = await runCli(['ci', join(dir, 'missing.tar'), '--json'], { cwd: dir, env: { GITHUB_ACTIONS: '' } });
    expect(failed.code).toBe(2);
    expect(opening(failed.stdout)).toEqual(['schemaVersion', 1]);
    expect(JSON.parse(failed.stdout)).toMatchObject({ verdict: 'error', exitCode: 2 });
  });
});
