// `lint --fix --verify`: proves what a fix saves by building the image before and after it from the same context
// with buildah, and analyzing both. The flow of scripts/verify-bloated-fix.sh, as a service: private container
// storage in a temp dir (removed afterwards, mounts included), chroot isolation (no daemon, no user namespaces
// needed), layer caching on so the after-build reuses the unchanged prefix, and each image exported with
// `buildah push ... oci:DIR` for the analyze service to read like any other OCI layout.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { SourceError, UsageError } from '../errors.js';
import { analyze, type AnalyzeResult } from './analyze.js';
import { findDockerfiles } from './lint.js';

export interface FixVerifyOptions {
  dockerfile: string;
  /** Build context directory (the lint command defaults it to the Dockerfile's directory). */
  context: string;
  /**
   * Applies the fix to the Dockerfile (and context files); runs between the two builds. Gets the image built before
   * the fix (an OCI layout reference), so the estimates can be read off the very image the fix is measured against.
   */
  applyFix: (beforeImage: string) => Promise<void>;
  /** Images to put into the private storage before building, e.g. `{ name: 'localhost/base', source: 'oci:DIR:tag' }`. */
  preload?: { name: string; source: string }[];
  /** The buildah binary (default: buildah on PATH). */
  buildah?: string;
  /** The skopeo binary, for `preload` (default: skopeo on PATH). */
  skopeo?: string;
  /** Where the temp dir goes (default: the OS temp dir). */
  tmpDir?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ImageTotals {
  layers: number;
  uncompressedBytes: number;
  finalFileBytes: number;
  wastedBytes: number;
  findingBytes: number;
}

export interface FixVerifyResult {
  before: ImageTotals;
  after: ImageTotals;
  /** Image size the fix removed (uncompressed layer bytes, before minus after); negative when it grew. */
  savedBytes: number;
  /** Reclaimable bytes (analyze's findings) the fix removed. */
  findingBytesSaved: number;
}

const LOG_TAIL_LINES = 6;

export async function verifyFix(options: FixVerifyOptions): Promise<FixVerifyResult> {
  const buildah = options.buildah ?? 'buildah';
  await checkBuildah(buildah, options.env);
  const work = mkdtempSync(join(options.tmpDir ?? tmpdir(), 'ballast-fix-verify-'));
  const storage = ['--root', join(work, 'storage'), '--runroot', join(work, 'run'), '--storage-driver', 'overlay'];
  const env = { ...(options.env ?? process.env), BUILDAH_LAYERS: 'true', BUILDAH_ISOLATION: 'chroot' };
  const bh = (args: string[], log: string) => run(buildah, [...storage, ...args], env, join(work, log));
  try {
    // skopeo, not `buildah pull`: buildah names an oci: image after its path, which fails for paths with dots.
    const store = `containers-storage:[overlay@${join(work, 'storage')}+${join(work, 'run')}]`;
    for (const [i, { name, source }] of (options.preload ?? []).entries()) {
      const log = join(work, `preload-${i}.log`);
      const code = await run(options.skopeo ?? 'skopeo', ['copy', '-q', source, `${store}${name}`], env, log).catch(
        () => -1,
      );
      if (code !== 0) throw buildError(`loading ${source} into the build storage with skopeo failed`, log);
    }
    const build = async (which: 'before' | 'after'): Promise<{ image: string; analysis: AnalyzeResult }> => {
      const log = `${which}.log`;
      const args = ['bud', '--pull=never', '--layers', '--isolation', 'chroot'];
      args.push('-f', options.dockerfile, '-t', `localhost/ballast-verify/${which}:latest`, options.context);
      if ((await bh(args, log)) !== 0)
        throw buildError(`the build ${which} the fix failed (${options.dockerfile})`, join(work, log));
      const oci = join(work, `${which}.oci`);
      const push = ['push', `localhost/ballast-verify/${which}:latest`, `oci:${oci}:latest`];
      if ((await bh(push, `push-${which}.log`)) !== 0)
        throw buildError(`exporting the image built ${which} the fix failed`, join(work, `push-${which}.log`));
      return { image: `oci:${oci}:latest`, analysis: await analyze({ image: `oci:${oci}:latest` }) };
    };
    // The original is built before the fix touches anything: the fix may also write .dockerignore into the context.
    const before = await build('before');
    await options.applyFix(before.image);
    const after = await build('after');
    const b = totals(before.analysis);
    const a = totals(after.analysis);
    return {
      before: b,
      after: a,
      savedBytes: b.uncompressedBytes - a.uncompressedBytes,
      findingBytesSaved: b.findingBytes - a.findingBytes,
    };
  } finally {
    await bh(['rmi', '--all', '--force'], 'rmi.log').catch(() => 1);
    unmountUnder(work);
    rmSync(work, { recursive: true, force: true });
  }
}

function totals(result: AnalyzeResult): ImageTotals {
  const { layers, uncompressedBytes, finalFileBytes, wastedBytes, findingBytes } = result.summary;
  return { layers, uncompressedBytes, finalFileBytes, wastedBytes, findingBytes };
}

async function checkBuildah(buildah: string, env: NodeJS.ProcessEnv | undefined): Promise<void> {
  const ok = await run(buildah, ['--version'], env ?? process.env).catch(() => -1);
  if (ok !== 0)
    throw new UsageError(`--verify needs buildah, and ${buildah} could not be run`, {
      code: 'no-buildah',
      hint: 'install buildah (apt-get install buildah), or drop --verify to see the estimates only',
    });
}

/** Runs a command with its output (stdout and stderr) in `log`; resolves to the exit code. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, log?: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const fd = log ? openSync(log, 'w') : 'ignore';
    const done = () => {
      if (typeof fd === 'number') closeSync(fd);
    };
    const child = spawn(command, args, { env, stdio: ['ignore', fd, fd] });
    child.on('error', (error) => {
      done();
      reject(error);
    });
    child.on('close', (code) => {
      done();
      resolvePromise(code ?? 1);
    });
  });
}

function buildError(what: string, log: string): SourceError {
  let tail = '';
  try {
    tail = readFileSync(log, 'utf8').trimEnd().split('\n').slice(-LOG_TAIL_LINES).join(' | ');
  } catch {
    tail = '(no build log)';
  }
  return new SourceError(`${what}; last lines of its log: ${tail}`, {
    code: 'build-failed',
    hint: 'build the Dockerfile by hand with buildah bud to see the whole log',
  });
}

/** buildah can leave overlay/chroot mounts under the storage root; unmount them so the temp dir can go. */
function unmountUnder(dir: string): void {
  let mounts: string;
  try {
    mounts = readFileSync('/proc/mounts', 'utf8');
  } catch {
    return;
  }
  const targets = mounts
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(`${dir}/`))
    .sort()
    .reverse();
  for (const target of targets) spawnSync('umount', ['-l', target], { stdio: 'ignore' });
}

/** The one Dockerfile --verify builds, and its context (default: the Dockerfile's directory). */
export function verifyTarget(
  files: string[],
  cwd: string,
  context: string | undefined,
): { dockerfile: string; context: string } {
  const found = findDockerfiles(files.length > 0 ? files : ['Dockerfile'], cwd);
  if (found.length !== 1 || found[0] === '-')
    throw new UsageError(
      `--verify builds one Dockerfile, and ${found.length === 1 ? 'stdin' : `${found.length}`} was given`,
      {
        code: 'verify-target',
        hint: 'pass the path of one Dockerfile (not - or a directory with several)',
      },
    );
  const dockerfile = found[0]!;
  return { dockerfile, context: context ? resolve(cwd, context) : dirname(dockerfile) };
}

/** `--verify-load NAME=SOURCE` values. */
export function parseVerifyLoad(values: string[]): { name: string; source: string }[] {
  return values.map((value) => {
    const at = value.indexOf('=');
    if (at <= 0 || at === value.length - 1)
      throw new UsageError(`--verify-load ${value}: expected NAME=SOURCE`, {
        code: 'bad-flag',
        hint: 'e.g. --verify-load debian:12=oci:./debian.oci:latest',
      });
    return { name: value.slice(0, at), source: value.slice(at + 1) };
  });
}
