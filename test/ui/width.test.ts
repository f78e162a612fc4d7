// Terminal columns as the explore view counts them to cut and pad its lines (ink lays boxes out by the same count).
import { columns, cutToColumns } from '../../src/ui/explore/width.js';

describe('terminal columns of a name', () => {
  it.each([
    ['plain.txt', 9],
    ['日本語.txt', 10],
    ['emoji-🐳.bin', 12],
    ['cafe\u0301', 4], // e + combining acute: one column
    ['👨‍👩‍👧', 2], // one ZWJ family glyph
    ['🇯🇵', 2],
    ['1\u20e3', 2],
    ['한국어', 6],
    ['ｱｲｳ', 3], // halfwidth katakana
    ['→ ▸ … ·', 7], // ambiguous: narrow, as ink counts them
  ])('%s takes %i', (text, width) => {
    expect(columns(text)).toBe(width);
  });

  it('cuts whole characters, never half of a wide one or of a surrogate pair, and marks the cut', () => {
    expect(cutToColumns('文件一个很长', 6)).toBe('文件…');
    expect(cutToColumns('文件一个很长', 7)).toBe('文件一…');
    expect(cutToColumns('ab🐳cd', 4)).toBe('ab…');
    expect(cutToColumns('日本', 4)).toBe('日本');
    expect(cutToColumns('abcdef', 4)).toBe('abc…');
    expect(cutToColumns('abc', 0)).toBe('');
  });
});
