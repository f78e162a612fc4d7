// loadOnce (src/load-once.ts): the analysis loads its rules and reporters while the layers are read, through it.
import { loadOnce } from '../../src/load-once.js';

describe('loadOnce', () => {
  it('runs the loading once, and every caller gets its one promise', async () => {
    let runs = 0;
    const load = loadOnce(async () => ++runs);
    const first = load();
    expect(load()).toBe(first);
    expect(await Promise.all([first, load()])).toEqual([1, 1]);
    expect(runs).toBe(1);
  });

  it('a failure started ahead is not unhandled, and reaches the caller who awaits it', async () => {
    const unhandled: unknown[] = [];
    const track = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', track);
    try {
      const load = loadOnce(() => Promise.reject(new Error('no such module')));
      void load(); // started ahead, as the walk's onReading does
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      await expect(load()).rejects.toThrow('no such module');
    } finally {
      process.off('unhandledRejection', track);
    }
  });
});
