// The keys typed while the image loads, before the view opens. The terminal is still in its normal mode then: it
// would echo every key (PgUp as `^[[5~` over the progress bar and, after a quit, above the shell's prompt). So from
// the start of the walk the terminal is raw (no echo), and a quit or Ctrl-C (which a raw terminal no longer turns
// into SIGINT) ends the load at once. The other keys are kept for the view, which applies them once it is drawn, as a
// shell or a pager applies keys typed ahead (a Tab pressed as the command starts moves to the tree): the view only
// shows, no key of it changes anything outside it. The terminal's mode is restored however the process ends.
//
// A `q` is a quit only where the view would read it as one: typed into a filter (`/sql`) it is text, in the help it
// closes the help. So the keys are followed through the few modes of the view that take a `q` otherwise.

import { KEYS } from './key-sequences.js';

/** Why the load was cut short: `q` (a quit) or Ctrl-C (an interrupt). */
export type LoadStop = 'quit' | 'interrupt';

export interface KeyHold {
  /**
   * Stops reading. With `restore`, the terminal goes back to its normal mode (the load failed, nothing else will
   * read it); without, it stays raw for the view that reads it next. Returns the keys typed so far, as typed, one
   * string a read (none with `restore`), at most HELD_MAX bytes of them. Read by read: run together, an Esc and the
   * `[` typed after it would read as the start of an arrow's sequence, and eat the key after them.
   */
  release(restore: boolean): Promise<string[]>;
}

/** What the view would be showing after the keys typed so far: the modes that decide what a `q` is. */
export interface TypedMode {
  filtering: boolean;
  help: boolean;
  findings: boolean;
  /** A key whose effect the view's rows decide was typed: from there on the view's mode is not known. */
  unsure?: boolean;
}

/**
 * Follows one typed key through the view's modes (as state.ts's reduceKey changes them; test/ui/typed-modes.test.ts
 * checks the two against each other); `stop` when the view would end on it. Where the view's rows would decide
 * (Enter or space on the findings list jumps to a finding's file, or does nothing on an empty list), the mode is
 * unsure from there on and a `q` is kept: a `q` kept wrongly only ends the view once drawn, a quit taken wrongly loses
 * the typed keys (after f, Enter on an empty list, f, the view's `/` starts a filter that the `q` is typed into).
 */
export function typedKey(mode: TypedMode, key: string): LoadStop | undefined {
  const enter = key === '\r' || key === '\n';
  const tab = key === '\t' || key === '\u001b[Z';
  if (key === '\u0003') return 'interrupt';
  if (mode.filtering) {
    // Ctrl+letters stay keys of the view (Ctrl+F filters still); every other character is text.
    if (key === '\u001b' || enter || tab) mode.filtering = false;
    return undefined;
  }
  if (mode.help) {
    if (key === 'q' || key === '?' || key === '\u001b' || enter) mode.help = false;
    return undefined;
  }
  if (key === 'q') return mode.unsure ? undefined : 'quit';
  if (key === '?') mode.help = true;
  // Ctrl+F filters from the findings list too; `/` there only says it works in the tree.
  else if (key === '\u0006' || (key === '/' && !mode.findings))
    Object.assign(mode, { filtering: true, findings: false });
  else if (key === 'f') mode.findings = !mode.findings;
  else if (mode.findings && (enter || key === ' ')) Object.assign(mode, { findings: false, unsure: true });
  // Esc, Tab and dive's view toggles (Ctrl+A L R U O) close the list.
  else if (key === '\u001b' || tab || '\u0001\u000c\u0012\u0015\u000f'.includes(key)) mode.findings = false;
  return undefined;
}

/**
 * The most bytes of typed-ahead keys kept: a key held down through a long load would otherwise replay thousands of
 * moves. The first reads are kept, whole, so an escape sequence is never cut in two.
 */
export const HELD_MAX = 256;

/** Set by muteEarly: the terminal was made raw before the command ran, for holdKeys to take over or unmuteEarly. */
let earlyRestore: (() => void) | undefined;
/** Set by muteEarly: where the terminal echoed the keys typed before it ran, for holdKeys to wipe an Enter's lines. */
let earlyScreen: NodeJS.WriteStream | undefined;

/**
 * Makes the terminal raw as the process starts, for an `explore` that will show its view: oclif and the command's
 * modules take a few hundred ms to load before holdKeys runs, and a `q` typed then was echoed (`q` over the progress
 * bar, then before the shell's prompt). Raw, a key waits unread until holdKeys reads it (a `q` then ends the load, a
 * Ctrl-C too). Not for an explore that prints (`--json`, `-o`, `--format`, help) or reads a password from stdin:
 * those keep the terminal as it is, and the command calls unmuteEarly when it finds out otherwise. The mode is
 * restored however the process ends. The current line is wiped of the keys echoed before this ran. `argv`: the
 * command's arguments, after `explore`.
 */
export function muteEarly(
  stdin: NodeJS.ReadStream,
  stdout: NodeJS.WriteStream,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): boolean {
  if (!stdin.isTTY || !stdout.isTTY || env.TERM === 'dumb') return false;
  const prints = (a: string) =>
    /^(--json|--help|-h|--version|-v|--password-stdin|--format(=.*)?|--output(=.*)?|-o.*)$/.test(a);
  const end = argv.indexOf('--');
  if ((end === -1 ? argv : argv.slice(0, end)).some(prints)) return false;
  if (env.BALLAST_FORMAT === 'json' || env.BALLAST_OUTPUT || env.BALLAST_PASSWORD_STDIN) return false;
  earlyRestore = rawUntilExit(stdin);
  // Node itself takes ~100 ms to start before this runs, and the terminal echoed the keys typed in that time (`q`
  // stayed before the shell's next prompt). The echo is on the line the command started on (the shell leaves the
  // cursor at the start of a fresh one), and nothing echoes from here on: the line is wiped, as the progress bar
  // wipes it. The keys themselves were kept by the terminal, for holdKeys to read.
  stdout.write('\r\u001b[2K');
  earlyScreen = stdout;
  return true;
}

/**
 * Makes the terminal raw until the process ends, however it ends (a signal, an error, a quit); the function returned
 * restores its mode sooner.
 */
function rawUntilExit(stdin: NodeJS.ReadStream): () => void {
  const restore = () => {
    try {
      if (stdin.isRaw) stdin.setRawMode(false);
    } catch {
      // The terminal is gone (the session closed): there is nothing left to restore.
    }
  };
  // A signal's default action ends the process with no 'exit' event (the process-wide handlers exist only while a
  // temp file does, src/temp-files.ts): exiting from a handler of its own runs `restore`.
  const onSignal = (signal: NodeJS.Signals) => process.exit(signal === 'SIGINT' ? 130 : 143);
  process.once('exit', restore);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  stdin.setRawMode(true);
  return () => {
    process.off('exit', restore);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    restore();
  };
}

/** The explore will not show its view after all (a flag muteEarly did not see): the terminal's mode goes back. */
export function unmuteEarly(): void {
  earlyRestore?.();
  earlyRestore = undefined;
  earlyScreen = undefined;
}

/**
 * An Enter typed while node started was echoed as a new line, which muteEarly's wipe of the current line leaves (the
 * keys typed before it on the line above, and a blank line above the progress bar and, after a quit, the prompt).
 * Those keys wait unread in the terminal, so holdKeys' first read holds them; the terminal turned each such Enter into
 * `\n` as it was typed (ICRNL), while one typed raw reads as `\r` and was not echoed. The cursor goes back up over the
 * lines they moved it down, and the rest of the screen is wiped. (Ctrl-J typed raw in the same moment also reads as
 * `\n`: it would wipe a line too many, the command's own.)
 */
function wipeEchoedLines(screen: NodeJS.WriteStream, firstRead: Buffer): void {
  let lines = 0;
  for (const byte of firstRead) if (byte === 10) lines++;
  if (lines > 0) screen.write(`\u001b[${lines}A\r\u001b[J`);
}

/** Holds the keys typed on `stdin` (a terminal) until released; `stop` is called on a quit or Ctrl-C. */
export function holdKeys(stdin: NodeJS.ReadStream, stop: (how: LoadStop) => void): KeyHold {
  if (!stdin.isTTY) return { release: async () => [] };
  const restore = rawUntilExit(stdin);
  const held: Buffer[] = [];
  let heldBytes = 0;
  let full = false;
  const mode: TypedMode = { filtering: false, help: false, findings: false };
  let echoedOn = earlyScreen;
  earlyScreen = undefined;
  const onData = (chunk: Buffer | string) => {
    const bytes = Buffer.from(chunk);
    if (echoedOn) wipeEchoedLines(echoedOn, bytes);
    echoedOn = undefined;
    // Ctrl-C ends the load wherever it is in the read; a quit, only where the view would read it as one.
    if (bytes.includes(3)) return stop('interrupt');
    for (const key of bytes.toString('latin1').match(KEYS) ?? []) {
      const how = typedKey(mode, key);
      if (how) return stop(how);
    }
    // Once a read is dropped the later ones are too: the view applies the keys from the start, none missing between.
    full ||= heldBytes + bytes.length > HELD_MAX;
    if (!full) {
      held.push(bytes);
      heldBytes += bytes.length;
    }
  };
  stdin.on('data', onData);
  return {
    async release(restoreMode) {
      // Keys that reached the terminal but not yet this process are read (and kept) first.
      await new Promise((resolve) => setImmediate(resolve));
      stdin.off('data', onData);
      // Left flowing for the view (ink reads on 'readable'): a paused terminal stream stops reading its handle but
      // still counts a read as pending, so ink would never start one, and the process would end on its first frame.
      // Nothing else will read after a failed load: paused, so the process can end.
      if (restoreMode) {
        stdin.pause();
        restore();
        return [];
      }
      return held.map((read) => read.toString('utf8'));
    },
  };
}
