// Number formats the reporters share.
import { efficiencyPercent, printable } from '../../src/reporters/format.js';

describe('efficiencyPercent', () => {
  it('rounds down, so an image that wastes anything is never 100%', () => {
    // An image with a few MB wasted among gigabytes scores 0.9999982: 100.00% would say nothing is wasted.
    expect(efficiencyPercent(0.9999982)).toBe('99.99%');
    expect(efficiencyPercent(0.9999982, 1)).toBe('99.9%');
    expect(efficiencyPercent(1)).toBe('100.00%');
    expect(efficiencyPercent(0.98442)).toBe('98.44%');
    expect(efficiencyPercent(0.5)).toBe('50.00%');
    expect(efficiencyPercent(0)).toBe('0.00%');
  });

  it('shows a configured limit as written, despite floating point (0.8174 * 10000 is 8173.999...)', () => {
    expect(efficiencyPercent(0.8174)).toBe('81.74%');
    expect(efficiencyPercent(0.29)).toBe('29.00%');
    expect(efficiencyPercent(0.817357)).toBe('81.73%');
  });
});

describe('printable', () => {
  it('shows control characters as \\xHH and keeps tabs, newlines and colour', () => {
    expect(printable('tmp/\x1b]0;PWNED\x07\x1b[2Jevil')).toBe('tmp/\\x1b]0;PWNED\\x07\\x1b[2Jevil');
    expect(printable('a\tb\nc\r\x7f\x9b')).toBe('a\tb\nc\\x0d\\x7f\\x9b');
    expect(printable('\x1b[31mred\x1b[39m plain')).toBe('\x1b[31mred\x1b[39m plain');
    expect(printable('ünïcødé ▸ 日本')).toBe('ünïcødé ▸ 日本');
  });
});
