// The budgets that count only "your layers" (maxLayerBytes, maxWastedPercent) agree on which layers those are: the
// summary's user layers (above the Dockerfile's FROM, above --base's, else above the first layer as dive's user
// wasted percent counts them). A one-layer image with no Dockerfile has none, and both budgets say why.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ci } from '../../src/services/ci.js';

// dive's fixture: one layer (COPY README.md, 11189 bytes), built FROM scratch by Dockerfile.minimal.
const ONE_LAYER = resolve('test/fixtures/dive/test-oci-uncompressed-image.tar');
const DOCKERFILE = resolve('test/fixtures/dive/Dockerfile.minimal');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-your-layers-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gate = (dockerfile?: string) =>
  ci({
    image: ONE_LAYER,
    cwd: dir,
    workers: 0,
    ...(dockerfile ? { dockerfile } : {}),
    overrides: [
      { key: 'maxWastedPercent', value: '10%', source: '--max-wasted-percent' },
      { key: 'maxLayerBytes', value: '0', source: '--max-layer-bytes' },
    ],
  });
const byId = (checks: { id: string; status: string; message: string }[]) =>
  Object.fromEntries(checks.map((c) => [c.id, c]));

describe('your layers, for maxLayerBytes and maxWastedPercent', () => {
  it('without a Dockerfile, the only layer is the base for both budgets, and both say so', async () => {
    const r = await gate();
    const checks = byId(r.checks);
    expect(checks.maxLayerBytes).toMatchObject({ status: 'skip', value: null });
    expect(checks.maxWastedPercent).toMatchObject({ status: 'skip', value: null });
    for (const id of ['maxLayerBytes', 'maxWastedPercent'])
      expect(checks[id].message).toMatch(
        /no layers of yours: yours are the layers above the first.*--dockerfile or --base/,
      );
    expect(r.exitCode).toBe(0);
    // analyze's JSON has no share either, as the check skips.
    expect(r.summary.user.wastedPercent).toBeNull();
  });

  it('with the Dockerfile (FROM scratch), the layer is yours for both budgets', async () => {
    const r = await gate(DOCKERFILE);
    const checks = byId(r.checks);
    expect(checks.maxLayerBytes).toMatchObject({ status: 'fail', value: r.summary.user.uncompressedBytes });
    expect(checks.maxWastedPercent).toMatchObject({ status: 'pass', value: 0 });
    expect(r.summary.user.layers).toBe(1);
    expect(r.summary.user.wastedPercent).toBe(r.checks.find((c) => c.id === 'maxWastedPercent')!.value);
  });
});
