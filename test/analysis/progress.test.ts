// The stderr progress bar: silent when piped or in CI, one redrawn line on a TTY for walks longer than half a second.
import { jest } from '@jest/globals';
import { createProgressBar } from '../../src/ui/progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return {
    stream: { isTTY, columns: 100, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream,
    writes,
  };
}

const update = { layer: 2, layerBytes: 50e6, layerTotalBytes: 100e6, doneBytes: 150e6, totalBytes: 300e6 };

describe('progress bar', () => {
  afterEach(() => jest.useRealTimers());

  it('stays silent when stderr is not a TTY, in CI, on a dumb terminal, or under --json', () => {
    for (const [isTTY, env, enabled] of [
      [false, {}, true],
      [true, { CI: 'true' }, true],
      [true, { CI: '1' }, true],
      [true, { CI: '' }, true],
      [true, { CONTINUOUS_INTEGRATION: 'true' }, true],
      [true, { TERM: 'dumb' }, true],
      [true, {}, false],
    ] as const) {
      jest.useFakeTimers({ now: 0 });
      const { stream, writes } = fakeStream(isTTY);
      const bar = createProgressBar(stream, env, enabled);
      // Past the half second a short walk keeps quiet for: silence here is the environment's doing.
      jest.setSystemTime(1000);
      bar.update(update);
      bar.done();
      expect(writes).toEqual([]);
      jest.useRealTimers();
    }
  });

  it.each([{ CI: 'false' }, { CI: '0' }, { CONTINUOUS_INTEGRATION: 'false' }])(
    'draws on a terminal when the environment says it is not CI (%j)',
    (env) => {
      jest.useFakeTimers({ now: 0 });
      const { stream, writes } = fakeStream(true);
      const bar = createProgressBar(stream, env, true);
      jest.setSystemTime(1000);
      bar.update(update);
      expect(writes).toHaveLength(1);
    },
  );

  it('draws bytes done / total and the layers in flight, then clears the line', () => {
    jest.useFakeTimers({ now: 0 });
    const { stream, writes } = fakeStream(true);
    const bar = createProgressBar(stream, {}, true);
    bar.update(update); // too early: short walks print nothing
    expect(writes).toEqual([]);
    jest.setSystemTime(1000);
    bar.update(update);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toContain('150.0 MB / 300.0 MB');
    expect(writes[0]).toContain('L2 50%');
    expect(writes[0]).toMatch(/\[#{15}-{15}\]/);
    bar.done();
    expect(writes[1]).toBe('\r\u001b[2K');
  });
});
