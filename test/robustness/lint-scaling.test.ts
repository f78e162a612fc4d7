// `lint` must do work in proportion to the Dockerfile, not to its square: the hostile-input hunt found 20,000 RUN lines
// taking minutes (each RUN split the whole text again for DF016's join fix, and each cleanup fix re-parsed the whole
// file). These tests count the work instead of timing it, so a loaded machine cannot make them flaky: how often a
// string as long as the whole file is split (a whole-file pass) while one file is linted. That count grows with the
// number of instructions when some step redoes whole-file work per instruction.
import { lintText } from '../../src/lint/engine.js';
import { loadDockerfileRules } from '../../rules/index.js';
import type { DockerfileRule } from '../../src/report/rule.js';

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
});
