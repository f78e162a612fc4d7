// Attribution on images buildah really built from one Dockerfile over a local base (the demo image, whose layer 1
// leaves apt lists and a .deb behind): with --layers (a layer per instruction) and without (the whole build
// committed as one layer). Every output format must point at the same Dockerfile line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoBuildahStore, type BuildahStore } from '../helpers/buildah.js';
import { runCli } from '../helpers/cli.js';
import type { AnalyzeResult } from '../../src/services/analyze.js';

const DOCKERFILE = [
  'FROM localhost/ballast-demo:latest',
  'USER root',
  'ENV DIR=/opt/x',
  'RUN mkdir -p $DIR && head -c 200000 /dev/urandom > $DIR/v.bin',
  'RUN head -c 50000 /dev/urandom > /tmp/h.tar.gz',
  'RUN rm -rf $DIR \\',
  '    && echo removed',
  'CMD ["/app/run.sh"]',
  '',
].join('\n');

// A WORKDIR among the lines committed as one layer: buildah makes its directory in that layer (empty here).
const WORKDIR = [
  'FROM localhost/ballast-demo:latest',
  'USER root',
  'WORKDIR /srv/dir',
  'RUN head -c 200000 /dev/urandom > /tmp/v.bin',
  'RUN head -c 50000 /dev/urandom > /tmp/h.bin',
  'CMD ["/app/run.sh"]',
  '',
].join('\n');

let store: BuildahStore;
let dir: string;

function build(name: string, flags: string[], dockerfile = 'Dockerfile'): string {
  store.build(join(dir, dockerfile), join(dir, 'ctx'), name, flags);
  const tar = join(dir, `${name.replace(/\W/g, '_')}.tar`);
  store.push(name, tar);
  return tar;
}

async function report(tar: string, format: string[], dockerfile = 'Dockerfile'): Promise<string> {
  const r = await runCli(['analyze', tar, '--dockerfile', join(dir, dockerfile), ...format]);
  expect(r.stderr).toBe('');
  return r.stdout;
}

beforeAll(() => {
  store = demoBuildahStore('attr-build');
  dir = store.dir;
  mkdirSync(join(dir, 'ctx'));
  writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
  writeFileSync(join(dir, 'Dockerfile.workdir'), WORKDIR);
}, 120_000);

afterAll(() => store?.cleanup());

describe('attribution of images built by buildah', () => {
  it('--layers: each layer its line, base-layer findings at the final FROM, in text, JSON and markdown', async () => {
    const tar = build('localhost/attr:layers', ['--layers']);
    const json = JSON.parse(await report(tar, ['--json'])) as AnalyzeResult;
    expect(json.attribution).toMatchObject({ matched: true, from: { line: 1 } });
    expect(json.summary.base).toMatchObject({ layers: 6, source: 'dockerfile' });
    expect(json.layers.map((l) => l.instruction?.line)).toEqual([...new Array(6).fill(undefined), 4, 5, 6]);
    const at = (code: string) => json.findings.find((f) => f.code === code)?.location as { line?: number };
    // The apt lists are in the base's layer 1: the line that brought them is the FROM (a slimmer base).
    expect(at('IM001').line).toBe(1);
    expect(at('IM002').line).toBe(1);
    expect(at('IM003').line).toBe(4);
    const text = await report(tar, []);
    expect(text).toMatch(/IM001 600 kB \S+Dockerfile:1 apt package lists/);
    expect(text).toMatch(/IM003 200 kB \S+Dockerfile:4 layer 6 \(line 4\)/);
    const md = await report(tar, ['--format', 'markdown']);
    expect(md).toMatch(/\| IM001 apt-lists-in-image \| `\S+Dockerfile:1 \(layer 1\)` \|/);
  }, 120_000);

  it('without --layers: the one layer the build made is its RUN lines, not the CMD that closed it', async () => {
    const tar = build('localhost/attr:one', []);
    const json = JSON.parse(await report(tar, ['--json'])) as AnalyzeResult;
    expect(json.summary.base.layers).toBe(6);
    expect(json.layers).toHaveLength(7);
    expect(json.layers[6].instruction).toMatchObject({ line: 4, endLine: 7, keyword: 'RUN', merged: 3 });
    expect(json.layers[6].instruction!.text).not.toContain('CMD');
    // Named by its span: any of the three RUNs may have written a file of it.
    const text = await report(tar, []);
    expect(text).toMatch(/^6 .*Dockerfile:4-7 RUN mkdir -p \$DIR/m);
    // So are its findings: the archive left in /tmp came from line 5, not from the span's first line.
    const left = json.findings.find(
      (f) => f.code === 'IM002' && f.location.kind === 'image' && f.location.layerIndex === 6,
    );
    expect(left?.location).toMatchObject({ line: 4, endLine: 7, merged: 3 });
    expect(text).toMatch(/IM002 50\.0 kB \S+Dockerfile:4-7 `\/tmp\/h\.tar\.gz` \(50\.0 kB\).* layer 6 \(lines 4-7\)/);
    const md = await report(tar, ['--format', 'markdown']);
    expect(md).toMatch(/\| IM002 package-cache-in-image \| `\S+Dockerfile:4-7 \(layer 6\)` \|/);
    // The gate names the layer and the finding the same way, in its budgets' places as in its "Fix first" list.
    const ci = await runCli([
      'ci',
      tar,
      '--dockerfile',
      join(dir, 'Dockerfile'),
      '--max-layer-bytes',
      '1000',
      '--fail-on',
      'warning',
    ]);
    expect(ci.code).toBe(1);
    expect(ci.stdout).toMatch(/^\s+\S+Dockerfile:4-7 \(layer 6\) +\S+ \S+ \(tar\) +RUN mkdir/m);
    expect(ci.stdout).toMatch(/^\s+\S+Dockerfile:4-7 \(layer 6\) +50\.0 kB +IM002/m);
    expect(ci.stdout).not.toMatch(/Dockerfile:4 \(layer 6\)/);
  }, 120_000);

  it('without --layers: a WORKDIR before the RUN lines is in the span (its directory is in the layer)', async () => {
    const tar = build('localhost/attr:workdir', [], 'Dockerfile.workdir');
    const json = JSON.parse(await report(tar, ['--json'], 'Dockerfile.workdir')) as AnalyzeResult;
    expect(json.layers).toHaveLength(7);
    expect(json.layers[6].instruction).toMatchObject({ line: 3, endLine: 5, keyword: 'WORKDIR', merged: 3 });
    expect(await report(tar, [], 'Dockerfile.workdir')).toMatch(
      /^6 .*Dockerfile\.workdir:3-5 WORKDIR \/srv\/dir ; RUN/m,
    );
  }, 120_000);
});
