// Attribution on buildah-built images whose Dockerfiles are shaped as real ones are: a final stage built FROM an
// earlier stage, a COPY --from, an unused stage, comment lines inside a continued RUN, an ADD of a local tar.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoBuildahStore, type BuildahStore } from '../helpers/buildah.js';
import { runCli } from '../helpers/cli.js';
import { packTar } from '../helpers/tar.js';
import type { AnalyzeResult } from '../../src/services/analyze.js';

const STAGES = [
  'FROM localhost/ballast-demo:latest AS build',
  'USER root',
  'RUN head -c 100000 /dev/urandom > /b1.bin',
  'COPY a.txt /a.txt',
  '',
  'FROM localhost/ballast-demo:latest AS unused',
  'RUN head -c 5000 /dev/urandom > /unused.bin',
  '',
  'FROM localhost/ballast-demo:latest AS helper',
  'USER root',
  'RUN head -c 6000 /dev/urandom > /helper.bin',
  '',
  'FROM build AS final',
  'ENV X=1',
  'RUN head -c 20000 /dev/urandom > /f.bin',
  'COPY --from=helper /helper.bin /h.bin',
  'RUN rm /b1.bin',
  '',
].join('\n');

const CONTINUED = [
  'FROM localhost/ballast-demo:latest',
  'USER root',
  'ARG DEST=/opt/data',
  'LABEL a=b',
  'WORKDIR /tmp',
  'ADD t.tar /opt/',
  'COPY a.txt ${DEST}/a.txt',
  'RUN echo one \\',
  '# why the next line is there',
  '    && head -c 10000 /dev/urandom > /c.bin',
  'ENV Y=2',
  'RUN head -c 7000 /dev/urandom > $DEST/z.bin',
  '',
].join('\n');

let store: BuildahStore;

async function report(tar: string, file: string): Promise<AnalyzeResult> {
  const r = await runCli(['analyze', tar, '--dockerfile', file, '--json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as AnalyzeResult;
}

async function analyze(name: string, dockerfile: string, flags: string[]): Promise<AnalyzeResult> {
  const file = join(store.dir, name);
  writeFileSync(file, dockerfile);
  const tag = `localhost/attr-${name.toLowerCase()}:latest`;
  store.build(file, join(store.dir, 'ctx'), tag, flags);
  store.push(tag, join(store.dir, `${name}.tar`));
  return report(join(store.dir, `${name}.tar`), file);
}

const attributed = (result: AnalyzeResult) =>
  result.layers.map((l) => l.instruction && [l.instruction.line, l.instruction.endLine, l.instruction.text]);

beforeAll(async () => {
  store = demoBuildahStore('attr-stages');
  mkdirSync(join(store.dir, 'ctx'));
  writeFileSync(join(store.dir, 'ctx', 'a.txt'), 'hi\n');
  writeFileSync(
    join(store.dir, 'ctx', 't.tar'),
    await packTar([{ name: 'tdir/blob', content: Buffer.alloc(30000, 7) }]),
  );
}, 120_000);

afterAll(() => store?.cleanup());

describe('attribution of multi-stage and continued Dockerfiles (buildah)', () => {
  it('without --layers, a final stage FROM an earlier one: each stage layer is the span of its own lines', async () => {
    // buildah commits the build stage as one layer and the final stage as another; each used to be blamed on its last
    // line alone (the COPY, the `RUN rm`), as if the lines above it had made nothing.
    const result = await analyze('Stages', STAGES, []);
    expect(result.attribution).toMatchObject({ matched: true });
    expect(result.summary.base.layers).toBe(6);
    expect(attributed(result).slice(6)).toEqual([
      [3, 4, 'RUN head -c 100000 /dev/urandom > /b1.bin ; COPY a.txt /a.txt'],
      [15, 17, 'RUN head -c 20000 /dev/urandom > /f.bin ; COPY --from=helper /helper.bin /h.bin ; RUN rm /b1.bin'],
    ]);
  }, 120_000);

  it('--layers: the text is the line as written, flags kept and comment lines of a continuation dropped', async () => {
    const stages = await analyze('StagesLayers', STAGES, ['--layers']);
    expect(attributed(stages).slice(6)).toEqual([
      [3, 3, 'RUN head -c 100000 /dev/urandom > /b1.bin'],
      [4, 4, 'COPY a.txt /a.txt'],
      [15, 15, 'RUN head -c 20000 /dev/urandom > /f.bin'],
      [16, 16, 'COPY --from=helper /helper.bin /h.bin'],
      [17, 17, 'RUN rm /b1.bin'],
    ]);
    const continued = await analyze('Continued', CONTINUED, ['--layers']);
    expect(continued.summary.base.layers).toBe(6);
    expect(attributed(continued).slice(6)).toEqual([
      [6, 6, 'ADD t.tar /opt/'],
      [7, 7, 'COPY a.txt ${DEST}/a.txt'],
      [8, 10, 'RUN echo one && head -c 10000 /dev/urandom > /c.bin'],
      [12, 12, 'RUN head -c 7000 /dev/urandom > $DEST/z.bin'],
    ]);
  }, 180_000);

  it('a Dockerfile edited since the build: its lines still point at their layers, none of the build taken for the base', async () => {
    // Built from CONTINUED, then its COPY line deleted and an ENV added: the ADD's layer used to be counted as a base
    // layer (8 base layers, the ADD line unattributed), as if the FROM had brought in the tar.
    await analyze('Edited', CONTINUED, ['--layers']);
    const edited = CONTINUED.replace('COPY a.txt ${DEST}/a.txt\n', '').replace('ENV Y=2\n', 'ENV Y=2\nENV W=3\n');
    writeFileSync(join(store.dir, 'Edited'), edited);
    const result = await report(join(store.dir, 'Edited.tar'), join(store.dir, 'Edited'));
    expect(result.attribution).toMatchObject({ matched: true });
    expect(result.summary.base.layers).toBe(6);
    expect(result.layers.slice(6).map((l) => l.instruction?.line)).toEqual([6, undefined, 7, 12]);
  }, 120_000);
});
