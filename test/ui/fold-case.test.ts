// The explore filter drops the `i` flag (so that V8 may finish a runaway expression on its linear-time engine) and
// matches the lower-cased paths with a rewritten expression instead: it must match exactly the strings that the
// expression with `i` matches, for every text the index can hold (one-byte characters, lower-cased).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { foldCase } from '../../src/ui/explore/fold-case.js';

// Pieces of expressions: letters of both cases, escapes of them, classes with ranges across the cases (and across
// Latin-1's), named groups and their references, anchors and word boundaries.
const PIECES = [
  'a',
  'B',
  'z',
  'Q',
  '\\x41',
  '\\xc3',
  '\\xE3',
  '\\xd7',
  '\\xf7',
  '\\xb5',
  '\\xff',
  '\\xdf',
  '\\u0178',
  '\\u039c',
  '\\u00c9',
  '\\P',
  '\\k',
  '\\d',
  '\\D',
  '\\w',
  '\\W',
  '\\s',
  '\\S',
  '\\b',
  '\\B',
  '\\cJ',
  '\\n',
  '\\.',
  '.',
  '^',
  '$',
  '[A-Z]',
  '[^A-Z]',
  '[a-z]',
  '[^a-f]',
  '[0-Z]',
  '[Z-a]',
  '[\\xc0-\\xde]',
  '[^\\xc0-\\xde]',
  '[\\xd0-\\xe5]',
  '[A\\d]',
  '[^\\W_]',
  '[\\w-]',
  '[a-\\d]',
  '[\\x41-\\x5a]',
  '[\\u0178]',
  '[^\\u039c]',
  '[\\]K]',
  '[]',
  '[^]',
  '[Ä-ä]',
  '(?<Gr>[A-C])',
  '\\k<Gr>',
  '(?:Ab|c)',
  '(x)\\1',
  '+',
  '*',
  '?',
  '{1,2}',
  '|',
  '(?=B)',
  '(?!a)',
];
// Every character the index can hold: one byte, lower-cased.
const TEXT_CHARS = [...Array(256).keys()].map((c) => String.fromCharCode(c)).filter((c) => c.toLowerCase() === c);

const compiles = (source: string, flags: string) => {
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
};

describe('foldCase', () => {
  it('matches the lower-cased text exactly as the expression with the i flag does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 5 }),
        fc.array(
          fc.array(fc.constantFrom(...TEXT_CHARS), { maxLength: 6 }).map((cs) => cs.join('')),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        (pieces, texts) => {
          const source = pieces.join('');
          const withI = compiles(source, 'i');
          const folded = foldCase(source);
          if (!withI || folded === undefined) return;
          const without = compiles(folded, '');
          expect([source, folded, without !== undefined]).toEqual([source, folded, true]);
          // One comparison per expression (an expect per text makes the run minutes long).
          const all = texts.concat(TEXT_CHARS);
          const differ = all.filter((text) => without!.test(text) !== withI.test(text));
          expect([source, folded, differ]).toEqual([source, folded, []]);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('writes letters lower-case, and adds to a class what i lets it match', () => {
    expect(foldCase('^/USR/Lib/.*\\.SO$')).toBe('^/usr/lib/.*\\.so$');
    expect(foldCase('[A-C]x')).toBe('[A-C\\x61\\x62\\x63]x');
    expect(foldCase('[^A-C]')).toBe('[^A-C\\x61\\x62\\x63]');
    expect(foldCase('(?<Name>A)\\k<Name>')).toBe('(?<Name>a)\\k<Name>');
    expect(foldCase('\\xC9\\P\\D')).toBe('\\xe9p\\D');
    // An escape cut short at the end (`\x41` half typed) is the letter and the digits, as the i flag reads it.
    expect(foldCase('\\x4')).toBe('x4');
    expect(foldCase('\\u00')).toBe('u00');
    // An octal escape in a class: its character is not read here, so the caller keeps the i flag.
    expect(foldCase('[\\1-Z]')).toBeUndefined();
  });
});

describe('the explore filter on a runaway expression', () => {
  // `(a+)+$` against a long run of `a` backtracks for ever on V8's default engine, and a synchronous match cannot be
  // interrupted: run compiled (`npm run build` first) in a child that is killed, so that a hang fails the test.
  const state = fileURLToPath(new URL('../../dist/src/ui/explore/state.js', import.meta.url));
  const tree = fileURLToPath(new URL('../../dist/src/analysis/layer-tree.js', import.meta.url));
  /** The lines a module script printed, run in a child killed after `timeout` ms (a hang fails the test). */
  const linesInChild = (script: string, timeout: number): string[] => {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout });
    expect({ status: child.status, signal: child.signal, err: child.stderr }).toEqual({
      status: 0,
      signal: null,
      err: '',
    });
    return child.stdout.trim().split('\n');
  };

  it('finishes (on the linear-time engine), with the answer the expression gives', () => {
    const script = `
      import { filterPattern } from ${JSON.stringify(state)};
      import { matchBelow, pathMatcher } from ${JSON.stringify(tree)};
      const run = 'A'.repeat(5000);
      const paths = ['dir', 'dir/' + run + '!', 'dir/' + run, 'other', 'other/' + run + 'b'];
      const lower = paths.map((p) => p.toLowerCase());
      const starts = new Int32Array(paths.length + 1);
      for (let i = 0; i < paths.length; i++) starts[i + 1] = starts[i] + lower[i].length + 1;
      const index = { paths, lower, text: lower.join('\\0'), starts, end: Int32Array.from([3, 2, 3, 5, 5]),
        id: new Map(paths.map((p, i) => [p, i])) };
      const out = [];
      for (const typed of ['(a+)+$', '^dir/(A+)+$', '(A|a)+b$']) {
        const re = filterPattern(typed);
        const below = matchBelow(index, re);
        const own = pathMatcher(re);
        out.push(typed + ' ' + paths.map((p) => (below(p) ? 1 : 0)).join('') + ' ' + lower.map((p) => (own(p) ? 1 : 0)).join(''));
      }
      console.log(out.join('\\n'));`;
    expect(linesInChild(script, 60_000)).toEqual([
      '(a+)+$ 10100 00100',
      '^dir/(A+)+$ 10100 00100',
      '(A|a)+b$ 00011 00001',
    ]);
  });

  it('reads many copies of a group that repeats inside as text, and says so', () => {
    // `(.*a){25}` tries every way of sharing a name's a's among 25 copies: minutes per path with 24 of them, and V8's
    // linear-time engine refuses more than 16 copies. As a text it finishes; `(.*a){3}` stays an expression.
    const script = `
      import { filterPattern, repeatsRepetition } from ${JSON.stringify(state)};
      import { matchBelow } from ${JSON.stringify(tree)};
      const paths = ['dir', 'dir/' + 'ab'.repeat(24), 'dir/x'];
      const starts = new Int32Array(paths.length + 1);
      for (let i = 0; i < paths.length; i++) starts[i + 1] = starts[i] + paths[i].length + 1;
      const index = { paths, lower: paths, text: paths.join('\\0'), starts, end: Int32Array.from([3, 2, 3]),
        id: new Map(paths.map((p, i) => [p, i])) };
      const out = [];
      for (const typed of ['(.*a){25}', '(?:b.*a){5,}', '((b*a)){3,30}', '(.*a){3}', '[0-9a-f]{64}', '(ab){24}', '\\\\({25}']) {
        const re = filterPattern(typed);
        const below = matchBelow(index, re ?? typed);
        out.push(typed + ' ' + (re ? 'expression' : 'text') + ' ' + repeatsRepetition(typed) + ' ' + paths.map((p) => (below(p) ? 1 : 0)).join(''));
      }
      console.log(out.join('\\n'));`;
    expect(linesInChild(script, 20_000)).toEqual([
      '(.*a){25} text true 000',
      '(?:b.*a){5,} text true 000',
      '((b*a)){3,30} text true 000',
      '(.*a){3} expression false 110',
      '[0-9a-f]{64} expression false 000',
      '(ab){24} expression false 110',
      '\\({25} expression false 000',
    ]);
  });

  it('searches 40,000 paths for an expression that backtracks a little per path in well under a second', () => {
    // `(.*a){4}x` backtracks some hundreds of steps on each path: over the whole joined text at once that passed V8's
    // limit, and the rest of the text went to the linear-time engine (11 s here). Now a window at a time, natively.
    const script = `
      import { filterPattern } from ${JSON.stringify(state)};
      import { matchBelow } from ${JSON.stringify(tree)};
      const paths = [];
      const end = [];
      for (let d = 0; d < 20; d++) {
        end[paths.push('dir' + d) - 1] = paths.length + 2000;
        for (let f = 0; f < 2000; f++) end[paths.push('dir' + d + '/data-' + f + '-banana-x') - 1] = paths.length;
      }
      const starts = new Int32Array(paths.length + 1);
      for (let i = 0; i < paths.length; i++) starts[i + 1] = starts[i] + paths[i].length + 1;
      const index = { paths, lower: paths, text: paths.join('\\0'), starts, end: Int32Array.from(end),
        id: new Map(paths.map((p, i) => [p, i])) };
      for (const typed of ['(.*a){4}x', '(.*a){4}-x', '.*\\\\.so$']) {
        const below = matchBelow(index, filterPattern(typed));
        console.log(typed + ' ' + ['dir0', 'dir19', 'dir19/data-1999-banana-x'].map((p) => (below(p) ? 1 : 0)).join(''));
      }`;
    expect(linesInChild(script, 6_000)).toEqual(['(.*a){4}x 000', '(.*a){4}-x 111', '.*\\.so$ 000']);
  });

  it('reads an expression the linear-time engine cannot finish (a lookaround, a backreference) as text, as dive does', () => {
    // Go's regexp, dive's, takes neither. On V8's backtracking engine alone `(?<!z)(a+)+$` runs for ever on a long run
    // of `a`; as a text, nothing holds it. A count beyond what the linear engine unrolls (`{64}`) stays an expression.
    const script = `
      import { filterPattern } from ${JSON.stringify(state)};
      import { matchBelow, pathMatcher } from ${JSON.stringify(tree)};
      const run = 'a'.repeat(5000);
      const paths = ['dir', 'dir/' + run + '!', 'dir/' + 'b'.repeat(64)];
      const starts = new Int32Array(paths.length + 1);
      for (let i = 0; i < paths.length; i++) starts[i + 1] = starts[i] + paths[i].length + 1;
      const index = { paths, lower: paths, text: paths.join('\\0'), starts, end: Int32Array.from([3, 2, 3]),
        id: new Map(paths.map((p, i) => [p, i])) };
      const out = [];
      for (const typed of ['(?<!z)(a+)+$', '(?=(a+)+$)', '(a+)+!(?=.)|(a)\\\\2', '[\\\\1a]*(a+)+$', 'B{64}$']) {
        const re = filterPattern(typed);
        const below = matchBelow(index, re ?? typed);
        out.push(typed + ' ' + (re ? 'expression' : 'text') + ' ' + paths.map((p) => (below(p) ? 1 : 0)).join('') + ' ' + paths.map((p) => (pathMatcher(re ?? typed)(p) ? 1 : 0)).join(''));
      }
      console.log(out.join('\\n'));`;
    expect(linesInChild(script, 20_000)).toEqual([
      '(?<!z)(a+)+$ text 000 000',
      '(?=(a+)+$) text 000 000',
      '(a+)+!(?=.)|(a)\\2 text 000 000',
      '[\\1a]*(a+)+$ text 000 000',
      'B{64}$ expression 101 001',
    ]);
  });
});
