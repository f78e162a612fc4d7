// dive compatibility: the numbers dive's own tests assert, reproduced exactly (docs/dive-metrics.md §4).
import { DiveEfficiency } from '../../src/analysis/efficiency.js';
import type { ScanEntry } from '../../src/analysis/scan-layer.js';
import { analyze } from '../../src/services/analyze.js';

const entry = (path: string, kind: ScanEntry['kind'], size = 0): ScanEntry => ({
  path,
  kind,
  size,
  mode: 0o644,
  uid: 0,
  gid: 0,
});

describe('dive metrics', () => {
  it('reproduces dive on test-docker-image.tar exactly', async () => {
    // Given dive's 14-layer fixture, When analyzed, Then every number dive asserts matches bit for bit.
    const r = await analyze({ image: 'test/fixtures/dive/test-docker-image.tar', workers: 0 });
    expect(r.summary.efficiency).toBe(0.9844212134184309);
    expect(r.dive).toMatchObject({
      efficiencyScore: 0.9844212134184309,
      sizeBytes: 1220598,
      inefficientBytes: 32025,
      userSizeBytes: 66237,
      userWastedPercent: 0.4834911001404049,
      files: 451,
    });
    // dive's export snapshot: largest cumulative first, in this order.
    expect(r.dive.fileReferences).toEqual([
      { file: '/root/saved.txt', count: 2, sizeBytes: 12810 },
      { file: '/root/example/somefile1.txt', count: 2, sizeBytes: 12810 },
      { file: '/root/example/somefile3.txt', count: 2, sizeBytes: 6405 },
    ]);
    // ballast's own (corrected) waste agrees on the total here and obeys the invariant.
    expect(r.summary.wastedBytes).toBe(32025);
    expect(r.summary.fileBytes).toBe(r.summary.finalFileBytes + r.summary.wastedBytes);
  });

  it("scores dive's synthetic case 0.75 (whiteout of an implicit directory adds nothing)", () => {
    // Given the layers of dive's efficiency_test.go
    const dive = new DiveEfficiency();
    dive.addLayer([entry('etc/nginx/nginx.conf', 'file', 2000), entry('etc/nginx/public', 'file', 3000)], 5000);
    dive.addLayer([entry('etc/nginx/nginx.conf', 'file', 5000), entry('etc/athing', 'file', 10000)], 15000);
    dive.addLayer([entry('etc/nginx', 'whiteout')], 0);
    // Then
    const m = dive.result();
    expect(m.efficiencyScore).toBe(0.75);
    expect(m.fileReferences).toEqual([{ file: '/etc/nginx/nginx.conf', count: 2, sizeBytes: 7000 }]);
  });

  it('scores a scratch image 1.0 with no inefficiencies', () => {
    const dive = new DiveEfficiency();
    const m = dive.result();
    expect(m.efficiencyScore).toBe(1);
    expect(m.fileReferences).toEqual([]);
  });

  it('counts a whole deleted directory when the lower node is an explicit directory', () => {
    const dive = new DiveEfficiency();
    dive.addLayer([entry('d', 'dir'), entry('d/a', 'file', 10), entry('d/b', 'file', 20)], 30);
    dive.addLayer([entry('d', 'whiteout')], 0);
    const m = dive.result();
    // leaves: d/a (10), d/b (20), /d (whiteout: 30, count 1) -> Σmin = Σcum, score 1
    expect(m.efficiencyScore).toBe(1);
    expect(m.inefficientBytes).toBe(0);
  });

  it('stops a layer at a whiteout whose target is missing below, as dive does', () => {
    const dive = new DiveEfficiency();
    dive.addLayer([entry('a', 'file', 10), entry('z', 'file', 10)], 20);
    // 'b' sorts before 'z': its whiteout fails, so the rewrite of z in this layer is never counted.
    dive.addLayer([entry('b', 'whiteout'), entry('z', 'file', 10)], 10);
    expect(dive.result().inefficientBytes).toBe(0);
  });

  // docs/dive-metrics.md §1.3: the failed whiteout's path keeps its entry, {cumulative 0, min -1, no nodes}, and
  // score = Σ min / Σ cumulative counts it (hostile-input hunt: ballast said 1 where dive says 0.99).
  it.each([
    // a 60 + b 40; x: missing -> (60 + 40 - 1) / 100
    ['one whiteout of a missing path', [[entry('x', 'whiteout')]], 0.99],
    // x and y each missing, in two layers -> (100 - 2) / 100
    ['two, in two layers', [[entry('x', 'whiteout')], [entry('y', 'whiteout')]], 0.98],
    // the same missing path twice: one entry -> (100 - 1) / 100
    ['the same path twice', [[entry('x', 'whiteout')], [entry('x', 'whiteout')]], 0.99],
    // x added later (5 B): its min becomes 5 -> (100 + 5) / (100 + 5)
    ['a path added later', [[entry('x', 'whiteout')], [entry('x', 'file', 5)]], 1],
    // the whiteout of b is counted (min 0, cumulative 40, 2 nodes) and x is missing -> (60 + 0 - 1) / 100
    ['after a counted one', [[entry('b', 'whiteout'), entry('x', 'whiteout')]], 0.59],
  ])('leaves min -1 for a whiteout whose target is missing below: %s', (_name, later, score) => {
    const dive = new DiveEfficiency();
    dive.addLayer([entry('a', 'file', 60), entry('b', 'file', 40)], 100);
    for (const layer of later)
      dive.addLayer(
        layer,
        layer.reduce((sum, e) => sum + e.size, 0),
      );
    expect(dive.result().efficiencyScore).toBe(score);
  });

  // dive sizes a whiteout on the layers below stacked onto a copy of layer 0 (StackTreeRange), so a whiteout in
  // layer 0 finds its target in layer 0 itself: some builders write `x` and `.wh.x` in one layer. By the OCI spec that
  // whiteout removes nothing (ballast's own waste is 0), but dive counts x twice. ballast took the layers below to be
  // none, stopped layer 0 at the whiteout and scored such an image 0.5 with 0 B inefficient, which is neither.
  it('looks a whiteout of layer 0 up in layer 0 itself, as dive stacks on a copy of it', () => {
    // Given a first layer that adds x and whites it out (in either tar order: dive's tree orders by name), then y
    for (const first of [
      [entry('x', 'file', 100), entry('x', 'whiteout')],
      [entry('x', 'whiteout'), entry('x', 'file', 100)],
    ]) {
      const dive = new DiveEfficiency();
      dive.addLayer(first, 100);
      dive.addLayer([entry('y', 'file', 2)], 2);
      // Then /x is seen twice, the whiteout's 0 then the file's 100: Σ min 0 + 2 over Σ cumulative 100 + 2
      const m = dive.result();
      expect(m.fileReferences).toEqual([{ file: '/x', count: 2, sizeBytes: 100 }]);
      expect(m.inefficientBytes).toBe(100);
      expect(m.efficiencyScore).toBe(2 / 102);
    }
  });

  it('sizes a whiteout of a directory of layer 0 by what layer 0 holds under it, and stops at one of nothing there', () => {
    // Given a directory with a file, and its whiteout, in layer 0, then y: the whiteout counts the subtree (10) once,
    // and d/f is counted too (not skipped with a min of -1, which scored 0.5)
    const dir = new DiveEfficiency();
    dir.addLayer([entry('d', 'dir'), entry('d/f', 'file', 10), entry('d', 'whiteout')], 10);
    dir.addLayer([entry('y', 'file', 2)], 2);
    expect(dir.result()).toMatchObject({ efficiencyScore: 1, inefficientBytes: 0, fileReferences: [] });
    // Given a whiteout in layer 0 of a path layer 0 does not hold: missing, so the rest of the layer is not counted
    const missing = new DiveEfficiency();
    missing.addLayer([entry('a', 'whiteout'), entry('b', 'file', 10)], 10);
    missing.addLayer([entry('b', 'file', 10)], 10);
    expect(missing.result().fileReferences).toEqual([]);
  });

  it('walks a layer by name in byte order, binary names included', () => {
    // Given four files, then a layer rewriting them all, given out of order, with a whiteout of a missing m/q (a
    // whiteout's node is named `.wh.q`, so it goes in its directory's place: here m's). Entry paths are binary
    // strings, a byte a character: the entry list stores bytes, so no wider character reaches dive's tree.
    const high = Buffer.from([0xe9, 0x78]).toString('latin1');
    const dive = new DiveEfficiency();
    const files = [
      entry(high, 'file', 9),
      entry('z', 'file', 7),
      entry(high.slice(0, 1), 'file', 8),
      entry('b', 'file', 5),
    ];
    dive.addLayer([...files, entry('L', 'file', 3)], 32);
    dive.addLayer([...files, entry('m/q', 'whiteout'), entry('L', 'file', 3)], 32);
    expect(() => dive.addLayer([entry('\u0100x', 'file', 1)], 1)).toThrow(/not a binary string/);
    // Then only the rewrites sorting before 'm' are counted (L 0x4c, b 0x62); z, 0xe9 and 0xe9 0x78 come after it
    expect(dive.result().fileReferences).toEqual([
      { file: '/b', count: 2, sizeBytes: 10 },
      { file: '/L', count: 2, sizeBytes: 6 },
    ]);
  });

  it('counts only what a re-added directory holds when it is deleted again', () => {
    // Given d/b deleted with d, then d added back empty and deleted again
    const dive = new DiveEfficiency();
    dive.addLayer([entry('a', 'dir'), entry('a/b', 'file', 5)], 5);
    dive.addLayer([entry('a', 'whiteout')], 0);
    dive.addLayer([entry('a', 'dir')], 0);
    dive.addLayer([entry('a', 'whiteout')], 0);
    // Then the second whiteout adds nothing: a/b went with the first one (5 bytes, not 10)
    expect(dive.result().fileReferences).toEqual([{ file: '/a', count: 3, sizeBytes: 5 }]);
  });

  it("keeps a directory's children under a file that replaces it, as dive does", () => {
    const dive = new DiveEfficiency();
    dive.addLayer([entry('d', 'dir'), entry('d/x', 'file', 7)], 7);
    dive.addLayer([entry('d', 'file', 3)], 3);
    // d/x is still there for its whiteout (which adds 0: it is a file), so the layer goes on to z
    dive.addLayer([entry('d/x', 'whiteout'), entry('z', 'file', 4)], 4);
    dive.addLayer([entry('z', 'file', 4)], 4);
    const m = dive.result();
    expect(m.fileReferences).toEqual([
      { file: '/z', count: 2, sizeBytes: 8 },
      { file: '/d/x', count: 2, sizeBytes: 7 },
    ]);
    expect(m.efficiencyScore).toBe(0.3888888888888889);
  });

  it('gives a clone its own state', () => {
    const dive = new DiveEfficiency();
    dive.addLayer([entry('d/a', 'file', 10)], 10);
    const copy = dive.clone();
    dive.addLayer([entry('d', 'whiteout')], 0);
    copy.addLayer([entry('d/a', 'file', 10)], 10);
    expect(dive.result().fileReferences).toEqual([]);
    expect(copy.result().fileReferences).toEqual([{ file: '/d/a', count: 2, sizeBytes: 20 }]);
  });
});
