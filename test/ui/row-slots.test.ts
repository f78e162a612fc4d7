// explore keys the tree's rows on screen by slot (rowSlots): a row keeps its slot while it stays on screen, and a
// new page reuses the lines of the old one (updated in place) instead of mounting a new line per row.
import { rowSlots } from '../../src/ui/explore/ExploreApp.js';

const fresh = () => ({ keys: [] as (string | undefined)[], kinds: [] as number[] });

describe('explore row slots', () => {
  it('a first page takes slots in order; a move down keeps every row that stays and gives the new one the freed slot', () => {
    const shown = fresh();
    expect(rowSlots(['a', 'b', 'c'], [1, 1, 1], shown)).toEqual([0, 1, 2]);
    // Scrolled by one: b and c keep theirs, d takes a's.
    expect(rowSlots(['b', 'c', 'd'], [1, 1, 1], shown)).toEqual([1, 2, 0]);
  });

  it('a new page reuses the lines on screen, a line of the same kind first, and never two rows in one slot', () => {
    const shown = fresh();
    rowSlots(['a', 'b', 'c', 'd'], [3, 1, 3, 1], shown);
    // End: four new rows (a file, a directory, a file, a file).
    const slots = rowSlots(['w', 'x', 'y', 'z'], [1, 3, 1, 1], shown);
    expect(new Set(slots).size).toBe(4);
    expect(slots.slice(0, 3)).toEqual([1, 0, 3]);
    expect(slots[3]).toBe(2);
    expect(Math.max(...slots)).toBe(3);
  });

  it('a shorter page leaves slots free, and a longer one takes them before new ones', () => {
    const shown = fresh();
    rowSlots(['a', 'b', 'c'], [1, 1, 1], shown);
    expect(rowSlots(['b'], [1], shown)).toEqual([1]);
    expect(rowSlots(['b', 'x', 'y', 'z'], [1, 1, 1, 1], shown)).toEqual([1, 0, 2, 3]);
  });
});
