import { KEYS, READS } from '../../src/ui/key-sequences.js';

const ESC = '\u001b';

describe('key sequences', () => {
  test.each([
    ['plain keys one each', 'jq', ['j', 'q']],
    ['an arrow (CSI) is one key, its letter no key of its own', `${ESC}[Aq`, [`${ESC}[A`, 'q']],
    ['PgUp with a parameter and ~', `${ESC}[5~`, [`${ESC}[5~`]],
    ['an SS3 arrow (application mode) is one key', `${ESC}OAq`, [`${ESC}OA`, 'q']],
    ['Esc then a key is two keys', `${ESC}q`, [ESC, 'q']],
    ['a lone Esc', ESC, [ESC]],
    ['Shift+Tab', `${ESC}[Z`, [`${ESC}[Z`]],
  ])('KEYS: %s', (_name, typed, keys) => {
    expect(typed.match(KEYS)).toEqual(keys);
  });

  test.each([
    ['text runs together', 'sql', ['sql']],
    ['a sequence splits the text around it', `ab${ESC}[Bcd`, ['ab', `${ESC}[B`, 'cd']],
    ['Alt+key (Esc and the character after it) is one read', `${ESC}q/x`, [`${ESC}q`, '/x']],
    ['Esc Esc: the second goes with nothing after it', `${ESC}${ESC}`, [`${ESC}${ESC}`]],
    ['a lone Esc at the end', `x${ESC}`, ['x', ESC]],
  ])('READS: %s', (_name, typed, reads) => {
    expect(typed.match(READS)).toEqual(reads);
  });
});
