import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { applyEdits } from '../../src/lint/fixer.js';
import { deleteMatches } from '../../src/lint/helpers.js';

/** The Dockerfile after deleting each match of `pattern` in its RUN, read across continuations. */
function deleted(lines: string[], pattern: RegExp): string {
  const text = lines.join('\n');
  const parsed = parseDockerfile(text, 'Dockerfile');
  return applyEdits(
    text,
    deleteMatches(
      parsed,
      parsed.instructions.find((i) => i.keyword === 'RUN')!,
      pattern,
      true,
    ),
  ).text;
}

describe('deleteMatches across line continuations', () => {
  // A line's escape and line break go together or not at all: the escape alone would end the instruction, the line
  // break alone would escape the next line's first character.
  it.each([
    ['a cut ending in the tail stops before the escape', ['RUN a --x \\', '  b'], / --x[ \t]*/g, ['RUN a\\', '  b']],
    ['a cut over the line break takes the escape', ['RUN a && \\', '  b'], /a && \s*/g, ['RUN b']],
    ['a cut starting in the tail takes the escape', ['RUN a\\', '  --x'], /\s+\n\s*--x/g, ['RUN a']],
    ['a cut that is all tail is none', ['RUN a \\', '  b'], /(?<= ) +(?=\n)/g, ['RUN a \\', '  b']],
    // The builder would read the next instruction as part of this one.
    [
      'no cut leaves a continued-onto line blank',
      ['RUN a \\', '  --x', 'CMD c'],
      /(?<=\n)\s*--x/g,
      ['RUN a \\', '  --x', 'CMD c'],
    ],
    [
      'no cut leaves a line past a comment line blank',
      ['RUN a \\', '# x', '  --x', 'CMD c'],
      /^\s*--x/g,
      ['RUN a \\', '# x', '  --x', 'CMD c'],
    ],
  ])('%s', (_, lines, pattern, after) => {
    for (const escape of ['\\', '`']) {
      const swap = (l: string): string => l.replace('\\', escape);
      expect(deleted([`# escape=${escape}`, 'FROM a', ...lines.map(swap)], pattern)).toBe(
        [`# escape=${escape}`, 'FROM a', ...after.map(swap)].join('\n'),
      );
    }
  });
});
