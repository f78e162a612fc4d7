// A private buildah store for tests that build images from a Dockerfile with no registry and no daemon: vfs storage
// in a temp dir under /var/tmp (buildah's layers need a file system that is not tmpfs-limited), chroot isolation, and
// the demo image (examples/demo/demo.tar) pulled in as localhost/ballast-demo:latest to build FROM.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface BuildahStore {
  /** The store's temp dir (free for the test's own files too; removed by cleanup). */
  dir: string;
  /** The global flags that point buildah at this store. */
  args: string[];
  /** `buildah bud` of `dockerfile` in `context`, tagged `tag`, with `flags` (`--layers`, `--squash`). */
  build(dockerfile: string, context: string, tag: string, flags?: string[]): void;
  /** `buildah push` of `tag` into a docker-archive at `tar`, named `name` (default: the tag). */
  push(tag: string, tar: string, name?: string): void;
  cleanup(): void;
}

const DEMO = resolve('examples/demo/demo.tar');

export function demoBuildahStore(prefix: string): BuildahStore {
  const dir = mkdtempSync(join('/var/tmp', `ballast-${prefix}-`));
  const args = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run'), '--storage-driver', 'vfs'];
  const buildah = (...rest: string[]) => execFileSync('buildah', [...args, ...rest], { stdio: 'pipe' });
  buildah('pull', '-q', `docker-archive:${DEMO}`);
  return {
    dir,
    args,
    build(dockerfile, context, tag, flags = []) {
      buildah('bud', '-q', '--isolation', 'chroot', ...flags, '-f', dockerfile, '-t', tag, context);
    },
    push(tag, tar, name = tag) {
      buildah('push', '-q', tag, `docker-archive:${tar}:${name}`);
    },
    cleanup() {
      spawnSync('buildah', [...args, 'rm', '--all']);
      spawnSync('buildah', [...args, 'rmi', '--all', '--force']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
