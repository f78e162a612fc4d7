import { exceedsGrowth, growthOf, parseBytes, parseGrowthLimit, parseRatio } from '../../src/analysis/growth.js';

describe('size and ratio texts', () => {
  test.each([
    ['1234', 1234],
    [1234, 1234],
    ['500MB', 500e6],
    ['500 mb', 500e6],
    ['1.5GiB', 1.5 * 2 ** 30],
    ['64MiB', 64 * 2 ** 20],
    ['10kB', 10_000],
    ['2G', 2e9],
    // The exponent form, as a YAML number would be written: a flag or variable takes it too
    ['1e9', 1e9],
    ['1.5e3MB', 1.5e9],
    // What a .dive-ci takes (go-humanize's forms) is a size everywhere
    ['20Mi', 20 * 2 ** 20],
    ['1,000', 1000],
    ['1,000,000.5', 1_000_001],
    ['1,000 KB', 1e6],
    ['1PB', 1e15],
    ['2 pib', 2 * 2 ** 50],
    ['3Ki', 3072],
  ])('parseBytes(%p) = %p', (text, bytes) => expect(parseBytes(text)).toBe(bytes));

  test.each([
    '',
    'MB',
    '-5MB',
    '5 parsecs',
    'e9',
    '1e',
    null,
    {},
    -1,
    Number.NaN,
    '1e400',
    '99999999999999999999TB',
    Number.POSITIVE_INFINITY,
    '1EB',
    '20 M B',
    '20MBs',
    '1.2.3',
    // A decimal comma is not read as a thousands separator (dive would make 1,5GB fifteen)
    '1,5GB',
    '10,00',
    '1,0000',
  ])('parseBytes(%p) is undefined', (text) => expect(parseBytes(text)).toBeUndefined());

  test.each([
    ['10%', 0.1],
    ['0.1', 0.1],
    [0.9, 0.9],
    ['150%', 1.5],
  ])('parseRatio(%p) = %p', (text, ratio) => expect(parseRatio(text)).toBeCloseTo(ratio as number, 12));

  test.each(['ten', '%', '-10%', '10%%'])('parseRatio(%p) is undefined', (text) =>
    expect(parseRatio(text)).toBeUndefined(),
  );
});

describe('growth limits', () => {
  test('bytes and percent', () => {
    expect(parseGrowthLimit('50MB')).toEqual({ kind: 'bytes', bytes: 50e6, text: '50MB' });
    expect(parseGrowthLimit('10%')).toEqual({ kind: 'ratio', ratio: 0.1, text: '10%' });
    expect(parseGrowthLimit('lots')).toBeUndefined();
  });

  test('over, at and under the limit', () => {
    const tenPercent = parseGrowthLimit('10%')!;
    expect(exceedsGrowth(growthOf(1000, 1101), tenPercent)).toBe(true);
    expect(exceedsGrowth(growthOf(1000, 1100), tenPercent)).toBe(false);
    expect(exceedsGrowth(growthOf(1000, 10), tenPercent)).toBe(false);
    const hundred = parseGrowthLimit('100')!;
    expect(exceedsGrowth(growthOf(1000, 1101), hundred)).toBe(true);
    expect(exceedsGrowth(growthOf(1000, 1100), hundred)).toBe(false);
  });

  test('growth from nothing is over any ratio; shrinking never is', () => {
    expect(growthOf(0, 5)).toEqual({ before: 0, after: 5, bytes: 5, ratio: null });
    expect(exceedsGrowth(growthOf(0, 5), parseGrowthLimit('1000%')!)).toBe(true);
    expect(exceedsGrowth(growthOf(0, 0), parseGrowthLimit('0%')!)).toBe(false);
    expect(growthOf(200, 100).ratio).toBe(-0.5);
  });
});
