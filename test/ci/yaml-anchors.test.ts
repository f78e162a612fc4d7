// YAML anchors and merge keys in config files, as GitLab CI users write them: `<<: *strict` in a ci.images block (and
// in dive's .dive-ci), with the anchored defaults kept under a top-level `x-` key, which is otherwise ignored.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ci } from '../../src/services/ci.js';
import { runCli } from '../helpers/cli.js';

const FIXTURE = resolve('test/fixtures/dive/test-docker-image.tar');

const ANCHORED = `x-strict: &strict
  maxWastedBytes: 1MB
  failOn: none
ci:
  maxWastedBytes: 1B
  images:
    "**/test-docker-image.tar": {<<: *strict, maxImageBytes: 2GB}
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-anchors-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('YAML merge keys and x- keys', () => {
  it('ci: a per-image block merged from an anchor under x- takes the anchored budgets and its own', async () => {
    writeFileSync(join(dir, '.ballast.yaml'), ANCHORED);
    const r = await ci({ image: FIXTURE, cwd: dir, workers: 0 });
    const byId = Object.fromEntries(r.checks.map((c) => [c.id, c]));
    // The image's block: 1MB from the anchor (not the top-level 1B), 2GB of its own
    expect(byId.maxWastedBytes).toMatchObject({ status: 'pass', limit: 1e6 });
    expect(byId.maxImageBytes).toMatchObject({ status: 'pass', limit: 2e9 });
    expect(r.verdict).toBe('pass');
  });

  it('.dive-ci: merge keys are read, as dive reads them', async () => {
    writeFileSync(
      join(dir, '.dive-ci'),
      'defaults: &defaults\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20Mb\nrules:\n  <<: *defaults\n  highestUserWastedPercent: 0.4\n',
    );
    const r = await ci({ image: FIXTURE, cwd: dir, workers: 0 });
    expect(r.checks.filter((c) => c.id !== 'failOn').map((c) => [c.id, c.limit])).toEqual([
      ['lowestEfficiency', 0.95],
      ['highestWastedBytes', 20e6],
      ['highestUserWastedPercent', 0.4],
    ]);
  });

  it('lint reads the same file; an unknown top-level key without x- is still an error', async () => {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine:3.20\nUSER 1000\nCMD ["true"]\n');
    writeFileSync(join(dir, '.ballast.yaml'), ANCHORED);
    const ok = await runCli(['lint', 'Dockerfile'], { cwd: dir });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    writeFileSync(join(dir, '.ballast.yaml'), 'strict: &strict {failOn: none}\n');
    const bad = await runCli(['lint', 'Dockerfile'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/strict is not a known key/);
  });

  it('the JSON schema accepts x- keys and still refuses other unknown ones', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(
      JSON.parse(readFileSync('schema/ballast.schema.json', 'utf8')),
    );
    expect(validate(parseYaml(ANCHORED, { merge: true }))).toBe(true);
    expect(validate({ strict: { failOn: 'none' } })).toBe(false);
  });
  it('aliases that expand too far (a "billion laughs" file) are refused as that, not as a syntax error to fix', async () => {
    // The parser caps alias expansion; its refusal read "is not valid YAML ... fix the YAML syntax at the position
    // shown", for a file with no syntax error and no position.
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
    ])
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine:3.20\n');
    writeFileSync(join(dir, '.ballast.yaml'), `${levels.join('\n')}\n`);
    for (const args of [
      ['lint', 'Dockerfile'],
      ['ci', FIXTURE],
    ]) {
      const run = await runCli(args, { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /^error: \S*\.ballast\.yaml expands its YAML aliases too many times to read \(hint: [^\n]*\)\n$/,
      );
    }
  });
});
