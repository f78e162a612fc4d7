// The Dockerfile lines and file a layer or finding is told by, in the reports and the explore view.

/**
 * The Dockerfile line a layer is told by: its instruction's first line (where an editor goes for one written over
 * several), or `2-4` for a layer several instructions were committed as, any of which may have written a file.
 */
export function lineOf(instruction: { line: number; endLine: number; merged?: number }): string {
  return spansLines(instruction) ? `${instruction.line}-${instruction.endLine}` : String(instruction.line);
}

/** A Dockerfile path's last part, for a narrow column; either separator, as a Windows path may name it. */
export function fileBaseName(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

/** `line 2`, or `lines 2-4` (lineOf). */
export function linesText(instruction: { line: number; endLine: number; merged?: number }): string {
  return `${spansLines(instruction) ? 'lines' : 'line'} ${lineOf(instruction)}`;
}

// A layer the base's ONBUILD triggers alone made is several instructions on the FROM's one line: `1-1` told nothing.
export function spansLines(instruction: { line: number; endLine: number; merged?: number }): boolean {
  return instruction.merged !== undefined && instruction.merged > 1 && instruction.endLine > instruction.line;
}
