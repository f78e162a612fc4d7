// maxLayerBytes and maxImageBytes measure layers by their uncompressed tar size, a little more than the file bytes
// analyze's layer table shows, and the growth budgets the growth of the sum of those: the checks say so in a field of
// their own (`measure: 'tar'`), their message marks the size `(tar)`, and every format of `ballast ci` says the same
// about the same budget.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderCiMarkdown } from '../../src/reporters/ci-markdown.js';
import { renderCiText } from '../../src/reporters/ci-text.js';
import { loadReporter } from '../../src/reporters/index.js';
import { ci, type CiResult } from '../../src/services/ci.js';
import { formatBytes } from '../../src/report/figures.js';

// dive's fixture: one layer, built FROM scratch by Dockerfile.minimal, so the layer is yours.
const ONE_LAYER = resolve('test/fixtures/dive/test-oci-uncompressed-image.tar');
const DOCKERFILE = resolve('test/fixtures/dive/Dockerfile.minimal');

let dir: string;
let r: CiResult;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-tar-sizes-'));
  r = await ci({
    image: ONE_LAYER,
    cwd: dir,
    workers: 0,
    dockerfile: DOCKERFILE,
    overrides: [
      { key: 'maxLayerBytes', value: '0', source: '--max-layer-bytes' },
      { key: 'maxImageBytes', value: '0', source: '--max-image-bytes' },
      { key: 'maxWastedBytes', value: '1GB', source: '--max-wasted-bytes' },
    ],
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const check = (id: string) => r.checks.find((c) => c.id === id)!;

describe('tar sizes of the layer budgets', () => {
  it.each([
    // [budget, its measure, how its message starts]
    ['maxLayerBytes', 'tar', 'biggest layer of yours SIZE (tar) is over the 0 B limit'],
    ['maxImageBytes', 'tar', 'uncompressed image size SIZE (tar) is over the 0 B limit'],
    ['maxWastedBytes', undefined, 'wasted bytes 0 B is within the 1.00 GB limit'],
  ])('%s: measure %s, message %j', (id, measure, message) => {
    const c = check(id);
    expect(c.measure).toBe(measure);
    expect(c.message.startsWith(message.replaceAll('SIZE', formatBytes(c.value!)))).toBe(true);
  });

  // One size, one mark: the text, Markdown and machine formats all write the layer budget's figure as a tar size.
  it.each(['text', 'markdown', 'json', 'junit', 'sarif', 'github', 'codeclimate', 'checkstyle'])(
    '%s marks the layer budget\'s size "(tar)"',
    async (format) => {
      const text =
        format === 'text'
          ? renderCiText(r, { color: false })
          : format === 'markdown'
            ? renderCiMarkdown(r)
            : format === 'json'
              ? JSON.stringify(r)
              : (await loadReporter(format))(r.report, { color: false, cwd: dir, root: dir });
      const size = formatBytes(check('maxLayerBytes').value!);
      expect(text).toContain(`${size} (tar)`);
      // Never the bare size where a layer budget's figure or place names it.
      expect(text).not.toMatch(
        new RegExp(`(yours|uncompressed image size|layer 0,) ${size.replace('.', '\\.')}(?! \\(tar\\))`),
      );
    },
  );
});

describe('tar sizes of the growth budgets', () => {
  let grown: CiResult;
  let growth: number;
  beforeAll(async () => {
    // Given a baseline of the same image, rewritten to half its size, so the image grew by the other half
    const saved = join(dir, 'baseline.json');
    await ci({ image: ONE_LAYER, cwd: dir, workers: 0, dockerfile: DOCKERFILE, saveBaseline: saved });
    const baseline = JSON.parse(readFileSync(saved, 'utf8'));
    growth = baseline.summary.uncompressedBytes - Math.floor(baseline.summary.uncompressedBytes / 2);
    baseline.summary.uncompressedBytes -= growth;
    writeFileSync(saved, JSON.stringify(baseline));
    grown = await ci({
      image: ONE_LAYER,
      cwd: dir,
      workers: 0,
      dockerfile: DOCKERFILE,
      baseline: saved,
      overrides: [
        { key: 'maxGrowthBytes', value: '0', source: '--max-growth-bytes' },
        { key: 'maxGrowthPercent', value: '0%', source: '--max-growth-percent' },
      ],
    });
  });
  const growthCheck = (id: string) => grown.checks.find((c) => c.id === id)!;

  it.each([
    // [budget, how its message starts: the grown bytes are a tar size, the percentage that of the tar size]
    ['maxGrowthBytes', 'uncompressed size +SIZE (tar, +PCT) against the baseline '],
    ['maxGrowthPercent', 'uncompressed size +SIZE (tar, +PCT) against the baseline '],
  ])('%s: measure tar, message %j', (id, message) => {
    const c = growthCheck(id);
    expect(c).toMatchObject({ status: 'fail', measure: 'tar' });
    const ratio = grown.baseline!.uncompressed.ratio!;
    expect(c.message).toMatch(
      new RegExp(
        `^${message
          .replace('SIZE', formatBytes(growth))
          .replace('PCT', `${(ratio * 100).toFixed(2)}%`)
          .replace(/[.()+]/g, '\\$&')}`,
      ),
    );
  });

  // A limit of 0 means none allowed: "SIZE is SIZE over the 0 B limit" said the size twice, and "+0 B is within the
  // 0 B limit" read as if some growth were allowed.
  it('words a limit of 0 as none allowed, failed or met', async () => {
    const grew = formatBytes(growth);
    expect(growthCheck('maxGrowthBytes').message).toMatch(
      /\) is over the 0 B limit, which allows no growth \(maxGrowthBytes\)$/,
    );
    expect(growthCheck('maxGrowthPercent').message).toMatch(
      /\) is over the 0\.00% limit, which allows no growth \(maxGrowthPercent\)$/,
    );
    expect(growthCheck('maxGrowthBytes').message).not.toContain(`${grew} over`);
    const layer = check('maxLayerBytes');
    expect(layer.message).toBe(
      `biggest layer of yours ${formatBytes(layer.value!)} (tar) is over the 0 B limit, which allows none (maxLayerBytes)`,
    );
    // Met: the same image as its own baseline, nothing wasted
    const same = join(dir, 'same.json');
    await ci({ image: ONE_LAYER, cwd: dir, workers: 0, saveBaseline: same });
    const met = await ci({
      image: ONE_LAYER,
      cwd: dir,
      workers: 0,
      baseline: same,
      overrides: [
        { key: 'maxGrowthBytes', value: '0', source: '--max-growth-bytes' },
        { key: 'maxWastedBytes', value: '0', source: '--max-wasted-bytes' },
      ],
    });
    const metCheck = (id: string) => met.checks.find((c) => c.id === id)!;
    expect(metCheck('maxWastedBytes')).toMatchObject({
      status: 'pass',
      message: 'wasted bytes 0 B: none, as the 0 B limit requires (maxWastedBytes)',
    });
    expect(metCheck('maxGrowthBytes').status).toBe('pass');
    expect(metCheck('maxGrowthBytes').message).toMatch(/: no growth, as the 0 B limit requires \(maxGrowthBytes\)$/);
  });

  // The bytes budget's figure is a tar size in its table cell too; the percentage's cell is a share, left unmarked.
  it.each([
    ['text', /^FAIL\s+maxGrowthBytes\s+SIZE \(tar\)\s+0 B\s/m, /^FAIL\s+maxGrowthPercent\s+[\d.]+%\s+0\.00%\s/m],
    ['markdown', /`maxGrowthBytes` .*\| SIZE \(tar\) \| 0 B \|/, /`maxGrowthPercent` .*\| [\d.]+% \| 0\.00% \|/],
  ])("%s: the growth budgets' table cells", (format, bytesRow, percentRow) => {
    const text = format === 'text' ? renderCiText(grown, { color: false }) : renderCiMarkdown(grown);
    expect(text).toMatch(new RegExp(bytesRow.source.replace('SIZE', formatBytes(growth).replace('.', '\\.')), 'm'));
    expect(text).toMatch(percentRow);
  });

  // Every other format carries the message, which says it: the JSON check has the field as well.
  it.each(['json', 'junit', 'sarif', 'github', 'codeclimate', 'checkstyle'])(
    '%s says the growth is of the tar size',
    async (format) => {
      const text =
        format === 'json'
          ? JSON.stringify(grown)
          : (await loadReporter(format))(grown.report, { color: false, cwd: dir, root: dir });
      for (const id of ['maxGrowthBytes', 'maxGrowthPercent'])
        expect(text).toMatch(new RegExp(`\\+${formatBytes(growth).replace('.', '\\.')} \\(tar, .*\\(${id}\\)`));
    },
  );
});
