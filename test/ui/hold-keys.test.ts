// The keys typed while explore loads its image: q and Ctrl-C end the load at once, the others are kept for the view.
import { EventEmitter } from 'node:events';
import { HELD_MAX, holdKeys, muteEarly, unmuteEarly } from '../../src/ui/hold-keys.js';

const reads = (stdin: EventEmitter, ...keys: string[]) => keys.forEach((k) => stdin.emit('data', Buffer.from(k)));

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
    expect(await hold.release(false)).toEqual(['\t', '\u001b[B', 'jj']);
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
    expect(await hold.release(true)).toEqual([]);
  });

  it('keeps at most HELD_MAX bytes, the first whole reads only (a key held down through a long load)', async () => {
    const stdin = terminal();
    const hold = holdKeys(stdin as unknown as NodeJS.ReadStream, () => {});
    for (let i = 0; i < HELD_MAX; i++) stdin.emit('data', Buffer.from('\u001b[B'));
    // A key that would still fit after a dropped one is dropped too: the view gets the keys from the start, in order.
    stdin.emit('data', Buffer.from('j'));
    const kept = (await hold.release(false)).join('');
    expect(kept.length).toBeLessThanOrEqual(HELD_MAX);
    expect(kept).toBe('\u001b[B'.repeat(Math.floor(HELD_MAX / 3)));
  });

  it('keeps a q typed into a filter as text, up to the Enter or Esc that leaves it; Ctrl-C still stops', async () => {
    const stdin = terminal();
    const stops: string[] = [];
    const hold = holdKeys(stdin as unknown as NodeJS.ReadStream, (how) => stops.push(how));
    // One read or a key a read, Ctrl+F as `/`: text until Enter.
    reads(stdin, '/sql\r', '\u0006', 'q', 'u', 'e', 'r', 'y', '\u001b');
    expect(stops).toEqual([]);
    expect((await hold.release(false)).join('')).toBe('/sql\r\u0006query\u001b');
    // The filter left (Esc, then Enter, then Tab): q quits again.
    for (const leave of ['\u001b', '\r', '\t']) {
      const again = terminal();
      const quit: string[] = [];
      holdKeys(again as unknown as NodeJS.ReadStream, (how) => quit.push(how));
      reads(again, '/sq', leave, 'q');
      expect(quit).toEqual(['quit']);
    }
    const interrupted = terminal();
    const interrupts: string[] = [];
    holdKeys(interrupted as unknown as NodeJS.ReadStream, (how) => interrupts.push(how));
    reads(interrupted, '/sq', '\u0003');
    expect(interrupts).toEqual(['interrupt']);
  });

  it('reads q as the view would: it closes the help, and quits from the findings list where / filters nothing', () => {
    const cases: [string[], string[]][] = [
      [['?', 'q'], []],
      [['?q', 'q'], ['quit']],
      [['f/q'], ['quit']],
      [['f', '\u0006', 'q'], []],
      [['f\u001b/q'], []],
      // Esc then q in one read is Esc, then q (the view has no Alt keys); q inside an arrow's sequence is no key.
      [['/s\u001bq'], ['quit']],
      [['/s\u001b[A', 'q'], []],
      // Enter on the findings list: a jump to the file, or nothing on an empty list, where f closes it again and / then
      // filters. The rows decide, so from there a q is kept for the view.
      [['f\rf/q'], []],
      [['f \u001bq'], []],
    ];
    for (const [typed, expected] of cases) {
      const stdin = terminal();
      const stops: string[] = [];
      holdKeys(stdin as unknown as NodeJS.ReadStream, (how) => stops.push(how));
      reads(stdin, ...typed);
      expect({ typed, stops: stops.slice(0, 1) }).toEqual({ typed, stops: expected });
    }
  });
});

describe('muteEarly', () => {
  let written = '';
  const screen = { isTTY: true, write: (s: string) => (written += s) } as unknown as NodeJS.WriteStream;
  const mute = (stdin: ReturnType<typeof terminal>, argv: string[], env: NodeJS.ProcessEnv = {}) =>
    muteEarly(stdin as unknown as NodeJS.ReadStream, screen, argv, env);

  it('makes the terminal raw before the command loads, so a key typed then is not echoed, until the process ends', () => {
    const stdin = terminal();
    const exits = process.listenerCount('exit');
    written = '';
    expect(mute(stdin, ['image.oci', '--dockerfile', 'Dockerfile'])).toBe(true);
    expect(stdin.isRaw).toBe(true);
    // The keys the terminal echoed before (while node started) are wiped from the line the command started on.
    expect(written).toBe('\r\u001b[2K');
    expect(process.listenerCount('exit')).toBe(exits + 1);
    // The command finds it prints after all (a format from a config): the mode is back, the exit hook gone.
    unmuteEarly();
    expect(stdin.isRaw).toBe(false);
    expect(process.listenerCount('exit')).toBe(exits);
  });

  it('wipes the lines an Enter typed while node started moved down, once the keys are read', async () => {
    // An Enter typed then was echoed as a new line: the line wipe left the typed text and a blank line above the
    // progress bar (and above the prompt after a quit). The terminal turned each such Enter into \n as it was
    // typed (ICRNL); once raw, an Enter reads as \r, and is not echoed.
    const stdin = terminal();
    written = '';
    mute(stdin, ['image.oci']);
    const hold = holdKeys(stdin as unknown as NodeJS.ReadStream, () => {});
    reads(stdin, 'ab\n\n', '\r', '\n');
    expect(written).toBe('\r\u001b[2K\u001b[2A\r\u001b[J');
    // The keys are still the view's.
    expect(await hold.release(false)).toEqual(['ab\n\n', '\r', '\n']);
    unmuteEarly();
    // Without the early mute (the keys were read raw from the start) nothing was echoed, nothing is wiped.
    const plain = terminal();
    written = '';
    const again = holdKeys(plain as unknown as NodeJS.ReadStream, () => {});
    reads(plain, '\n');
    expect(written).toBe('');
    await again.release(true);
  });

  it.each([
    [['image.oci', '--json']],
    [['image.oci', '-o', 'out.json']],
    [['image.oci', '--output=out.json']],
    [['image.oci', '--format', 'json']],
    [['--help']],
    [['image.oci', '--password-stdin']],
  ])('leaves the terminal alone for an explore that prints: %j', (argv) => {
    const stdin = terminal();
    written = '';
    expect(mute(stdin, argv)).toBe(false);
    expect(stdin.isRaw).toBe(false);
    // What it prints starts where the cursor is: nothing is wiped.
    expect(written).toBe('');
  });

  it('leaves it alone when not both ends are a terminal, TERM is dumb, or the environment asks for JSON', () => {
    const stdin = terminal();
    expect(muteEarly(stdin as unknown as NodeJS.ReadStream, { isTTY: false } as NodeJS.WriteStream, ['x'], {})).toBe(
      false,
    );
    expect(mute(stdin, ['x'], { TERM: 'dumb' })).toBe(false);
    expect(mute(stdin, ['x'], { BALLAST_FORMAT: 'json' })).toBe(false);
    expect(stdin.isRaw).toBe(false);
  });
});
