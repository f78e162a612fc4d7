// Number formats the reporters share.
import { codeSpan } from '../../src/report/code-span.js';
import { storedUncompressedMark } from '../../src/reporters/format.js';
import { printable, printableAs, printableResult } from '../../src/report/printable.js';
import { checkFigures } from '../../src/report/check-figures.js';
import { efficiencyPercent, formatCount, plural } from '../../src/report/figures.js';
import { listed } from '../../src/report/lists.js';
import { colorEnabled } from '../../src/report/color.js';

describe('listed', () => {
  it.each([
    [[], ''],
    [['a'], 'a'],
    [['a', 'b'], 'a and b'],
    [['a', 'b', 'c'], 'a, b and c'],
  ])('%j reads %j', (items, text) => {
    expect(listed(items)).toBe(text);
  });
});

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

describe('checkFigures', () => {
  const bytes = { id: 'maxImageBytes', unit: 'bytes' as const };
  const ratio = { id: 'maxWastedPercent', unit: 'ratio' as const };
  const efficiency = { id: 'minEfficiency', unit: 'ratio' as const };

  it('shows value and limit as the reports do when they read apart', () => {
    expect(checkFigures(bytes, 12_345_678, 10e6)).toEqual({ value: '12.3 MB', limit: '10.0 MB' });
    expect(checkFigures(ratio, 0.1234, 0.1)).toEqual({ value: '12.34%', limit: '10.00%' });
    expect(checkFigures(efficiency, 0.928168, 0.95)).toEqual({ value: '92.81%', limit: '95.00%' });
    expect(checkFigures(bytes, null, null)).toEqual({ value: '-', limit: '-' });
    expect(checkFigures({ id: 'maxLayers', unit: 'count' }, 12, 10)).toEqual({ value: '12', limit: '10' });
  });

  it('gives a value and limit that differ the digits that tell them apart', () => {
    // Bytes print exactly: never "10.0 MB is over the 10.0 MB limit"
    expect(checkFigures(bytes, 10_000_001, 10e6)).toEqual({ value: '10,000,001 B', limit: '10,000,000 B' });
    expect(checkFigures(ratio, 0.100001, 0.1)).toEqual({ value: '10.0001%', limit: '10.0000%' });
    expect(checkFigures(efficiency, 0.928168, 0.928169)).toEqual({ value: '92.8168%', limit: '92.8169%' });
    // Equal numbers stay short
    expect(checkFigures(bytes, 10e6, 10e6)).toEqual({ value: '10.0 MB', limit: '10.0 MB' });
  });

  it("marks a tar size's value (tar), not a share of tar sizes", () => {
    const tar = { id: 'maxGrowthBytes', unit: 'bytes' as const, measure: 'tar' as const };
    const share = { id: 'maxGrowthPercent', unit: 'ratio' as const, measure: 'tar' as const };
    expect(checkFigures(tar, 12_345_678, 10e6)).toEqual({ value: '12.3 MB (tar)', limit: '10.0 MB' });
    expect(checkFigures(share, 0.1234, 0.1)).toEqual({ value: '12.34%', limit: '10.00%' });
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

describe('printable and printableResult with bidirectional controls (report hunt #5)', () => {
  it('show them as \\uHHHH: they would reorder the text after them', () => {
    // Given a name with a right-to-left override, which shows "report.txt  812 kB" as "report.txt  Bk 218"
    const name = 'app/report\u202e.txt \u2066x\u2069 \u200e\u200f\u061c\u202a\u202b\u202c\u202d';
    const shown = 'app/report\\u202e.txt \\u2066x\\u2069 \\u200e\\u200f\\u061c\\u202a\\u202b\\u202c\\u202d';
    expect(printable(name)).toBe(shown);
    expect(printableResult({ [name]: [name] })).toEqual({ [shown]: [shown] });
    // Right-to-left text itself is text
    expect(printable('שלום مرحبا')).toBe('שלום مرحبا');
  });
});

describe('printableResult', () => {
  it('puts every string and key on one line and escapes its control characters, ESC included, in a copy', () => {
    const result = {
      path: 'app/a\nWasted 0 B',
      layers: [{ createdBy: 'RUN make \x1b[8m', bytes: 7, base: true, tag: null }],
      labels: { 'x\x1b[8m': 'v\tw' },
    };
    expect(printableResult(result)).toEqual({
      // A path keeps its newline, shown: made a space it would name another file (`app/a Wasted 0 B`).
      path: 'app/a\\x0aWasted 0 B',
      layers: [{ createdBy: 'RUN make \\x1b[8m', bytes: 7, base: true, tag: null }],
      // A label is exact data like a path: its tab shown, not made a space (`v w` would be another value).
      labels: { 'x\\x1b[8m': 'v\\x09w' },
    });
    // A history step's indentation and heredoc lines read as spaces
    expect(printableResult('RUN set -eux; \\\n\tapt-get update')).toBe('RUN set -eux; \\ apt-get update');
    // The result itself is left as it was (--json prints it after the text report).
    expect(result.path).toBe('app/a\nWasted 0 B');
    expect(printableResult('ünïcødé ▸ 日本')).toBe('ünïcødé ▸ 日本');
    // A message's code spans quote paths: shown as the path is; the prose around them reads as one line.
    expect(printableResult({ message: 'layer 2\noverwrites `/app/new\nline` and ``a`\tb``' })).toEqual({
      message: 'layer 2 overwrites `/app/new\\x0aline` and ``a`\\x09b``',
    });
  });

  it('copies only what it escapes: an already printable result, or part of one, comes back as the same object', () => {
    const clean = {
      path: 'app/a',
      layers: [{ createdBy: 'RUN make', bytes: 7, tags: ['x'], tag: null }],
      labels: { a: 'b' },
      findings: [{ message: 'uses `curl`', location: { file: 'Dockerfile', line: 2 } }],
    };
    expect(printableResult(clean)).toBe(clean);
    const dirty = { ...clean, path: 'app/a\nb' };
    const shown = printableResult(dirty);
    expect(shown).not.toBe(dirty);
    expect(shown.path).toBe('app/a\\x0ab');
    expect(shown.layers).toBe(clean.layers);
    expect(shown.findings).toBe(clean.findings);
    const oneDirty = [clean.layers[0], { createdBy: 'RUN \x1b[8m' }];
    const shownArray = printableResult(oneDirty);
    expect(shownArray).toEqual([clean.layers[0], { createdBy: 'RUN \\x1b[8m' }]);
    expect(shownArray[0]).toBe(clean.layers[0]);
    expect(oneDirty[1]).toEqual({ createdBy: 'RUN \x1b[8m' });
  });

  it('keeps a key named __proto__ as a key (JSON.parse makes one an own property; assigned, it set the prototype)', () => {
    const parsed = JSON.parse('{"__proto__": "x\\ny", "path": "a\\nb"}') as Record<string, unknown>;
    const shown = printableResult(parsed);
    expect(Object.keys(shown)).toEqual(['__proto__', 'path']);
    expect(Object.getPrototypeOf(shown)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(shown, '__proto__')?.value).toBe('x y');
  });
});

describe('printableResult and blanks', () => {
  it('shows the blanks of a path a report would fold or trim, but not the padding of the code span it is in', () => {
    const shown = printableResult({ path: '/data/a ', other: '/p  q', message: `adds ${codeSpan('`a`b ')} here` });
    expect(shown.path).toBe('/data/a\\x20');
    // (not a path: made one line, its spaces as written)
    expect(shown.other).toBe('/p  q');
    expect(shown.message).toBe('adds `` `a`b\\x20 `` here');
  });
});

describe('printableAs', () => {
  it('makes a text format printable and leaves a document as its reporter wrote it', () => {
    expect(printableAs('text', 'a\x7fb')).toBe('a\\x7fb');
    expect(printableAs('json', '"a\x7fb"')).toBe('"a\x7fb"');
  });

  it("lets no line of a text format start a workflow command, but the github format's own (report hunt #4)", () => {
    const text = '  ::add-mask::x=1\n\u00a0\t::warning::y\n\x1b[2m  ::error::z\x1b[22m\nkey ::debug::w\n:single';
    const shown =
      '  \\x3a:add-mask::x=1\n\u00a0\t\\x3a:warning::y\n\x1b[2m  \\x3a:error::z\x1b[22m\nkey ::debug::w\n:single';
    for (const format of ['text', 'markdown', 'stylish']) expect(printableAs(format, text)).toBe(shown);
    expect(printableAs('github', '::error file=Dockerfile,line=1::m')).toBe('::error file=Dockerfile,line=1::m');
  });

  it('lets no line start an Azure Pipelines command, nor hold a ##vso[ one anywhere, in any text format', () => {
    const text =
      '##vso[task.setvariable variable=a]1\n  ##[error]x\n\x1b[2m##[group]y\x1b[22m\npath /a/##VSO[task.prependpath]b\n# ##[ ###vso[';
    const shown =
      '\\x23#vso[task.setvariable variable=a]1\n  \\x23#[error]x\n\x1b[2m\\x23#[group]y\x1b[22m\npath /a/\\x23#VSO[task.prependpath]b\n# ##[ #\\x23#vso[';
    for (const format of ['text', 'markdown', 'stylish']) expect(printableAs(format, text)).toBe(shown);
    // The github format's own commands stay, an Azure one in a message does not
    expect(printableAs('github', '::error file=Dockerfile,line=1::m ##vso[task.complete]')).toBe(
      '::error file=Dockerfile,line=1::m \\x23#vso[task.complete]',
    );
  });
});

describe('colorEnabled', () => {
  const tty = { isTTY: true };
  it('FORCE_COLOR=0 or false turns colour off on a terminal, as Node and chalk read it; other values force it on', () => {
    expect(colorEnabled(tty, {})).toBe(true);
    expect(colorEnabled(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled(tty, { FORCE_COLOR: 'false' })).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled(tty, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });
});

describe('formatCount and plural', () => {
  it('group thousands with commas whatever the locale, and keep small counts and fractions as they are', () => {
    expect([0, 7, 999, 1000, 45123, 1234567, -1234].map(formatCount)).toEqual([
      '0',
      '7',
      '999',
      '1,000',
      '45,123',
      '1,234,567',
      '-1,234',
    ]);
    expect(formatCount(1.5)).toBe('1.5');
    expect(plural(45123, 'file')).toBe('45,123 files');
    expect(plural(1, 'file')).toBe('1 file');
  });
});

describe('storedUncompressedMark', () => {
  it('marks a compressed size that is a tar size, counting the plain layers when only some are', () => {
    expect(storedUncompressedMark({ layers: 3, plainLayers: 0 })).toBe('');
    expect(storedUncompressedMark({ layers: 3, plainLayers: 3 })).toBe(' (stored uncompressed)');
    expect(storedUncompressedMark({ layers: 3, plainLayers: 2 })).toBe(' (2 of 3 layers stored uncompressed)');
  });
});
