// ENV / LABEL / ARG pairs as the builder reads them (src/dockerfile/words.ts readPairs).
import { readPairs } from '../../src/dockerfile/words.js';

describe('readPairs', () => {
  it.each([
    [
      'A=1 B="two words"',
      [
        ['A', '1', '', '1'],
        ['B', 'two words', '', '"two words"'],
      ],
    ],
    [
      'A=$X B=${Y:-z}',
      [
        ['A', '$X', '$X', '$X'],
        ['B', '${Y:-z}', '${Y:-z}', '${Y:-z}'],
      ],
    ],
    // single-quoted and escaped dollars are literal: nothing to expand
    [
      "A='$X' B=\\$Y",
      [
        ['A', '$X', '', "'$X'"],
        ['B', '$Y', '', '\\$Y'],
      ],
    ],
    // in double quotes `\\` is one backslash and the `$X` after it still expands
    ['A="\\\\$X"', [['A', '\\$X', '$X', '"\\\\$X"']]],
    ['A="say \\"hi\\""', [['A', 'say "hi"', '', '"say \\"hi\\""']]],
    ['A=x\\ y', [['A', 'x y', '', 'x\\ y']]],
    ['A', [['A', '', '', '']]],
    ['NAME value with  spaces $V', [['NAME', 'value with  spaces $V', '$V', 'value with  spaces $V']]],
    [
      'A=1 lone',
      [
        ['A', '1', '', '1'],
        ['lone', '', '', ''],
      ],
    ],
    ['', []],
  ])('%s', (text, pairs) => {
    expect(readPairs(text).map((p) => [p.key, p.value, p.expandable, p.raw])).toEqual(pairs);
  });

  it('reads a backslash as a plain character under `# escape=`` (Windows paths)', () => {
    expect(readPairs('PATH=C:\\Windows\\system32;$PATH', '`')).toEqual([
      { key: 'PATH', value: 'C:\\Windows\\system32;$PATH', expandable: '$PATH', raw: 'C:\\Windows\\system32;$PATH' },
    ]);
    expect(readPairs('A=`$X B=x` y', '`').map((p) => [p.key, p.value, p.expandable])).toEqual([
      ['A', '$X', ''],
      ['B', 'x y', ''],
    ]);
  });
});
