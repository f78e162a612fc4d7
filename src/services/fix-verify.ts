// `lint --fix --verify`: proves what each fix saves by building the image before the fixes and after each one from the
// same context with buildah, and analyzing every build. The flow of scripts/verify-bloated-fix.sh, as a service:
// private container storage in a temp dir (removed afterwards, mounts included), chroot isolation (no daemon, no user
// namespaces needed), layer caching on so each build reuses the unchanged beginning of the Dockerfile, and each image
// exported with `buildah push ... oci:DIR` for the analyze service to read like any other OCI layout. The builds read
// copies of the fixed files in the temp dir: the user's Dockerfile and .dockerignore are not touched here.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { SourceError, UsageError } from '../errors.js';
import { estimateFix, type FixEstimate } from '../lint/estimate.js';
import type { FixStep } from '../lint/fixer.js';
import type { RuleType } from '../report/types.js';
import { tempWriteError } from '../temp-files.js';
import { analyze, type AnalyzeResult } from './analyze.js';
import { findDockerfiles } from './lint.js';

export interface FixVerifyOptions {
  dockerfile: string;
  /** Build context directory (the lint command defaults it to the Dockerfile's directory). */
  context: string;
  /** The fixes one at a time, with the files after each (lint's `fixPlan`), in the order they are measured. */
  steps: FixStep[];
  /** Images to put into the private storage before building, e.g. `{ name: 'localhost/base', source: 'oci:DIR:tag' }`. */
  preload?: { name: string; source: string }[];
  /** The buildah binary (default: buildah on PATH). */
  buildah?: string;
  /** The skopeo binary, for `preload` (default: skopeo on PATH). */
  skopeo?: string;
  /** Where the temp dir goes (default: the OS temp dir); a failed build's log is kept here. */
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

/** What one fix (or one group of fixes that could only be applied together) saved. */
export interface FixMeasurement {
  /** The rule codes of the fix (more than one when measured as a group). */
  codes: string[];
  /** The line of the (first) finding, in the Dockerfile as the fixer's pass that applies it read it. */
  line: number;
  title: string;
  /** The fixer's pass (1 for the fixes of the original file; a later pass sees the file the earlier ones made). */
  pass: number;
  /** Expected saving, read off the image built before this pass's fixes (null: unknown). */
  estimate: FixEstimate;
  /**
   * Uncompressed layer bytes this fix took out of the image (size before it minus size after it; negative when it
   * grew): what the image costs to store and pull, the number each fix is reported by.
   */
  measuredBytes: number;
  /** Reclaimable bytes (analyze's findings) this fix took away. */
  reclaimableBytes: number;
  /** Wasted bytes (files hidden or duplicated by later layers) this fix took away. */
  wastedBytes: number;
  /** Totals of the image after this fix (and the ones before it). */
  after: ImageTotals;
  /** Whether the files after this fix differed from the ones before it (false: nothing was built, 0 B). */
  built: boolean;
}

export interface BuildTiming {
  /** 'before' or the index of the fix after which this build ran. */
  build: 'before' | number;
  seconds: number;
  /** Instructions buildah took from its layer cache. */
  cachedSteps: number;
}

export interface FixVerifyResult {
  before: ImageTotals;
  after: ImageTotals;
  /** Image size the fixes removed (uncompressed layer bytes, before minus after); negative when it grew. */
  savedBytes: number;
  /** Reclaimable bytes (analyze's findings) the fixes removed. */
  findingBytesSaved: number;
  fixes: FixMeasurement[];
  builds: BuildTiming[];
  /** Wall time of all the builds (and exports), seconds. */
  buildSeconds: number;
}

/** What `lint --fix --verify` reports (JSON `verify`): the measurements, with the rule type and estimate totals. */
export interface FixVerifyReport extends Omit<FixVerifyResult, 'fixes'> {
  fixes: (FixMeasurement & { ruleType: RuleType | 'unknown' })[];
  /** Sum of the known estimates. */
  estimatedBytes: number;
  /** Fixes with no estimate. */
  unknownEstimates: number;
}

/** The report of a verification: each fix's rule type (from the lint report's rule metadata) and the estimate totals. */
export function verifyReport(result: FixVerifyResult, rules: Record<string, { type: RuleType }>): FixVerifyReport {
  const known = result.fixes.filter((f) => f.estimate.bytes !== null);
  return {
    ...result,
    fixes: result.fixes.map((f) => ({
      ...f,
      ruleType: f.codes.length === 1 ? (rules[f.codes[0]!]?.type ?? 'unknown') : 'unknown',
    })),
    estimatedBytes: known.reduce((n, f) => n + f.estimate.bytes!, 0),
    unknownEstimates: result.fixes.length - known.length,
  };
}

const LOG_TAIL_LINES = 6;

export async function verifyFixes(options: FixVerifyOptions): Promise<FixVerifyResult> {
  const buildah = options.buildah ?? 'buildah';
  await checkBuildah(buildah, options.env);
  const where = options.tmpDir ?? tmpdir();
  let work: string;
  try {
    work = mkdtempSync(join(where, 'ballast-fix-verify-'));
  } catch (error) {
    throw tempWriteError(error, { what: 'the builds to measure', room: 'two builds of the image', where });
  }
  const storage = ['--root', join(work, 'storage'), '--runroot', join(work, 'run'), '--storage-driver', 'overlay'];
  const env = { ...(options.env ?? process.env), BUILDAH_LAYERS: 'true', BUILDAH_ISOLATION: 'chroot' };
  const bh = (args: string[], log: string) => run(buildah, [...storage, ...args], env, join(work, log));
  // A failed build's log outlives the temp dir: the error names it.
  const keepLog = (log: string): string => {
    const kept = join(options.tmpDir ?? tmpdir(), `ballast-fix-verify-${basename(work).slice(-6)}-${basename(log)}`);
    try {
      copyFileSync(log, kept);
      return kept;
    } catch {
      return log;
    }
  };
  try {
    // skopeo, not `buildah pull`: buildah names an oci: image after its path, which fails for paths with dots.
    const store = `containers-storage:[overlay@${join(work, 'storage')}+${join(work, 'run')}]`;
    for (const [i, { name, source }] of (options.preload ?? []).entries()) {
      const log = join(work, `preload-${i}.log`);
      const code = await run(options.skopeo ?? 'skopeo', ['copy', '-q', source, `${store}${name}`], env, log).catch(
        () => -1,
      );
      if (code !== 0) throw buildError(`loading ${source} into the build storage with skopeo failed`, keepLog(log));
    }
    const builds: BuildTiming[] = [];
    const started = Date.now();
    /** Builds one state of the files (the original, or after fix `index`), exports and analyzes it. */
    const build = async (
      index: 'before' | number,
      dockerfile: string,
      ignorefile: string | undefined,
      what: string,
    ): Promise<AnalyzeResult> => {
      const name = `localhost/ballast-verify/${index === 'before' ? 'before' : `fix-${index}`}:latest`;
      const log = `build-${index}.log`;
      const args = ['bud', '--pull=never', '--layers', '--isolation', 'chroot'];
      if (ignorefile) args.push('--ignorefile', ignorefile);
      args.push('-f', dockerfile, '-t', name, options.context);
      const t0 = Date.now();
      if ((await bh(args, log)) !== 0) throw buildError(`the build ${what} failed`, keepLog(join(work, log)));
      // One OCI layout for every build, a tag each: the base and the cached layers are written to it once, not N+1 times.
      const image = `oci:${join(work, 'images.oci')}:${index === 'before' ? 'before' : `fix-${index}`}`;
      if ((await bh(['push', '--disable-compression', name, image], `push-${index}.log`)) !== 0)
        throw buildError(`exporting the image built ${what} failed`, keepLog(join(work, `push-${index}.log`)));
      const cachedSteps = (readFileSync(join(work, log), 'utf8').match(/^--> Using cache /gm) ?? []).length;
      builds.push({ build: index, seconds: (Date.now() - t0) / 1000, cachedSteps });
      // The Dockerfile too, so that the layers are matched to its instructions (the estimates need that).
      const analysis = await analyze({ image, dockerfile, top: Number.MAX_SAFE_INTEGER });
      return analysis;
    };
    const original = await build('before', options.dockerfile, undefined, `before the fixes (${options.dockerfile})`);
    const analyses: AnalyzeResult[] = [];
    const fixes: FixMeasurement[] = [];
    let previous = original;
    for (const [i, step] of options.steps.entries()) {
      const prior = options.steps[i - 1];
      const same = prior
        ? prior.text === step.text && sameContext(prior.context, step.context)
        : step.context.size === 0 && step.text === readFileSync(options.dockerfile, 'utf8').replace(/^\uFEFF/, '');
      let analysis = previous;
      if (!same) {
        const dir = join(work, `fix-${i + 1}`);
        mkdirSync(dir);
        const dockerfile = join(dir, basename(options.dockerfile));
        writeFileSync(dockerfile, step.text);
        const ignorefile = ignoreFileOf(step, dir, basename(options.dockerfile));
        analysis = await build(i + 1, dockerfile, ignorefile, `after fix ${i + 1} (${describe(step)})`);
      }
      analyses.push(analysis);
      // The estimate comes from the image of the files as this fix's pass found them: its lines are that file's lines.
      const passImage = step.passStart < 0 ? original : analyses[step.passStart]!;
      const [first] = step.findings;
      const estimate =
        step.findings.length === 1
          ? estimateFix(first!, passImage)
          : sumEstimates(step.findings.map((f) => estimateFix(f, passImage)));
      const b = totals(previous);
      const a = totals(analysis);
      fixes.push({
        codes: step.findings.map((f) => f.code),
        line: first!.location.kind === 'dockerfile' ? first!.location.line : 0,
        title: step.findings.map((f) => f.fix!.title).join('; '),
        pass: step.pass,
        estimate,
        measuredBytes: b.uncompressedBytes - a.uncompressedBytes,
        reclaimableBytes: b.findingBytes - a.findingBytes,
        wastedBytes: b.wastedBytes - a.wastedBytes,
        after: a,
        built: !same,
      });
      previous = analysis;
    }
    const b = totals(original);
    const a = totals(previous);
    return {
      before: b,
      after: a,
      savedBytes: b.uncompressedBytes - a.uncompressedBytes,
      findingBytesSaved: b.findingBytes - a.findingBytes,
      fixes,
      builds,
      buildSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    await bh(['rmi', '--all', '--force'], 'rmi.log').catch(() => 1);
    unmountUnder(work);
    rmSync(work, { recursive: true, force: true });
  }
}

function sameContext(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([name, text]) => b.get(name) === text);
}

function describe(step: FixStep): string {
  const [first] = step.findings;
  const line = first!.location.kind === 'dockerfile' ? ` line ${first!.location.line}` : '';
  return `${step.findings.map((f) => f.code).join('+')}${line}`;
}

/** Several fixes measured as one: their estimates added up (unknown when any is). */
function sumEstimates(estimates: FixEstimate[]): FixEstimate {
  if (estimates.some((e) => e.bytes === null))
    return { bytes: null, basis: 'unknown: a fix of the group has no estimate' };
  return { bytes: estimates.reduce((n, e) => n + e.bytes!, 0), basis: estimates.map((e) => e.basis).join('; ') };
}

/**
 * The ignore file a step's build uses, written into `dir`: the one the fixes edited (`<Dockerfile>.dockerignore` before
 * `.dockerignore`, the order the lint rules read them in); undefined when no fix edited one (buildah then reads the
 * context's own). A fix that edits another context file cannot be built from a copy: that is an error.
 */
function ignoreFileOf(step: FixStep, dir: string, dockerfileName: string): string | undefined {
  for (const name of step.context.keys())
    if (!name.endsWith('.dockerignore'))
      throw new UsageError(`--verify cannot build a fix that edits ${name} of the build context`, {
        code: 'verify-context',
        hint: 'run --fix without --verify, or turn that rule off with --ignore',
      });
  const text = step.context.get(`${dockerfileName}.dockerignore`) ?? step.context.get('.dockerignore');
  if (text === undefined) return undefined;
  const file = join(dir, '.dockerignore');
  writeFileSync(file, text);
  return file;
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
  return new SourceError(`${what}; last lines of its log (${log}): ${tail}`, {
    code: 'build-failed',
    hint: 'read the whole log there; your Dockerfile was left as it was',
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
