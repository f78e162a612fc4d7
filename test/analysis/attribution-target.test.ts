// Attribution of an image built with `--target` a stage that is not the file's last, by buildah: the history holds
// that stage's chain only. Lined up with the last stage instead, layers were given the lines of a stage that never
// ran (one whose RUN and COPY read the same as the target's), and the target's FROM was not the one named.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoBuildahStore, type BuildahStore } from '../helpers/buildah.js';
import { runCli } from '../helpers/cli.js';
import type { AnalyzeResult } from '../../src/services/analyze.js';

const DOCKERFILE = [
  'FROM localhost/ballast-demo:latest AS app',
  'USER root',
  'RUN mkdir -p /t && head -c 12000 /dev/urandom > /t/a',
  'COPY hello.txt /t/hello',
  'CMD ["/bin/sh"]',
  '',
  'FROM app AS debug',
  'RUN head -c 500 /dev/urandom > /t/debug',
  '',
  '# Another image from the same file, last: the same two lines after one of its own.',
  'FROM localhost/ballast-demo:latest AS other',
  'USER root',
  'RUN head -c 99 /dev/urandom > /other',
  'RUN mkdir -p /t && head -c 12000 /dev/urandom > /t/a',
  'COPY hello.txt /t/hello',
  'CMD ["/bin/sh"]',
  '',
].join('\n');

let store: BuildahStore;
let dir: string;

async function analyze(tag: string, flags: string[]): Promise<AnalyzeResult> {
  store.build(join(dir, 'Dockerfile'), join(dir, 'ctx'), tag, flags);
  const tar = join(dir, `${tag.replace(/\W/g, '_')}.tar`);
  store.push(tag, tar);
  const r = await runCli(['analyze', tar, '--dockerfile', join(dir, 'Dockerfile'), '--json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as AnalyzeResult;
}

beforeAll(() => {
  store = demoBuildahStore('attr-target');
  dir = store.dir;
  mkdirSync(join(dir, 'ctx'));
  writeFileSync(join(dir, 'ctx', 'hello.txt'), 'hi\n');
  writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
}, 120_000);

afterAll(() => store?.cleanup());

describe('attribution of an image built with --target', () => {
  it('a stage before the last: its own lines and its FROM, not those of a later stage that reads alike', async () => {
    const json = await analyze('localhost/attr:target', ['--layers', '--target', 'app']);
    expect(json.attribution).toMatchObject({ matched: true, from: { line: 1 } });
    expect(json.summary.base.layers).toBe(6);
    expect(json.layers.map((l) => l.instruction?.line)).toEqual([...new Array(6).fill(undefined), 3, 4]);
  }, 120_000);

  it('without --layers: the one layer is the target stage span', async () => {
    const json = await analyze('localhost/attr:target-one', ['--target', 'app']);
    expect(json.attribution).toMatchObject({ matched: true, from: { line: 1 } });
    expect(json.layers[6].instruction).toMatchObject({ line: 3, endLine: 4, merged: 2 });
  }, 120_000);

  it('a stage built FROM another: the lines of both', async () => {
    const json = await analyze('localhost/attr:debug', ['--layers', '--target', 'debug']);
    expect(json.attribution).toMatchObject({ matched: true, from: { line: 1 } });
    expect(json.layers.map((l) => l.instruction?.line)).toEqual([...new Array(6).fill(undefined), 3, 4, 8]);
  }, 120_000);

  it('the last stage, built without --target: lined up with the last stage as before', async () => {
    const json = await analyze('localhost/attr:other', ['--layers']);
    expect(json.attribution).toMatchObject({ matched: true, from: { line: 11 } });
    expect(json.layers.map((l) => l.instruction?.line)).toEqual([...new Array(6).fill(undefined), 13, 14, 15]);
  }, 120_000);
});
