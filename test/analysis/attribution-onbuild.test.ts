// Layers made by a base image's ONBUILD triggers, on images really built by buildah and by the classic Docker builder
// (a private dockerd): the user's FROM ran the triggers, so their bytes are the user's and point at that FROM line,
// with the trigger named. The base (built FROM the demo image) declares `ONBUILD RUN` writing 3 MB and
// `ONBUILD COPY`; the child adds one RUN of its own.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoBuildahStore, type BuildahStore } from '../helpers/buildah.js';
import { runCli } from '../helpers/cli.js';
import { startDockerd, type Dockerd } from '../helpers/dockerd.js';
import type { AnalyzeResult } from '../../src/services/analyze.js';

const BASE = [
  'FROM localhost/ballast-demo:latest',
  'USER root',
  'RUN echo base > /base.txt',
  'ONBUILD RUN head -c 3000000 /dev/urandom > /trigger.bin',
  'ONBUILD COPY data.bin /app/data.bin',
  'CMD ["sh"]',
  '',
].join('\n');

const CHILD = [
  'FROM localhost/onbase:latest',
  'RUN head -c 100000 /dev/urandom > /own.bin',
  'CMD ["/bin/true"]',
  '',
].join('\n');
// The whole build is the base's triggers.
const ONLY_FROM = 'FROM localhost/onbase:latest\n';

let store: BuildahStore;
let dir: string;

async function analyze(tar: string, dockerfile: string, format: string[] = ['--json']): Promise<string> {
  const r = await runCli(['analyze', tar, '--dockerfile', join(dir, dockerfile), ...format]);
  expect(r.stderr).toBe('');
  return r.stdout;
}

/** The checks every builder's layer-per-step image must pass: base 7 layers, then RUN trigger, COPY trigger, RUN. */
async function expectTriggersAreTheUsers(tar: string): Promise<void> {
  const json = JSON.parse(await analyze(tar, 'Dockerfile.child')) as AnalyzeResult;
  expect(json.attribution).toMatchObject({ matched: true, from: { line: 1 } });
  expect(json.summary.base).toMatchObject({ layers: 7, source: 'dockerfile' });
  expect(json.summary.user.layers).toBe(3);
  // 3 MB from the RUN trigger, 300 kB from the COPY trigger, 100 kB from the build's own RUN.
  expect(json.summary.user.fileBytes).toBe(3_400_000);
  expect(json.layers.map((l) => l.instruction?.line)).toEqual([...new Array(7).fill(undefined), 1, 1, 2]);
  expect(json.layers.map((l) => l.base)).toEqual([...new Array(7).fill(true), false, false, false]);
  expect(json.layers[7].instruction).toMatchObject({
    keyword: 'FROM',
    onbuild: 'RUN head -c 3000000 /dev/urandom > /trigger.bin',
  });
  expect(json.layers[8].instruction).toMatchObject({ keyword: 'FROM', onbuild: 'COPY data.bin /app/data.bin' });
  const text = await analyze(tar, 'Dockerfile.child', []);
  expect(text).toMatch(/Layers +10 \(7 base, 3 yours\)/);
  // The table cuts the long temp path's line short; the JSON above names the trigger.
  expect(text).toMatch(/^7 +3\.00 MB .*Dockerfile\.child:1 FROM localhost\/onbase/m);
  expect(text).toMatch(/^8 +300 kB .*Dockerfile\.child:1 FROM localhost\/onbase/m);
  const md = await analyze(tar, 'Dockerfile.child', ['--format', 'markdown']);
  expect(md).toMatch(
    /\| 8 \| 300 kB \| 1 \| {2}\| `\S+Dockerfile\.child:1` `FROM localhost\/onbase:latest \(ONBUILD COPY data\.bin/,
  );
}

beforeAll(() => {
  store = demoBuildahStore('attr-onbuild');
  dir = store.dir;
  mkdirSync(join(dir, 'ctx'));
  writeFileSync(join(dir, 'ctx', 'data.bin'), Buffer.alloc(300_000, 7));
  writeFileSync(join(dir, 'Dockerfile.base'), BASE);
  writeFileSync(join(dir, 'Dockerfile.child'), CHILD);
  writeFileSync(join(dir, 'Dockerfile.only'), ONLY_FROM);
  // The docker format keeps ONBUILD (the OCI config has no place for it).
  store.build(join(dir, 'Dockerfile.base'), join(dir, 'ctx'), 'localhost/onbase:latest', [
    '--layers',
    '--format',
    'docker',
  ]);
}, 120_000);

afterAll(() => store?.cleanup());

describe('ONBUILD trigger layers (buildah)', () => {
  function build(dockerfile: string, tag: string, flags: string[]): string {
    store.build(join(dir, dockerfile), join(dir, 'ctx'), tag, ['--format', 'docker', ...flags]);
    const tar = join(dir, `${tag.replace(/\W/g, '_')}.tar`);
    store.push(tag, tar);
    return tar;
  }

  it('--layers: each trigger layer is the user’s, at the FROM line, in JSON, text and markdown', async () => {
    await expectTriggersAreTheUsers(build('Dockerfile.child', 'localhost/onchild:layers', ['--layers']));
  }, 120_000);

  it('one layer: the triggers and the RUN, from the FROM line on', async () => {
    const json = JSON.parse(
      await analyze(build('Dockerfile.child', 'localhost/onchild:one', []), 'Dockerfile.child'),
    ) as AnalyzeResult;
    expect(json.summary.base.layers).toBe(7);
    expect(json.layers).toHaveLength(8);
    // Three instructions made the layer: both triggers and the build's own RUN.
    expect(json.layers[7].instruction).toMatchObject({ line: 1, endLine: 2, keyword: 'FROM', merged: 3 });
    expect(json.layers[7].instruction!.text).toMatch(/^FROM \S+ \(ONBUILD RUN .* ; ONBUILD COPY .*\) ; RUN head/);
  }, 120_000);

  it('one layer made by the triggers alone: two instructions, told by the FROM line (not as `1-1`)', async () => {
    const tar = build('Dockerfile.only', 'localhost/onlyfrom:one', []);
    const json = JSON.parse(await analyze(tar, 'Dockerfile.only')) as AnalyzeResult;
    expect(json.layers[7].instruction).toMatchObject({ line: 1, endLine: 1, keyword: 'FROM', merged: 2 });
    const text = await analyze(tar, 'Dockerfile.only', []);
    expect(text).toMatch(/^7 +3\.30 MB .*Dockerfile\.only:1 FROM localhost\/onbase/m);
  }, 120_000);

  it('a Dockerfile that is only the FROM: the trigger layers are still the user’s', async () => {
    const json = JSON.parse(
      await analyze(build('Dockerfile.only', 'localhost/onlyfrom:layers', ['--layers']), 'Dockerfile.only'),
    ) as AnalyzeResult;
    expect(json.attribution?.matched).toBe(true);
    expect(json.summary.base.layers).toBe(7);
    expect(json.layers.slice(7).map((l) => [l.instruction?.line, l.instruction?.onbuild?.split(' ')[0]])).toEqual([
      [1, 'RUN'],
      [1, 'COPY'],
    ]);
  }, 120_000);
});

describe('ONBUILD trigger layers (classic Docker builder)', () => {
  let dockerd: Dockerd;
  beforeAll(async () => {
    dockerd = await startDockerd({ experimental: true });
    const baseTar = join(dir, 'onbase-docker.tar');
    store.push('localhost/onbase:latest', baseTar);
    await dockerd.docker('load', '-i', baseTar);
  }, 120_000);
  afterAll(async () => dockerd?.stop());

  /** The child built by the classic builder (`DOCKER_BUILDKIT=0`), saved to a docker-archive. */
  async function classicBuild(tag: string, extra: string[] = []): Promise<string> {
    process.env.DOCKER_BUILDKIT = '0';
    try {
      const args = ['-q', ...extra, '--network', 'none', '-f', join(dir, 'Dockerfile.child'), '-t', tag];
      await dockerd.docker('build', ...args, join(dir, 'ctx'));
    } finally {
      delete process.env.DOCKER_BUILDKIT;
    }
    const tar = join(dir, `${tag.replace(/\W/g, '-')}.tar`);
    await dockerd.docker('save', '-o', tar, tag);
    return tar;
  }

  it('each trigger layer is the user’s, at the FROM line', async () => {
    await expectTriggersAreTheUsers(await classicBuild('localhost/onchild:classic'));
  }, 120_000);

  it('--squash: the one layer the build made is the triggers and the RUN, the base keeps its 7 layers', async () => {
    const tar = await classicBuild('localhost/onchild:squash', ['--squash']);
    const json = JSON.parse(await analyze(tar, 'Dockerfile.child')) as AnalyzeResult;
    expect(json.attribution?.matched).toBe(true);
    expect(json.summary.base).toMatchObject({ layers: 7, source: 'dockerfile' });
    expect(json.summary.user).toMatchObject({ layers: 1, fileBytes: 3_400_000 });
    expect(json.layers[7].instruction).toMatchObject({ line: 1, endLine: 2, keyword: 'FROM', merged: 3 });
    expect(json.layers[7].instruction!.text).toMatch(/^FROM \S+ \(ONBUILD RUN .* ; ONBUILD COPY .*\) ; RUN head/);
  }, 120_000);
});
