// A one-line progress bar on stderr for long layer walks: bytes read / total and the layers in flight.
// Plain ANSI (no ink) so it costs nothing on the fast path; silent unless stderr is a TTY and not in CI.
import { inCi } from './ci-variables.js';

export interface ProgressUpdate {
  layer: number;
  layerBytes: number;
  layerTotalBytes: number;
  doneBytes: number;
  totalBytes: number;
}

export interface ProgressBar {
  update(progress: ProgressUpdate): void;
  done(): void;
}

const silent: ProgressBar = { update: () => {}, done: () => {} };

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes >= 1e9 ? 0 : 1)} MB`;
}

/** The bar, or a no-op when output would end up in a log (not a TTY, CI, TERM=dumb, or asked to be quiet). */
export function createProgressBar(
  stream: NodeJS.WriteStream = process.stderr,
  env = process.env,
  enabled = true,
): ProgressBar {
  if (!enabled || !stream.isTTY || inCi(env) || env.TERM === 'dumb') return silent;
  const started = Date.now();
  const active = new Map<number, number>();
  let last = 0;
  let shown = false;
  return {
    update(p) {
      if (p.layerBytes >= p.layerTotalBytes) active.delete(p.layer);
      else active.set(p.layer, p.layerBytes / Math.max(1, p.layerTotalBytes));
      const now = Date.now();
      // Short walks print nothing; long ones redraw at most 10 times a second.
      if (now - started < 500 || now - last < 100) return;
      last = now;
      shown = true;
      const width = 30;
      const ratio = p.totalBytes > 0 ? p.doneBytes / p.totalBytes : 1;
      const filled = Math.round(ratio * width);
      const layers = [...active].map(([i, r]) => `L${i} ${Math.round(r * 100)}%`).join(' ');
      const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${mb(p.doneBytes)} / ${mb(p.totalBytes)} ${layers}`;
      stream.write(`\r\u001b[2K${line.slice(0, (stream.columns ?? 100) - 1)}`);
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}
