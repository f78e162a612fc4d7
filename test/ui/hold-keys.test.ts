// The keys typed while explore loads its image: q and Ctrl-C end the load at once, the others are kept for the view.
import { EventEmitter } from 'node:events';
import { HELD_MAX, holdKeys } from '../../src/ui/hold-keys.js';

function terminal() {
  return Object.assign(new EventEmitter(), {
    isTTY: true,
    isRaw: false,
    setRawMode(raw: boolean) {
      this.isRaw = raw;
    },
    pause() {},
  });
}

describe('holdKeys', () => {
  it('keeps the keys typed during the load, as typed, for the view', async () => {
    const stdin = terminal();
    const stops: string[] = [];
    const hold = holdKeys(stdin as unknown as NodeJS.ReadStream, (how) => stops.push(how));
    expect(stdin.isRaw).toBe(true);
    for (const read of ['\t', '\u001b[B', 'jj']) stdin.emit('data', Buffer.from(read));
    expect(await hold.release(false)).toBe('\t\u001b[Bjj');
    expect(stops).toEqual([]);
    expect(stdin.listenerCount('data')).toBe(0);
  });

  it('still ends the load at once on q or Ctrl-C, and keeps nothing once the load failed', async () => {
    const stdin = terminal();
    const stops: string[] = [];
    const hold = holdKeys(stdin as unknown as NodeJS.ReadStream, (how) => stops.push(how));
    stdin.emit('data', Buffer.from('q'));
    stdin.emit('data', Buffer.from('\u0003'));
    expect(stops).toEqual(['quit', 'interrupt']);
    stdin.emit('data', Buffer.from('j'));
    expect(await hold.release(true)).toBe('');
  });

  it('keeps at most HELD_MAX bytes, whole reads only (a key held down through a long load)', async () => {
    const stdin = terminal();
    const hold = holdKeys(stdin as unknown as NodeJS.ReadStream, () => {});
    for (let i = 0; i < HELD_MAX; i++) stdin.emit('data', Buffer.from('\u001b[B'));
    const kept = await hold.release(false);
    expect(kept.length).toBeLessThanOrEqual(HELD_MAX);
    expect(kept).toBe('\u001b[B'.repeat(Math.floor(HELD_MAX / 3)));
  });
});
