// compareHistory: the configs' history entries compared in order, empty-layer steps included.
import { compareHistory } from '../../src/analysis/compare.js';

const h = (...steps: (string | [string, 'empty'])[]) => ({
  history: steps.map((s) => (typeof s === 'string' ? { created_by: s } : { created_by: s[0], empty_layer: true })),
});

describe('compareHistory', () => {
  it('finds a changed ENV between equal steps, and a step that only changed place', () => {
    const d = compareHistory(
      h('ADD a /', ['ENV X=1', 'empty'], 'RUN build', 'RUN test', ['CMD ["a"]', 'empty']),
      h('ADD a /', ['CMD ["a"]', 'empty'], ['ENV X=2', 'empty'], 'RUN build', 'RUN test'),
    );
    expect(d.removed.map((s) => [s.index, s.instruction])).toEqual([
      [1, 'ENV X=1'],
      [4, 'CMD ["a"]'],
    ]);
    expect(d.added.map((s) => [s.index, s.instruction])).toEqual([
      [1, 'CMD ["a"]'],
      [2, 'ENV X=2'],
    ]);
    expect(d.same).toBe(3);
  });

  it('tells a step that made a layer from the same created_by that made none', () => {
    const d = compareHistory(h('COPY x /', 'RUN a'), h(['COPY x /', 'empty'], 'RUN a'));
    expect(d.removed).toEqual([{ index: 0, createdBy: 'COPY x /', instruction: 'COPY x /', emptyLayer: false }]);
    expect(d.added).toEqual([{ index: 0, createdBy: 'COPY x /', instruction: 'COPY x /', emptyLayer: true }]);
  });

  it('matches a step that buildah and the classic builder spelt differently, and keeps a real difference', () => {
    // The corpus's bloated image as both builders recorded it.
    const d = compareHistory(
      h(
        ['/bin/sh -c #(nop) LABEL title="corpus-bloated"       description="wasted-space test fixture"', 'empty'],
        ['/bin/sh -c #(nop) ENV DEBIAN_FRONTEND=noninteractive', 'empty'],
        '/bin/sh -c #(nop) COPY dir:2d05 in /app ',
        ['/bin/sh -c #(nop) USER app', 'empty'],
        ['/bin/sh -c #(nop) CMD ["python3", "/app/app.py"]', 'empty'],
      ),
      h(
        ['/bin/sh -c #(nop)  LABEL title=corpus-bloated description=wasted-space test fixture', 'empty'],
        ['/bin/sh -c #(nop)  ENV DEBIAN_FRONTEND=noninteractive', 'empty'],
        '/bin/sh -c #(nop) COPY dir:d8a6 in /app ',
        ['/bin/sh -c #(nop)  USER app', 'empty'],
        ['/bin/sh -c #(nop)  CMD ["python3" "/app/app.py"]', 'empty'],
      ),
    );
    // Other files copied: the COPY's content hash differs.
    expect(d.removed.map((s) => s.instruction)).toEqual(['COPY dir:2d05 in /app']);
    expect(d.added.map((s) => s.instruction)).toEqual(['COPY dir:d8a6 in /app']);
    expect(d.same).toBe(4);
  });

  it('compares a history too long to align as a multiset of entries, without running out of memory', () => {
    const many = (tag: string) => Array.from({ length: 3000 }, (_, i) => `RUN ${tag}${i}`);
    const d = compareHistory(h('ADD a /', ...many('a')), h('ADD a /', ...many('a').reverse(), 'RUN extra'));
    expect(d.removed).toEqual([]);
    expect(d.added.map((s) => s.createdBy)).toEqual(['RUN extra']);
    expect(d.same).toBe(3001);
  });

  it('has nothing to compare without history', () => {
    expect(compareHistory({}, h('RUN a'))).toEqual({
      a: 0,
      b: 1,
      same: 0,
      removed: [],
      added: [{ index: 0, createdBy: 'RUN a', instruction: 'RUN a', emptyLayer: false }],
    });
  });
});
