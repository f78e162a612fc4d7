// Attribution on images the classic Docker builder (DOCKER_BUILDKIT=0, a private dockerd) really built over the demo
// image. That builder commits every RUN/COPY/ADD as a layer of its own, except a RUN that changed nothing, which it
// records as an empty step: such a step is not a build committed as one layer.
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startDockerd, type Dockerd } from '../helpers/dockerd.js';
import type { AnalyzeResult } from '../../src/services/analyze.js';

const NOOP = [
  'FROM localhost/ballast-demo:latest',
  'USER root',
  'RUN true',
  'RUN head -c 3000 /dev/urandom > /x.bin',
  'RUN true',
  'COPY a.txt /a.txt',
  'RUN true',
  'RUN head -c 2000 /dev/urandom > /y.bin',
  '',
].join('\n');

// After a SHELL whose flags are joined (`-ec`) or split (`-e -c`), the classic builder records a RUN as that shell's
// argv then the script, and a metadata step as the argv then `#(nop)`.
const SHELLS = [
  'FROM localhost/ballast-demo:latest',
  'USER root',
  'RUN head -c 1000 /dev/urandom > /a.bin',
  'SHELL ["/bin/sh", "-ec"]',
  'RUN head -c 2000 /dev/urandom > /b.bin',
  'COPY a.txt /a.txt',
  'ENV X=1',
  'SHELL ["sh", "-e", "-c"]',
  'RUN head -c 3000 /dev/urandom > /c.bin',
  'COPY a.txt /c.txt',
  '',
].join('\n');

// An exec-form RUN is recorded as its argv joined by spaces, with no shell in front.
const EXEC = [
  'FROM localhost/ballast-demo:latest',
  'USER root',
  'RUN head -c 1000 /dev/urandom > /a.bin',
  'RUN ["cp", "/a.bin", "/b.bin"]',
  'RUN head -c 3000 /dev/urandom > /c.bin',
  'RUN ["sh", "-c", "head -c 4000 /dev/urandom > /d.bin"]',
  '',
].join('\n');

// `--target app`: the image holds the first stage's chain, which the last stage repeats after a RUN of its own.
const TARGET = [
  'FROM localhost/ballast-demo:latest AS app',
  'USER root',
  'RUN head -c 1000 /dev/urandom > /a.bin',
  'COPY a.txt /a.txt',
  '',
  'FROM localhost/ballast-demo:latest AS other',
  'USER root',
  'RUN head -c 9 /dev/urandom > /other.bin',
  'RUN head -c 1000 /dev/urandom > /a.bin',
  'COPY a.txt /a.txt',
  '',
].join('\n');

let dockerd: Dockerd;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ballast-attr-classic-'));
  mkdirSync(join(dir, 'ctx'));
  writeFileSync(join(dir, 'ctx', 'a.txt'), 'hi\n');
  dockerd = await startDockerd();
  await dockerd.docker('load', '-i', resolve('examples/demo/demo.tar'));
}, 120_000);

afterAll(async () => {
  await dockerd?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** `name`'s Dockerfile built by the classic builder, saved to a docker-archive and analyzed with it. */
async function analyze(name: string, dockerfile: string, flags: string[] = []): Promise<AnalyzeResult> {
  const file = join(dir, name);
  writeFileSync(file, dockerfile);
  const tag = `localhost/attr-classic-${name.toLowerCase()}:latest`;
  process.env.DOCKER_BUILDKIT = '0';
  try {
    await dockerd.docker('build', '-q', '--network', 'none', '-f', file, '-t', tag, ...flags, join(dir, 'ctx'));
  } finally {
    delete process.env.DOCKER_BUILDKIT;
  }
  const tar = join(dir, `${name}.tar`);
  await dockerd.docker('save', '-o', tar, tag);
  const r = await runCli(['analyze', tar, '--dockerfile', file, '--json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as AnalyzeResult;
}

const lines = (result: AnalyzeResult) =>
  result.layers.map((l) => l.instruction && [l.instruction.line, l.instruction.endLine]);

describe('attribution of images built by the classic builder', () => {
  it('a RUN that changed nothing (an empty step) is not merged into the next layer', async () => {
    // Each layer used to be blamed on the span from the `RUN true` above it (3-4, 5-6, 7-8), as if the build had been
    // committed as one layer.
    const result = await analyze('Noop', NOOP);
    expect(result.attribution).toMatchObject({ matched: true });
    expect(result.summary.base.layers).toBe(6);
    expect(lines(result).slice(6)).toEqual([
      [4, 4],
      [6, 6],
      [8, 8],
    ]);
    expect(result.layers[8].instruction!.text).toBe('RUN head -c 2000 /dev/urandom > /y.bin');
  }, 120_000);

  it('after a SHELL with other flags, each RUN, COPY and metadata step is read as such', async () => {
    // The RUNs after `SHELL ["/bin/sh", "-ec"]` were not recognised as RUNs and the whole attribution failed; after
    // `-e -c` the COPY's `/bin/sh -e -c #(nop) COPY` step was not a COPY and its layer had no line.
    const result = await analyze('Shells', SHELLS);
    expect(result.attribution).toMatchObject({ matched: true });
    expect(result.summary.base.layers).toBe(6);
    expect(lines(result).slice(6)).toEqual([
      [3, 3],
      [5, 5],
      [6, 6],
      [9, 9],
      [10, 10],
    ]);
  }, 120_000);

  it('an exec-form RUN is matched to its line, and the shell-form RUNs around it to theirs', async () => {
    // Each shell-form RUN's layer used to be given the exec-form line after it, and the exec-form layers none.
    const result = await analyze('Exec', EXEC);
    expect(result.attribution).toMatchObject({ matched: true });
    expect(result.summary.base.layers).toBe(6);
    expect(lines(result).slice(6)).toEqual([
      [3, 3],
      [4, 4],
      [5, 5],
      [6, 6],
    ]);
  }, 120_000);

  it("an image built with --target an earlier stage: that stage's lines and FROM", async () => {
    // Lined up with the last stage, the layers were given lines 9 and 10 and base-layer findings its FROM (line 6).
    const result = await analyze('Target', TARGET, ['--target', 'app']);
    expect(result.attribution).toMatchObject({ matched: true, from: { line: 1 } });
    expect(result.summary.base.layers).toBe(6);
    expect(lines(result).slice(6)).toEqual([
      [3, 3],
      [4, 4],
    ]);
  }, 120_000);
});
