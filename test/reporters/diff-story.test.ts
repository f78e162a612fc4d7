// The one-sentence story of a diff names the directories that explain the change: the deepest ones carrying a
// tenth of the biggest change or more, package folders kept whole.
import type { DirectoryDelta } from '../../src/analysis/compare.js';
import { explainingDirectories } from '../../src/analysis/compare.js';

const dir = (path: string, deltaBytes: number): DirectoryDelta => ({
  path,
  deltaBytes,
  aBytes: 0,
  bBytes: Math.max(0, deltaBytes),
  aFiles: 0,
  bFiles: 0,
});
const paths = (list: DirectoryDelta[]) => list.map((d) => d.path);

describe('explainingDirectories', () => {
  it('splits a top directory whose change sits in two subtrees', () => {
    const dirs = [
      dir('var', 181e6),
      dir('var/cache', 93.7e6),
      dir('var/cache/apt', 92.9e6),
      dir('var/lib', 87.6e6),
      dir('var/lib/apt', 87.3e6),
      dir('var/lib/apt/lists', 87.3e6),
      dir('var/cache/apt/archives', 12.9e6),
      dir('app', 8.4e6),
    ];
    expect(paths(explainingDirectories(dirs))).toEqual(['var/cache/apt', 'var/lib/apt/lists']);
  });

  it('keeps node_modules whole and ignores changes in the other direction', () => {
    const dirs = [
      dir('usr', 80e3),
      dir('usr/lib', 80e3),
      dir('usr/lib/node_modules', 80e3),
      dir('usr/lib/node_modules/express', 60e3),
      dir('usr/lib/node_modules/debug', 20e3),
      dir('tmp', -30e3),
    ];
    expect(paths(explainingDirectories(dirs))).toEqual(['usr/lib/node_modules']);
  });

  it('names only directories that moved the way the image did, and none too small to explain it', () => {
    // B deletes files in a later layer: the image grew 10 kB while /del and /opt shrank
    const dirs = [dir('del', -3000), dir('opt', -2990), dir('weird', 24)];
    expect(paths(explainingDirectories(dirs, { sign: 1, whole: 10_200 }))).toEqual([]);
    expect(paths(explainingDirectories(dirs, { sign: -1, whole: -10_200 }))).toEqual(['del', 'opt']);
  });

  it('names at most three, biggest first, and nothing when nothing changed', () => {
    const dirs = [dir('a', -100), dir('a/x', -40), dir('a/y', -30), dir('a/z', -20), dir('a/w', -10)];
    expect(paths(explainingDirectories(dirs))).toEqual(['a/x', 'a/y', 'a/z']);
    expect(explainingDirectories([])).toEqual([]);
  });
});
