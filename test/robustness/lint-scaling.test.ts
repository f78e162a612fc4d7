// `lint` must do work in proportion to the Dockerfile, not to its square: the hostile-input hunt found 20,000 RUN lines
// taking minutes (each RUN split the whole text again for DF016's join fix, and each cleanup fix re-parsed the whole
// file). These tests count the work instead of timing it, so a loaded machine cannot make them flaky: how often a
// string as long as the whole file is split (a whole-file pass) while one file is linted. That count grows with the
// number of instructions when some step redoes whole-file work per instruction.
import { lintText } from '../../src/lint/engine.js';
import { loadDockerfileRules } from '../../rules/index.js';
import type { DockerfileRule } from '../../src/report/rule.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { analyzeStages, MAX_SUBSTITUTED_LENGTH, TRUNCATED_MARKER } from '../../src/dockerfile/stages.js';
import { DockerfileParser } from 'dockerfile-ast';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let rules: DockerfileRule[];
beforeAll(async () => {
  rules = await loadDockerfileRules();
});

/** Lints `text` and counts the splits of strings at least as long as it (whole-file passes). */
function wholeFileSplits(text: string): number {
  const split = String.prototype.split;
  let count = 0;
  String.prototype.split = function (this: string, ...args: Parameters<typeof split>) {
    if (this.length >= text.length) count += 1;
    return split.apply(this, args);
  } as typeof split;
  try {
    lintText(text, 'Dockerfile', rules, { readContextFile: () => undefined });
  } finally {
    String.prototype.split = split;
  }
  return count;
}

/** Lints `text` and counts the RegExps built while doing so. */
function regExpsBuilt(text: string): number {
  const Original = RegExp;
  let count = 0;
  const Counting = function (...args: ConstructorParameters<typeof RegExp>) {
    count += 1;
    return new Original(...args);
  };
  Counting.prototype = Original.prototype;
  Object.setPrototypeOf(Counting, Original);
  globalThis.RegExp = Counting as unknown as RegExpConstructor;
  try {
    lintText(text, 'Dockerfile', rules, { readContextFile: () => undefined });
  } finally {
    globalThis.RegExp = Original;
  }
  return count;
}

/** Lints `text` and counts the callbacks `Array.prototype.find` runs (a search of all instructions for each finding). */
function findCallbacks(text: string): number {
  const find = Array.prototype.find;
  let count = 0;
  Array.prototype.find = function (this: unknown[], predicate: (v: unknown, i: number, a: unknown[]) => unknown) {
    return find.call(this, (v: unknown, i: number, a: unknown[]) => {
      count += 1;
      return predicate(v, i, a);
    });
  } as typeof find;
  try {
    lintText(text, 'Dockerfile', rules, { readContextFile: () => undefined });
  } finally {
    Array.prototype.find = find;
  }
  return count;
}

/** Lints `text` and counts the callbacks `Array.prototype.some` runs. */
function someCallbacks(text: string): number {
  const some = Array.prototype.some;
  let count = 0;
  Array.prototype.some = function (this: unknown[], predicate: (v: unknown, i: number, a: unknown[]) => unknown) {
    return some.call(this, (v: unknown, i: number, a: unknown[]) => {
      count += 1;
      return predicate(v, i, a);
    });
  } as typeof some;
  try {
    lintText(text, 'Dockerfile', rules, { readContextFile: () => undefined });
  } finally {
    Array.prototype.some = some;
  }
  return count;
}

/** Lints `text` and counts the callbacks `Array.prototype.filter` runs (a pass over all earlier instructions shows). */
function filterCallbacks(text: string): number {
  const filter = Array.prototype.filter;
  let count = 0;
  Array.prototype.filter = function (this: unknown[], predicate: (v: unknown, i: number, a: unknown[]) => unknown) {
    return filter.call(this, (v: unknown, i: number, a: unknown[]) => {
      count += 1;
      return predicate(v, i, a);
    });
  } as typeof filter;
  try {
    lintText(text, 'Dockerfile', rules, { readContextFile: () => undefined });
  } finally {
    Array.prototype.filter = filter;
  }
  return count;
}

describe('lint work grows with the Dockerfile, not with its square', () => {
  // Each case at 500 and 2,000 repetitions: a whole-file pass per instruction shows as 4x the count.
  const wholeFile: [string, (n: number) => string][] = [
    ['short RUNs (DF016 offers to join each to the one before)', (n) => `FROM debian:12\n${'RUN echo hi\n'.repeat(n)}`],
    [
      'RUNs whose cleanup fix is re-parsed to check it',
      (n) => `FROM debian:12\n${'RUN apt-get install -y curl\n'.repeat(n)}`,
    ],
  ];
  it.each(wholeFile)('%s: a fixed number of whole-file passes', (_, make) => {
    const small = wholeFileSplits(make(500));
    const large = wholeFileSplits(make(2000));
    expect(large).toBeLessThanOrEqual(small);
    expect(large).toBeLessThan(20);
  });

  it('one ENV of many pairs builds a RegExp per pair at most (DF221 tried each earlier name on each value)', () => {
    const env = (n: number): string =>
      `FROM debian:12\nENV ${Array.from({ length: n }, (_, i) => `A${i}=$X`).join(' ')}\n`;
    // Trying each earlier name on each value built 800 * 799 / 2 of them.
    expect(regExpsBuilt(env(800))).toBeLessThan(800);
  });

  it('wget on every line: no pass over all earlier RUNs per wget (DF224 looked for apk and apt in each)', () => {
    const file = (n: number): string => `FROM debian:12\n${'RUN wget http://x/y\n'.repeat(n)}`;
    const small = filterCallbacks(file(500));
    const large = filterCallbacks(file(2000));
    expect(large).toBeLessThan(small * 6);
  });

  it('COPY then chmod, many times: no pass over all earlier COPYs per chmod (DF014 filtered them all)', () => {
    const file = (n: number): string =>
      `FROM debian:12\n${Array.from({ length: n }, (_, i) => `COPY a${i} /app/a${i}\nRUN chmod 644 /app/a${i}\n`).join('')}`;
    const small = filterCallbacks(file(250));
    const large = filterCallbacks(file(1000));
    expect(large).toBeLessThan(small * 6);
  });

  it('COPY then chown -R of what it wrote, many times: the fix checks earlier instructions once, not per COPY', () => {
    const file = (n: number): string =>
      `FROM debian:12\nRUN useradd app\n${Array.from({ length: n }, (_, i) => `COPY a${i} /d${i}\nRUN chown -R app:app /d${i}\n`).join('')}`;
    const small = filterCallbacks(file(250));
    const large = filterCallbacks(file(1000));
    expect(large).toBeLessThan(small * 6);
  });

  it('deletes far from the RUN that made the files: the fix reads a bounded stretch between them (DF015)', () => {
    const file = (n: number): string => {
      const names = Array.from({ length: n }, (_, i) => `/a${String(i).padStart(5, '0')}`);
      return `FROM debian:12\nRUN touch ${names.join(' ')}\n${names.map((p) => `RUN rm ${p}\n`).join('')}`;
    };
    const small = someCallbacks(file(500));
    const large = someCallbacks(file(2000));
    expect(large).toBeLessThan(small * 6);
  });

  it('a finding on every line and a pragma: no search of all instructions per finding', () => {
    const file = (n: number): string => `# hadolint global ignore=DL3008\nFROM debian:12\n${'RUN echo hi\n'.repeat(n)}`;
    const small = findCallbacks(file(500));
    const large = findCallbacks(file(2000));
    expect(large).toBeLessThan(small * 6);
  });
});

/**
 * The heap the stage model of `text` holds, after a full collection each side. Heap bytes after GC are a count of what
 * is kept alive, not a timing: a loaded machine does not change them.
 */
function stageModelBytes(text: string): number {
  // Set for the one context made here, then unset: left on, every test file this worker runs next would have a global
  // gc() (test/ui/settle-heap.test.ts checks that jest's context has none).
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  const parsed = parseDockerfile(text, 'Dockerfile');
  gc();
  const before = process.memoryUsage().heapUsed;
  const model = analyzeStages(parsed);
  gc();
  const after = process.memoryUsage().heapUsed;
  // Keeps the model alive until measured.
  expect(model.variablesAt).toHaveLength(parsed.instructions.length);
  return after - before;
}

describe('ARG and ENV values', () => {
  it('instructions share ARG/ENV scopes: the model grows with the ARGs, not with their square', () => {
    const file = (n: number): string =>
      `FROM debian:12\n${Array.from({ length: n }, (_, i) => `ARG A${i}=${i}\n`).join('')}RUN echo $A0\n`;
    const model = analyzeStages(parseDockerfile(file(3), 'Dockerfile'));
    expect(model.variablesAt[4]).toEqual({ A0: '0', A1: '1', A2: '2' });
    expect(model.variablesAt[2]).toEqual({ A0: '0' });
    // A copy of every name at each ARG held 2,000 * 2,001 / 2 entries for 2,000 ARGs: 84 MB. Shared, they take about
    // 1.5 MB (under 1 kB an ARG). The bound is per ARG, not a ratio of two measurements: the heap measured after a
    // collection still moves by a few hundred kB with what else the process did (a CI run once measured 500 ARGs at
    // 127 kB and 2,000 at 1.47 MB, 11x for 4x), and a ratio of a small, noisy number fails for no reason.
    expect(stageModelBytes(file(2000))).toBeLessThan(2000 * 4096);
  });

  it('a value doubled line after line is cut at the cap, with the marker', () => {
    const lines = ['FROM debian:12', 'ARG A=aaaaaaaaaa', 'ARG A0=${A}${A}'];
    for (let i = 1; i <= 20; i += 1) lines.push(`ARG A${i}=\${A${i - 1}}\${A${i - 1}}`);
    lines.push('RUN echo $A20');
    const parsed = parseDockerfile(`${lines.join('\n')}\n`, 'Dockerfile');
    const value = analyzeStages(parsed).variablesAt[parsed.instructions.length - 1].A20 ?? '';
    expect(value.length).toBe(MAX_SUBSTITUTED_LENGTH + TRUNCATED_MARKER.length);
    expect(value.endsWith(`a${TRUNCATED_MARKER}`)).toBe(true);
    expect(() => lintText(parsed.text, 'Dockerfile', rules)).not.toThrow();
  });

  it('build-context lookups: once per name, not once per pair of instructions (DF069 stat()ed per COPY per chmod)', () => {
    let lookups = 0;
    const contextEntry = (): 'file' => {
      lookups += 1;
      return 'file';
    };
    const text = `FROM debian:12\n${'COPY a /app/a\nRUN chmod +x /app/a\n'.repeat(500)}`;
    lintText(text, 'Dockerfile', rules, { readContextFile: () => undefined, contextEntry });
    expect(lookups).toBeLessThan(10);
  });
});

describe('one very long RUN', () => {
  /**
   * Parses `text` and counts the positions dockerfile-ast works out in it: two for each word each time it splits an
   * instruction's arguments into words (with a range per word).
   */
  function positionsWorkedOut(text: string): number {
    const probe = DockerfileParser.parse('FROM a').getInstructions()[0] as unknown as { document: object };
    const proto = Object.getPrototypeOf(probe.document) as { positionAt: (offset: number) => unknown };
    const positionAt = proto.positionAt;
    let count = 0;
    proto.positionAt = function (this: unknown, offset: number) {
      count += 1;
      return positionAt.call(this, offset);
    };
    try {
      parseDockerfile(text, 'Dockerfile');
    } finally {
      proto.positionAt = positionAt;
    }
    return count;
  }

  it('dockerfile-ast splits its arguments into words once, not once per question asked of them', () => {
    // A 3 MB RUN took 7-16 s and 0.9-1.9 GB, most of it dockerfile-ast splitting the RUN into 1.5 million words (a
    // range each) nine times over while it built the two instructions it makes of the line (the first to look for
    // heredocs): for its flags, its JSON form, its heredocs...
    const words = 10_000;
    const count = positionsWorkedOut(`FROM debian:12\nRUN echo ${'a '.repeat(words)}\n`);
    expect(count).toBeGreaterThanOrEqual(2 * words);
    // Nine splits before: 180,030.
    expect(count).toBeLessThan(3 * words);
  });
});
