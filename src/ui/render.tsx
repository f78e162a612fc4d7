// The one place that mounts ink views on the user's terminal. Commands import this lazily, so nothing else pays
// for ink and React at start-up.
import { render, useStdout } from 'ink';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ExploreResult } from '../services/explore.js';
import { ExploreApp } from './explore/ExploreApp.js';
import type { KeyHold } from './hold-keys.js';
import { settleHeap } from './settle-heap.js';

export interface ExploreRenderOptions {
  color: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** The keys held while the image loaded: applied by the view once drawn, the terminal handed over raw. */
  hold?: KeyHold;
}

function useTerminalSize(stdout: NodeJS.WriteStream): { columns: number; rows: number } {
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => {
      const next = read();
      setSize((last) => (last.columns === next.columns && last.rows === next.rows ? last : next));
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  });
  // A terminal that narrows rewraps the lines already drawn (tmux does, on the alternate screen too): the old frame
  // then takes more lines than ink erases, upward from where the cursor ended up, and its top stays on screen above
  // the new one. The view owns the alternate screen: once the frame at the new size is made (this runs as it is
  // committed), ink's own write erases, clears the whole screen, and draws that frame again from the top.
  const { write } = useStdout();
  const drawnOnce = useRef(false);
  useLayoutEffect(() => {
    if (drawnOnce.current) write('\u001b[2J\u001b[H');
    drawnOnce.current = true;
  }, [size.columns, size.rows, write]);
  return size;
}

function ExploreScreen(props: {
  result: ExploreResult;
  color: boolean;
  stdout: NodeJS.WriteStream;
  onQuit: (how: 'quit' | 'interrupt') => void;
  typedAhead: readonly string[];
}) {
  const size = useTerminalSize(props.stdout);
  const { analysis, tree, analyzeMs } = props.result;
  return (
    <ExploreApp
      analysis={analysis}
      tree={tree}
      analyzeMs={analyzeMs}
      columns={size.columns}
      rows={size.rows}
      color={props.color}
      onQuit={props.onQuit}
      typedAhead={props.typedAhead}
    />
  );
}

/**
 * Runs the explore view full-screen (alternate screen buffer) until the user quits: `quit` for q, `interrupt` for
 * Ctrl-C.
 */
export async function runExplore(result: ExploreResult, options: ExploreRenderOptions): Promise<'quit' | 'interrupt'> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  settleHeap(); // the walk's garbage collected now, not in the first keystrokes
  // Keys typed during the load and the collection are applied by the view once it is drawn.
  const typedAhead = (await options.hold?.release(false)) ?? [];
  // The alternate screen keeps the user's scrollback intact; it is left again however the view ends.
  stdout.write('\u001b[?1049h\u001b[H');
  // A signal ends the process without reaching `finally` (SIGTERM exits 143 from its handler): the screen is left
  // on the way out too, or the shell's prompt and output would land on the view's alternate screen.
  // Blanked first: a terminal grown while the view ran can keep the alternate screen's lines below the shell's
  // restored one (tmux gives back a screen of the size it saved), and the view's panes would show over the shell.
  const leave = () => stdout.write('\u001b[H\u001b[2J\u001b[?1049l');
  process.once('exit', leave);
  // The process-wide handlers exist only while a temp file does (src/temp-files.ts): without one, a signal's default
  // action would end the process with no 'exit' event, leaving the shell on the alternate screen. The view is never in
  // a long synchronous pass, so its own handler runs at once.
  const onSignal = (signal: NodeJS.Signals) => process.exit(signal === 'SIGINT' ? 130 : 143);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  let instance: ReturnType<typeof render> | undefined;
  let ended: 'quit' | 'interrupt' = 'quit';
  const onQuit = (how: 'quit' | 'interrupt') => {
    ended = how;
    instance?.unmount();
  };
  try {
    instance = render(
      <ExploreScreen result={result} color={options.color} stdout={stdout} onQuit={onQuit} typedAhead={typedAhead} />,
      {
        stdout,
        stdin,
        // Ctrl-C is the view's own key: it ends the view as an interrupt (exit 130), from the help or the filter too.
        exitOnCtrlC: false,
        patchConsole: false,
        // A keystroke redraws at once rather than on ink's default 30 fps tick.
        maxFps: 120,
      },
    );
    await instance.waitUntilExit();
  } finally {
    process.off('exit', leave);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    leave();
  }
  return ended;
}
