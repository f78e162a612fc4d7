// File attributes as `ls -l` writes them, for the tree's attributes column (dive's Ctrl+B): what a user reads there
// is who may run or change a file, so a chmod/chown layer or a setuid binary shows without leaving the view.
import type { FsNode } from '../../analysis/union.js';

/** The type of an `other` node, from the format bits some tars keep in the mode (Go's writer does); `?` if not. */
const OTHER_TYPE: Record<number, string> = { 0o010000: 'p', 0o020000: 'c', 0o060000: 'b', 0o140000: 's' };

function typeChar(node: FsNode): string {
  switch (node.kind) {
    case 'dir':
      return 'd';
    case 'symlink':
      return 'l';
    case 'file':
    case 'hardlink':
      return '-';
    default:
      return OTHER_TYPE[node.mode & 0o170000] ?? '?';
  }
}

/** `-rwsr-xr-x`: the type, then owner/group/other rwx, setuid/setgid/sticky as s/S and t/T (S, T: without x). */
export function modeString(node: FsNode): string {
  const m = node.mode;
  const x = (bit: number, special: number, on: string) =>
    m & special ? (m & bit ? on : on.toUpperCase()) : m & bit ? 'x' : '-';
  const r = (bit: number) => (m & bit ? 'r' : '-');
  const w = (bit: number) => (m & bit ? 'w' : '-');
  return (
    typeChar(node) +
    r(0o400) +
    w(0o200) +
    x(0o100, 0o4000, 's') +
    r(0o040) +
    w(0o020) +
    x(0o010, 0o2000, 's') +
    r(0o004) +
    w(0o002) +
    x(0o001, 0o1000, 't')
  );
}

export const ownerString = (node: FsNode) => `${node.uid}:${node.gid}`;

/** The tree's owner column width: `65534:65534` fits; a longer owner is cut (the line under the panes has it whole). */
export const OWNER_COLUMN = 11;

/** `uid:gid` in exactly OWNER_COLUMN characters, so every row's columns line up (`100000:1000…` when longer). */
export function ownerColumn(node: FsNode): string {
  const owner = ownerString(node);
  return owner.length > OWNER_COLUMN ? `${owner.slice(0, OWNER_COLUMN - 1)}…` : owner.padStart(OWNER_COLUMN);
}

/** Whether `before` and `after` differ in mode or owner (what a chmod or chown layer changes). */
export function attributesDiffer(before: FsNode, after: FsNode): boolean {
  return before.mode !== after.mode || before.uid !== after.uid || before.gid !== after.gid;
}

/**
 * Whether `after` rewrote `before` with the same content: only its metadata changed (the wasted list's `=`, a chmod
 * or chown layer's copy). Files compare by content hash, as the analysis does.
 */
export function sameContent(before: FsNode, after: FsNode): boolean {
  if (before.kind !== after.kind) return false;
  if (after.kind === 'file') return before.size === after.size && before.sha === after.sha;
  if (after.kind === 'symlink' || after.kind === 'hardlink') return before.link === after.link;
  // A special file is its type (FIFO, character or block device: the mode's format bits) and a device's numbers.
  if (after.kind === 'other')
    return (
      (before.mode & 0o170000) === (after.mode & 0o170000) &&
      before.device?.major === after.device?.major &&
      before.device?.minor === after.device?.minor
    );
  return true;
}
