// The explore view driven through ink's real renderer (ink-testing-library) for the test/ui files: a session that
// presses keys one read at a time and waits for the frame each one draws, and readers of the frame's panes.
import { explore, type ExploreResult } from '../../src/services/explore.js';

// eslint-disable-next-line no-control-regex -- matching ANSI codes is the point
export const strip = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

export const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Waits until `done()` (a new frame), or `limit` ms (1 s for keys that leave the screen as it was). */
export async function drawn(done: () => boolean, limit = 1000): Promise<void> {
  for (const start = Date.now(); !done() && Date.now() - start < limit;) await tick();
}

/** An image written for a test, explored; removed once read, whether it could be read or not. */
export async function exploreImage(image: ({ path: string } | { dir: string }) & { cleanup(): void }) {
  try {
    return await explore({ image: 'path' in image ? image.path : image.dir, workers: 0 });
  } finally {
    image.cleanup();
  }
}

export interface Session {
  frame(): string;
  raw(): string;
  press(...keys: string[]): Promise<string>;
  /** How many times the view asked to quit. */
  quits(): number;
  rerender(columns: number, rows: number): Promise<string>;
  unmount(): void;
}

/**
 * Renders the view of `result` at columns x rows. ink is imported here, at the first call, not when this file loads:
 * chalk decides on colour once, when ink is first imported, after the test file has set FORCE_COLOR.
 */
export async function openView(result: ExploreResult, columns = 80, rows = 24, color = false): Promise<Session> {
  const { render } = await import('ink-testing-library');
  const { ExploreApp } = await import('../../src/ui/explore/ExploreApp.js');
  let quits = 0;
  const quit = () => quits++;
  const app = (c: number, r: number) => (
    <ExploreApp analysis={result.analysis} tree={result.tree} columns={c} rows={r} color={color} onQuit={quit} />
  );
  const ui = render(app(columns, rows));
  await tick();
  const frame = () => strip(ui.lastFrame() ?? '');
  return {
    frame,
    raw: () => ui.lastFrame() ?? '',
    quits: () => quits,
    async press(...keys) {
      // One write per key (ink reads each write as one key press), then wait for the redraw it causes.
      for (const k of keys) {
        const before = ui.frames.length;
        ui.stdin.write(k);
        await drawn(() => ui.frames.length > before);
      }
      return frame();
    },
    async rerender(c, r) {
      const before = ui.frames.length;
      ui.rerender(app(c, r));
      await drawn(() => ui.frames.length > before);
      return frame();
    },
    unmount: () => ui.unmount(),
  };
}

/** The right pane's lines (between the 3rd and 4th box border), trailing blanks trimmed. */
export function paneLines(frame: string): string[] {
  return frame
    .split('\n')
    .map((line) => line.split(/[│║]/))
    .filter((parts) => parts.length >= 5)
    .map((parts) => parts[3].replace(/\s+$/, ''));
}

/** The tree's rows: the pane without its two header lines, runs of blanks made one. */
export function treeRows(frame: string): string[] {
  return paneLines(frame)
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) =>
      l
        .replace(/^>(\S)/, '> $1')
        .replace(/\s+/g, ' ')
        .trim(),
    );
}

/** The line under the panes: the selected entry or layer, or what the last key did. */
export function detail(frame: string): string {
  const lines = frame.split('\n');
  return lines[lines.findIndex((l) => /^[└╚]/.test(l)) + 1].trim();
}
