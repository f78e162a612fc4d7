// The one place that mounts ink views on the user's terminal. Commands import this lazily, so nothing else pays
// for ink and React at start-up.
import { render } from 'ink';
import { useEffect, useState } from 'react';
import type { ExploreResult } from '../services/explore.js';
import { ExploreApp } from './explore/ExploreApp.js';
import { settleHeap } from './settle-heap.js';

export interface ExploreRenderOptions {
  color: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

function useTerminalSize(stdout: NodeJS.WriteStream): { columns: number; rows: number } {
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  });
  return size;
}

function ExploreScreen(props: {
  result: ExploreResult;
  color: boolean;
  stdout: NodeJS.WriteStream;
  onQuit: () => void;
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
    />
  );
}

/** Runs the explore view full-screen (alternate screen buffer) until the user quits. */
export async function runExplore(result: ExploreResult, options: ExploreRenderOptions): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  settleHeap(); // the walk's garbage collected now, not in the first keystrokes
  // The alternate screen keeps the user's scrollback intact; it is left again however the view ends.
  stdout.write('\u001b[?1049h\u001b[H');
  // A signal ends the process without reaching `finally` (SIGTERM exits 143 from its handler): the screen is left
  // on the way out too, or the shell's prompt and output would land on the view's alternate screen.
  const leave = () => stdout.write('\u001b[?1049l');
  process.once('exit', leave);
  let instance: ReturnType<typeof render> | undefined;
  try {
    instance = render(
      <ExploreScreen result={result} color={options.color} stdout={stdout} onQuit={() => instance?.unmount()} />,
      {
        stdout,
        stdin,
        exitOnCtrlC: true,
        patchConsole: false,
        // A keystroke redraws at once rather than on ink's default 30 fps tick.
        maxFps: 120,
      },
    );
    await instance.waitUntilExit();
  } finally {
    process.off('exit', leave);
    leave();
  }
}
