// What `bases` needs from a Dockerfile: the image its final stage starts from (following `FROM <stage>` back, with
// global ARG defaults filled in), and the RUN lines that end up in the final image with the package managers they
// call, so a candidate with another package manager, or with no shell, can name the lines that would break.
import { platformArgValues } from '../../dockerfile/build-args.js';
import { parseDockerfile, readDockerfileText, type ParsedDockerfile } from '../../dockerfile/parse.js';
import { parseShell, runDialect } from '../../dockerfile/shell.js';
import { analyzeStages, binShAt, rootStage, substitute, withPlatformArgs } from '../../dockerfile/stages.js';
import { UsageError } from '../../errors.js';
import { hostPlatform, parsePlatform } from '../../image/platform.js';
import { finalChain } from '../attribution.js';

export interface RunLine {
  file: string;
  line: number;
  /** The RUN line as written, on one line. */
  text: string;
  /** Package managers it calls (`apt`, `apk`, `microdnf`...). */
  packageManagers: string[];
  /** Shell form needs /bin/sh in the image; exec form does not. */
  shellForm: boolean;
  /** For a shell-form line after a SHELL instruction, the program it runs with (`/bin/bash`); null for /bin/sh. */
  shellProgram: string | null;
}

export interface DockerfileBase {
  file: string;
  /** The Dockerfile's text, for attributing the user's layers to its lines. */
  text: string;
  /** The final stage's base image, ARG defaults resolved. */
  from: string;
  fromLine: number;
  /**
   * The platform that FROM pulls its base for (`FROM --platform=linux/arm64 node:20`), ARG defaults resolved; absent
   * without the flag or when it names a build-time variable (`$BUILDPLATFORM`, `$TARGETPLATFORM`: this machine's
   * platform unless the build says otherwise, which is also what `bases` uses when nothing is said).
   */
  platform?: string;
  runLines: RunLine[];
}

const MANAGERS: Record<string, string> = {
  'apt-get': 'apt',
  apt: 'apt',
  aptitude: 'apt',
  dpkg: 'apt',
  apk: 'apk',
  microdnf: 'microdnf',
  dnf: 'dnf',
  yum: 'yum',
  tdnf: 'tdnf',
  rpm: 'rpm',
  zypper: 'zypper',
};

/** Package managers that can stand in for each other (an image with dnf runs `yum` and `rpm`). */
export function compatibleManagers(manager: string): string[] {
  if (manager === 'apt') return ['apt'];
  if (manager === 'apk') return ['apk'];
  if (['dnf', 'yum', 'microdnf', 'tdnf'].includes(manager))
    return manager === 'microdnf' ? ['microdnf', 'rpm'] : ['dnf', 'yum', 'rpm', manager];
  return [manager];
}

/**
 * The final stage's base and RUN lines. `target` is the platform compared on (`--platform`; default this machine's): the
 * target whose TARGET* arguments a FROM may use.
 */
export function readBaseFromDockerfile(parsed: ParsedDockerfile, target?: string): DockerfileBase {
  if (parsed.stages.length === 0) {
    throw new UsageError(`${parsed.file} has no FROM instruction`, {
      code: 'dockerfile-no-from',
      hint: 'pass the Dockerfile the image is built from',
    });
  }
  // BuildKit sets the platform arguments in the global scope, so a FROM may use them undeclared, to name an image
  // (`FROM distroless/static:nonroot-$TARGETARCH`) or an earlier stage (`FROM build-$TARGETARCH`), which the stage
  // model then follows back to the image its chain starts from; a global ARG's own default still wins.
  const host = hostPlatform();
  const builtin = platformArgValues(target === undefined ? host : parsePlatform(target), host);
  const model = analyzeStages(parsed, builtin);
  const stage = parsed.stages[rootStage(model, parsed.stages.length - 1)];
  const vars = withPlatformArgs(model.globalArgs, builtin);
  const from = substitute(stage.baseImage, vars);
  if (from.includes('$')) {
    throw new UsageError(
      `the final FROM of ${parsed.file} (line ${stage.line}) uses ${from.match(/\$\{?\w+/)![0].replace('{', '')}, which has no default`,
      {
        code: 'dockerfile-unresolved-from',
        hint: 'give the ARG a default before the first FROM, or pass the base image with --base',
      },
    );
  }
  const runLines: RunLine[] = [];
  // SHELL holds for the rest of its stage and the stages built FROM it: the chain is in that order.
  let shell: string | null = null;
  for (const instruction of finalChain(parsed, model).instructions) {
    if (instruction.keyword === 'SHELL' && instruction.execArgs?.length) {
      shell = instruction.execArgs[0] === '/bin/sh' ? null : instruction.execArgs[0];
      continue;
    }
    if (instruction.keyword !== 'RUN') continue;
    // Alpine's `/bin/sh` (and a `sh -c` in the RUN) is BusyBox ash, Fedora's bash: both read `$'...'` quotes.
    const binSh = binShAt(model, instruction.stageIndex);
    const programs =
      instruction.form === 'exec'
        ? [(instruction.execArgs?.[0] ?? '').split('/').pop() ?? '']
        : parseShell(instruction.shellText, 0, runDialect(instruction, shell ?? undefined, binSh), binSh).map(
            (c) => c.program,
          );
    const packageManagers = [...new Set(programs.map((p) => MANAGERS[p]).filter((m): m is string => m !== undefined))];
    runLines.push({
      file: parsed.file,
      line: instruction.line,
      text: `RUN ${instruction.shellText}`.replace(/\s+/g, ' ').trim(),
      packageManagers,
      shellForm: instruction.form === 'shell',
      shellProgram: instruction.form === 'shell' ? shell : null,
    });
  }
  const platform = stage.platform === undefined ? undefined : substitute(stage.platform, model.globalArgs);
  return {
    file: parsed.file,
    text: parsed.text,
    from,
    fromLine: stage.line,
    platform: platform && !platform.includes('$') ? platform : undefined,
    runLines,
  };
}

export async function readDockerfileBase(path: string, target?: string): Promise<DockerfileBase> {
  return readBaseFromDockerfile(parseDockerfile(await readDockerfileText(path), path), target);
}
