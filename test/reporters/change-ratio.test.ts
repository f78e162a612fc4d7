// A change against a small size: past ten times the old size a percentage reads absurdly (+868099% for a 262 B
// current base), so `bases` and `diff` give the new size as a multiple of the old instead.
import { deltaCell } from '../../src/reporters/bases-view.js';
import { percentText } from '../../src/reporters/diff-text.js';

describe('bases: the change against the current base', () => {
  it.each([
    // With two decimals, as diff and ci give a change: in whole percents a 0.4% saving read -0%
    [6_000_000, 10_000_000, '-4.00 MB (-40.00%)'],
    [15_000_000, 10_000_000, '+5.00 MB (+50.00%)'],
    [9_960_000, 10_000_000, '-40.0 kB (-0.40%)'],
    [10_000_300, 10_000_000, '+300 B (+0.003%)'],
    [100_000_000, 10_000_000, '+90.0 MB (+900.00%)'],
    [101_000_000, 10_000_000, '+91.0 MB (10.1x)'],
    [2_274_758, 262, '+2.27 MB (8,682x)'],
    [0, 262, '-262 B (-100.00%)'],
  ])('%d B against %d B: %s', (value, reference, text) => {
    expect(deltaCell(value, reference, false)).toBe(text);
  });

  it('gives no ratio against an empty base', () => {
    expect(deltaCell(1000, 0, false)).toBe('+1.00 kB');
  });
});

// The same percentages as bases gives above (-40.00%, +900.00%, 10.1x, 8,682x), written out rather than computed with
// the function under test.
describe('diff: the percentage of a change', () => {
  it.each([
    [null, '-'],
    // With two decimals, as ci prints the same growth (`maxGrowthPercent 172.46%`).
    [-40, '-40.00%'],
    [172.4638, '+172.46%'],
    [0.0036, '+0.004%'],
    // Below 1e-6 too, in decimals (a byte of a 164 MB image read -6e-7%), rounding up into the next digit.
    [-6.1e-7, '-0.0000006%'],
    [9.6e-7, '+0.000001%'],
    [3e-9, '+0.000000003%'],
    [0.0096, '+0.01%'],
    [900, '+900.00%'],
    [910, '10.1x'],
    [868_099, '8,682x'],
  ])('%p: %s', (percent, text) => {
    expect(percentText(percent)).toBe(text);
  });
});
