// DF013: `COPY . .` before the dependency install: every source change re-runs the install.
import { sourceLines, type Instruction } from '../../src/dockerfile/parse.js';
import { mountsOf } from '../../src/dockerfile/mount.js';
import {
  copySourceMatches,
  copySources,
  defineRule,
  directoryAt,
  dockerfileMeta,
  isSubcommand,
  pathWithin,
  pipReadsNoIndex,
  readPip,
  replaceInstruction,
  resolvePath,
  workdirTracker,
} from '../../src/lint/helpers.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import type { ContextEntry } from '../../src/report/rule.js';
import { earlierInChain } from '../../src/dockerfile/stages.js';
import { deleteInstruction } from '../../src/lint/autofix.js';
import { readSuppressions } from '../../src/lint/pragmas.js';

const BROAD = /^(\.|\.\/|\*|\.\/\*|\/)$/;

/** A dependency install step and the manifest files it reads. */
function installStep(command: ShellCommand): string | undefined {
  if (isSubcommand(command, ['npm'], ['install', 'i', 'ci'])) return 'package.json and package-lock.json';
  if (
    isSubcommand(command, ['yarn'], ['install']) ||
    (command.program === 'yarn' && command.args.every((a) => a.startsWith('-')))
  )
    return 'package.json and yarn.lock';
  if (isSubcommand(command, ['pnpm'], ['install', 'i'])) return 'package.json and pnpm-lock.yaml';
  // bun.lock is the text lockfile of bun 1.2 and later, bun.lockb the binary one before it.
  if (isSubcommand(command, ['bun'], ['install', 'i'])) return 'package.json and bun.lock (or bun.lockb)';
  // The files it names (`-r requirements/prod.txt`), which are what to copy first.
  const requirements = pipInstall(command)?.files ?? [];
  if (requirements.length > 0) return requirements.join(' and ');
  if (isSubcommand(command, ['bundle'], ['install'])) return 'Gemfile and Gemfile.lock';
  if (isSubcommand(command, ['go'], ['mod']) && command.args.includes('download')) return 'go.mod and go.sum';
  if (isSubcommand(command, ['composer'], ['install'])) return 'composer.json and composer.lock';
  if (isSubcommand(command, ['poetry'], ['install'])) return 'pyproject.toml and poetry.lock';
  if (isSubcommand(command, ['uv'], ['sync'])) return 'pyproject.toml and uv.lock';
  if (isSubcommand(command, ['mvn', 'mvnw'], ['dependency:go-offline', 'dependency:resolve'])) return 'pom.xml';
  if (isSubcommand(command, ['cargo'], ['fetch'])) return 'Cargo.toml and Cargo.lock';
  if (isSubcommand(command, ['mix'], ['deps.get'])) return 'mix.exs and mix.lock';
  // build, publish, pack and test restore the packages themselves first (as `dotnet restore`) unless told not to.
  if (
    isSubcommand(command, ['dotnet'], ['restore']) ||
    (isSubcommand(command, ['dotnet'], ['build', 'publish', 'pack', 'test']) && !command.args.includes('--no-restore'))
  )
    return 'the *.csproj and *.sln files, NuGet.config and Directory.*.props';
  return undefined;
}

/**
 * A `pip install` read as pip reads it (see readPip: `--requirem` is --requirement, `python3 -mpip` is pip): the
 * requirement files it names (`-r FILE`, `-rFILE`, `--requirement[=]FILE`), then its constraint files (`-c`), which
 * are manifests to copy first too once there is a requirement file; and whether it installs something else as well (a
 * package, `.`, an editable `-e .`), which needs more than those files. Undefined for no `pip install`.
 */
function pipInstall(command: ShellCommand): { files: string[]; more: boolean } | undefined {
  const pip = readPip(command);
  if (pip?.subcommand?.name !== 'install') return undefined;
  const named = (name: string) =>
    pip.options.filter((o) => o.name === name && o.value !== undefined && o.value !== '').map((o) => o.value!);
  const requirements = named('requirement');
  return {
    files: requirements.length > 0 ? [...requirements, ...named('constraint')] : [],
    more: pip.positionals.length > 0 || pip.options.some((o) => o.name === 'editable'),
  };
}

/**
 * The files an install step reads, in the order they are worth copying (the first one must exist), for the ecosystems
 * whose install needs nothing but them; undefined for the others (poetry/uv install the project itself, cargo fetch
 * needs the crate's targets, dotnet restore needs each project file at its own path, which one COPY cannot keep).
 */
function manifestFiles(command: ShellCommand): string[] | undefined {
  if (isSubcommand(command, ['npm'], ['install', 'i', 'ci']))
    return ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', '.npmrc'];
  if (isSubcommand(command, ['yarn'], ['install'])) return ['package.json', 'yarn.lock', '.yarnrc', '.yarnrc.yml'];
  if (isSubcommand(command, ['pnpm'], ['install', 'i'])) return ['package.json', 'pnpm-lock.yaml', '.npmrc'];
  if (isSubcommand(command, ['bun'], ['install', 'i'])) return ['package.json', 'bun.lock', 'bun.lockb'];
  const pip = pipInstall(command);
  if (pip) {
    // Only `-r FILE` installs: `pip install .` or `-e .` needs the source.
    if (pip.more) return undefined;
    const { files } = pip;
    // Plain relative names, spaces allowed (the fix writes those in the JSON form); a `$`, glob character or quote the
    // builder would read in a COPY source is not.
    return files.length > 0 && files.every((f) => /^[\w. -]+(\/[\w. -]+)*$/.test(f) && !f.startsWith('/'))
      ? files
      : undefined;
  }
  if (isSubcommand(command, ['bundle'], ['install'])) return ['Gemfile', 'Gemfile.lock'];
  if (isSubcommand(command, ['go'], ['mod']) && command.args.includes('download')) return ['go.mod', 'go.sum'];
  if (isSubcommand(command, ['composer'], ['install'])) return ['composer.json', 'composer.lock'];
  // What Phoenix's generated Dockerfile copies before `mix deps.get`.
  if (isSubcommand(command, ['mix'], ['deps.get'])) return ['mix.exs', 'mix.lock'];
  return undefined;
}

/**
 * A JavaScript install that fetches nothing (`npm ci --offline`; `pnpm install --offline` after `pnpm fetch`, pnpm's
 * documented Docker idiom): it reads what an earlier step downloaded, so re-running it after a source change costs no
 * download.
 */
function offlineInstall(command: ShellCommand): boolean {
  return ['npm', 'yarn', 'pnpm', 'bun'].includes(command.program) && command.args.includes('--offline');
}

/**
 * A pnpm install in a workspace: the context has a pnpm-workspace.yaml at its root, or the install picks workspace
 * packages (`--filter`, `-F`, `--recursive`, `-r`). Each workspace package has its own package.json, so the root's
 * package.json and the lockfile are not enough to install from; `pnpm fetch` is, from the lockfile alone.
 */
function pnpmWorkspaceInstall(command: ShellCommand, contextEntry: (path: string) => ContextEntry): boolean {
  if (!isSubcommand(command, ['pnpm'], ['install', 'i'])) return false;
  return (
    contextEntry('pnpm-workspace.yaml') === 'file' ||
    command.args.some((a) => /^(--filter(=.*)?|-F.*|--recursive|-r)$/.test(a))
  );
}

/** Why the usual advice does not hold in a pnpm workspace (see pnpmWorkspaceInstall), which every finding then says. */
const PNPM_WORKSPACE = 'in a workspace package.json and pnpm-lock.yaml are not enough to install from, so';
const PNPM_FETCH = '`RUN pnpm fetch` (it needs only the lockfile)';
const PNPM_OFFLINE = '`RUN pnpm install --offline`';

/**
 * The advice of a finding on an install: copy its manifests first (`from` that stage, for a `COPY --from`), install,
 * then copy the rest; in a pnpm workspace, pnpm's documented idiom instead, which copies the lockfile alone for `pnpm
 * fetch` and installs offline after the rest.
 */
function copyAdvice(manifests: string, workspace: boolean, from = ''): string {
  return workspace
    ? `${PNPM_WORKSPACE} copy pnpm-lock.yaml${from} first and ${PNPM_FETCH}, then copy the rest and ${PNPM_OFFLINE}`
    : `copy ${manifests}${from} first, install, then copy the rest`;
}

/** The advice of a finding on a bind mount (see copyAdvice): the manifests alone for the install, the rest after. */
function mountAdvice(manifests: string, workspace: boolean): string {
  return workspace
    ? `${PNPM_WORKSPACE} mount or copy pnpm-lock.yaml alone for ${PNPM_FETCH}, and the rest for ${PNPM_OFFLINE}`
    : `mount or copy ${manifests} alone for the install, and the rest for the steps that need it`;
}

/**
 * A COPY's sources and destination as written back: plain words, or the JSON form when one holds a space (the shell
 * form splits on it, quotes or not).
 */
function copyArguments(words: string[]): string {
  return words.some((w) => /\s/.test(w)) ? `[${words.map((w) => JSON.stringify(w)).join(', ')}]` : words.join(' ');
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF013',
    name: 'broad-copy-before-install',
    type: 'cache',
    summary: 'Copy dependency manifests and install before copying the rest of the source',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      bustsCache:
        '`{{keyword}} {{source}}` copies the whole context before the dependency install on line {{installLine}}: any source change invalidates the cache and re-runs the install; copy {{manifests}} first, install, then copy the rest.',
      bustsCachePnpmWorkspace: `\`{{keyword}} {{source}}\` copies the whole context before the pnpm install on line {{installLine}}: any source change invalidates the cache and re-runs the install; ${copyAdvice('', true)}.`,
      // {{advice}}: copyAdvice or mountAdvice, the workspace's idiom for a pnpm workspace.
      bustsCacheDirectory:
        '`{{keyword}} {{source}}` copies the whole `{{source}}` directory, which holds the manifests of the dependency install on line {{installLine}}, before that install: any change under it invalidates the cache and re-runs the install; {{advice}}.',
      bustsCacheLaterStage:
        '`{{keyword}} {{source}}` copies the whole context in a stage that the dependency install on line {{installLine}} ({{stages}}) builds on: any source change invalidates the cache and re-runs the install; {{advice}}, in the installing stage or in this one.',
      bustsCacheFromStage:
        '`{{keyword}} --from={{stage}} {{source}}` copies what line {{contextLine}} of {{contextStage}} copied from the whole context, before the dependency install on line {{installLine}}: any source change invalidates the cache and re-runs the install; {{advice}}.',
      bustsCacheMount:
        '`--mount={{mount}}` mounts {{what}} where the dependency install of this RUN reads its manifests: any source change invalidates the cache of this RUN and re-runs the install; {{advice}}.',
      alreadyCopied:
        '`{{keyword}} {{source}}` copies the whole context before the dependency install on line {{installLine}}: any source change invalidates the cache and re-runs the install; line {{manifestLine}} already copies the manifests, so move this {{keyword}} below the install.',
    },
    sources: [],
  }),
  create(ctx) {
    const broadCopies = new Map<number, Instruction>();
    const workdir = workdirTracker(ctx);
    // Every local COPY so far: its sources and the directory it writes into.
    const copies: { instruction: Instruction; sources: string[]; dir: string }[] = [];
    /**
     * An earlier COPY of the same stage that already put the install's first manifest (package.json,
     * requirements.txt...) where the broad COPY writes: the manifests-first step is there, only the broad COPY is early.
     */
    const manifestCopy = (copy: Instruction, manifest: string): Instruction | undefined => {
      const dir = copies.find((c) => c.instruction === copy)?.dir;
      return copies.find(
        (c) =>
          c.instruction.stageIndex === copy.stageIndex &&
          c.instruction.index < copy.index &&
          c.dir === dir &&
          c.sources.some((source) => copySourceMatches(ctx.resolve(source, c.instruction), manifest)),
      )?.instruction;
    };
    /**
     * The COPYs of one context directory that is not the whole context (`COPY app /srv/app`), per stage: its contents land
     * in the destination, so an install that reads its manifest from there re-runs on any change under that directory,
     * as after `COPY . /srv/app`.
     */
    const directoryCopies = new Map<number, { instruction: Instruction; source: string; dir: string }[]>();
    /**
     * Whether a COPY source is a directory: the context says so, or it ends in `/`. Without a build context, never: only
     * the context can tell that a directory holds the install's manifest (`COPY docker-entrypoint /app` or
     * `COPY rootfs /` before an install copies scripts, not the project).
     */
    const namesDirectory = (source: string): boolean => {
      const entry = ctx.contextEntry(source);
      return entry === 'directory' || (entry === undefined && source.endsWith('/'));
    };
    /**
     * The earliest directory COPY of the stage that holds the manifest this install reads, when the build context has it
     * there too. For pip, a requirements*.txt at the directory's top: a `requirements/` directory of
     * `base.txt`, `prod.txt` is the manifests-first step, and one named `requirements*` holds nothing else either. For the
     * others, the manifest (package.json, go.mod...) in the working directory the install runs in: a directory holding
     * the project manifest holds the project. That directory is the WORKDIR, or where the RUN's `cd` went (`cd /srv/web
     * && npm ci` reads as `WORKDIR /srv/web`); none when a `cd` went where the script does not spell out.
     */
    const directoryCopy = (
      instruction: Instruction,
      command: ShellCommand,
      manifests: string,
      cwdOf: (command: ShellCommand) => string | undefined,
    ) => {
      const cwd = cwdOf(command);
      if (cwd === undefined) return undefined;
      const pip = pipInstall(command);
      const read = pip
        ? pip.files.filter((f) => !f.includes('$')).map((f) => resolvePath(ctx.resolve(f, instruction), cwd))
        : // The first file the step names; none for dotnet's project files, which have no one name.
          [manifests.split(' ')[0]].filter((f) => f !== 'the').map((f) => resolvePath(f, cwd));
      return directoryCopies.get(instruction.stageIndex)?.find(({ source, dir }) => {
        const top = source.replace(/\/+$/, '').split('/').pop() ?? '';
        if (pip && /^requirements/i.test(top)) return false;
        const prefix = dir === '/' ? '/' : `${dir}/`;
        const inside = (path: string) => (path.startsWith(prefix) ? path.slice(prefix.length) : undefined);
        const held = (name: string) => ctx.contextEntry(`${source.replace(/\/+$/, '')}/${name}`) !== undefined;
        if (!pip) return pathWithin(cwd, dir) && read.every((path) => held(inside(path)!));
        return read.some((path) => {
          const name = inside(path);
          return name !== undefined && /^requirements[^/]*\.txt$/.test(name) && held(name);
        });
      });
    };
    /**
     * The earliest COPY from another stage (see stageCopies) that put that stage's copy of the whole context where this
     * install reads its manifest: the working directory it runs in, at or below the copied one, or for pip a
     * requirement file it names there. None for an install that fetches nothing (`pip install --no-index` with local
     * `--find-links`, `npm ci --offline`): it reads what the stage brought, and re-running it costs no download.
     */
    const stageCopy = (
      instruction: Instruction,
      command: ShellCommand,
      cwdOf: (command: ShellCommand) => string | undefined,
    ) => {
      const read = fetchingReads(instruction, command, cwdOf);
      return stageCopies.get(instruction.stageIndex)?.find(({ dir }) => read.some((path) => pathWithin(path, dir)));
    };
    /**
     * Where an install that fetches its dependencies reads its manifest: the working directory it runs in, or for pip
     * the requirement files it names. None for an install that fetches nothing (`pip install --no-index` with local
     * `--find-links`, `npm ci --offline`): it reads what is there, and re-running it costs no download.
     */
    const fetchingReads = (
      instruction: Instruction,
      command: ShellCommand,
      cwdOf: (command: ShellCommand) => string | undefined,
    ): string[] => {
      const cwd = cwdOf(command);
      if (cwd === undefined || pipReadsNoIndex(command, ctx.variables(instruction))) return [];
      if (offlineInstall(command)) return [];
      const pip = pipInstall(command);
      return pip
        ? pip.files.filter((f) => !f.includes('$')).map((f) => resolvePath(ctx.resolve(f, instruction), cwd))
        : [cwd];
    };
    /**
     * A bind mount of the RUN that puts the whole context where its install reads the manifest (see fetchingReads):
     * the context itself (`--mount=type=bind,target=/app`, whose source is the context's root by default), or a
     * directory a stage copied the context into, or one above it (`--mount=type=bind,from=build,source=/app,target=/app`,
     * see contextLanding). What a bind mount holds is part of the RUN's cache key, as a COPY's files are of the steps
     * after it: any source change re-runs the install, as after `COPY . /app`.
     */
    const mountedContext = (
      instruction: Instruction,
      command: ShellCommand,
      cwdOf: (command: ShellCommand) => string | undefined,
    ) => {
      const read = fetchingReads(instruction, command, cwdOf);
      if (read.length === 0) return undefined;
      for (const mount of mountsOf(instruction)) {
        if (mount.type !== 'bind') continue;
        const source = ctx.resolve(mount.source ?? '', instruction);
        const target = ctx.resolve(mount.target, instruction);
        if (target === '' || (source + target).includes('$')) continue;
        const dest = resolvePath(target, workdir.current(instruction));
        let landed: { dir: string; from?: Instruction } | undefined;
        if (mount.from === undefined) {
          if (/^(\.?\/?|\/)$/.test(source)) landed = { dir: dest };
        } else {
          const stage = ctx.stages.stageByRef(ctx.resolve(mount.from, instruction), instruction.stageIndex);
          if (stage !== undefined) landed = contextLanding(stage, source || '/', dest);
        }
        if (landed && read.some((path) => pathWithin(path, landed.dir))) return { mount: mount.text, ...landed };
      }
      return undefined;
    };
    // Installs a stage ran before its broad COPY (`stage:manifests`): a second install of the same kind after the COPY
    // (uv sync / poetry install of the project itself) re-runs on top of a cached dependency layer.
    const installedBefore = new Set<string>();
    /**
     * Per stage, where its broad COPYs wrote (`COPY . /app`: /app), and per stage the COPYs from such a stage of that
     * directory or one above it (`COPY --from=build /app /app`): the later stage then holds the whole context there as
     * well, and an install reading its manifest there re-runs on any source change, as after `COPY . /app`.
     */
    const contextDirs: { instruction: Instruction; dir: string }[] = [];
    const stageCopies = new Map<
      number,
      { instruction: Instruction; source: string; stage: number; dir: string; from: Instruction }[]
    >();
    /**
     * Where the whole context lands when `source` of `stage` is put at `dest` (`COPY --from=build /app /srv` puts build's
     * /app/x at /srv/x, so build's broad COPY into /app/web lands in /srv/web): `source` is the directory a broad COPY
     * of that stage wrote into, or one above it. The stage's filesystem holds what the stages it is built FROM copied
     * too (`FROM build AS x` holds build's /app), so their broad COPYs count as its own.
     */
    const contextLanding = (stage: number, source: string, dest: string) => {
      const last = ctx.parsed.instructions[ctx.parsed.stages[stage].lastInstruction];
      const built = new Set([last, ...earlierInChain(ctx, last, 'newest-first')]);
      const root = resolvePath(source, '/').replace(/\/+$/, '') || '/';
      const held = contextDirs.find(({ instruction, dir }) => built.has(instruction) && pathWithin(dir, root));
      if (!held) return undefined;
      return {
        dir: resolvePath(`.${held.dir.slice(root === '/' ? 0 : root.length)}`, dest),
        from: held.instruction,
      };
    };
    const visitCopyFrom = (instruction: Instruction, from: string): void => {
      const stage = ctx.stages.stageByRef(ctx.resolve(from, instruction), instruction.stageIndex);
      const { sources, destination } = copySources(instruction);
      if (stage === undefined || sources.length !== 1 || !destination || /[$*?[\\]/.test(sources[0] + destination))
        return;
      const dest = resolvePath(ctx.resolve(destination, instruction), workdir.current(instruction));
      const landed = contextLanding(stage, sources[0], dest);
      if (!landed) return;
      const list = stageCopies.get(instruction.stageIndex) ?? [];
      list.push({ instruction, source: sources[0], stage, ...landed });
      stageCopies.set(instruction.stageIndex, list);
    };
    const visitCopy = (instruction: Instruction): void => {
      if (instruction.flags.from !== undefined) {
        visitCopyFrom(instruction, instruction.flags.from);
        return;
      }
      const { sources, destination } = copySources(instruction);
      if (destination && !destination.includes('$')) {
        const path = resolvePath(ctx.resolve(destination, instruction), workdir.current(instruction));
        // `COPY package.json /app/package.json` writes into /app.
        const intoDir =
          destination.endsWith('/') ||
          /^\.\/?$/.test(destination) ||
          sources.length !== 1 ||
          path.split('/').pop() !== sources[0].split('/').pop();
        copies.push({ instruction, sources, dir: intoDir ? path : path.replace(/\/[^/]*$/, '') || '/' });
      }
      const source = sources.find((s) => BROAD.test(s));
      if (source !== undefined && !broadCopies.has(instruction.stageIndex))
        broadCopies.set(instruction.stageIndex, instruction);
      if (source !== undefined && destination && !destination.includes('$')) {
        contextDirs.push({
          instruction,
          dir: resolvePath(ctx.resolve(destination, instruction), workdir.current(instruction)),
        });
      }
      // One source that names a directory, not a glob, a variable, a URL or a path out of the context.
      const only = sources.length === 1 ? sources[0] : undefined;
      if (
        only !== undefined &&
        source === undefined &&
        destination &&
        !/[$*?[\\:]/.test(only + destination) &&
        !only.split('/').includes('..') &&
        namesDirectory(only)
      ) {
        const list = directoryCopies.get(instruction.stageIndex) ?? [];
        list.push({ instruction, source: only, dir: resolvePath(destination, workdir.current(instruction)) });
        directoryCopies.set(instruction.stageIndex, list);
      }
    };
    /**
     * Unsafe fix: `COPY . DEST` becomes `COPY <the manifests that exist in the context> DEST/`, and `COPY . DEST` moves
     * to right after the install. Only when the install RUN does nothing but install (and clean caches), and nothing but
     * ENV/ARG/LABEL/EXPOSE sits between the two (a step there might need the source).
     */
    const reorderFix = (copy: Instruction, install: Instruction, copiedBy: Instruction | undefined) => {
      const { sources, destination } = copySources(copy);
      if (
        copy.keyword !== 'COPY' ||
        sources.length !== 1 ||
        !/^\.\/?$/.test(sources[0]) ||
        copy.heredocs.length > 0 ||
        // A destination read without its quotes (`"/my app/"`) cannot be written back as a plain word.
        /[$\s"'\\]/.test(destination)
      )
        return undefined;
      if (
        ctx.parsed.instructions
          .slice(copy.index + 1, install.index)
          .some((i) => !['ENV', 'ARG', 'LABEL', 'EXPOSE'].includes(i.keyword))
      )
        return undefined;
      if (ctx.parsed.instructions[install.index] !== install) return undefined;
      // An ignore pragma above the COPY would stay behind (or go with it when the COPY is deleted): the moved COPY's
      // findings it silenced would come back.
      if (readSuppressions(ctx.parsed).byInstruction.has(copy.index)) return undefined;
      const files = new Set<string>();
      for (const command of ctx.commands(install)) {
        const manifests = manifestFiles(command);
        if (manifests) {
          // Only whether each is a file matters: a lockfile may be tens of MB, and was read whole to learn it.
          if (ctx.contextEntry(manifests[0]) !== 'file') return undefined;
          for (const f of manifests) if (ctx.contextEntry(f) === 'file') files.add(f);
        } else if (!(
          command.program === 'rm' ||
          (['npm', 'yarn', 'pnpm'].includes(command.program) && command.args[0] === 'cache') ||
          // pip read as pip reads it, as its installs are: `python3 -mpip cache`, `pip --cache-dir /x cache`.
          readPip(command)?.subcommand?.name === 'cache' ||
          command.name === ''
        ))
          return undefined;
      }
      if (files.size === 0) return undefined;
      const lines = sourceLines(ctx.parsed);
      // Without the lines' CRs: a fix writes `\n`, and the file's CRLF is put back on the whole text afterwards.
      const copyText = lines
        .slice(copy.line - 1, copy.endLine)
        .map((l) => l.replace(/\r$/, ''))
        .join('\n')
        .slice(copy.column - 1);
      const flags = copy.flagList.map((f) => `--${f.name}${f.value === '' ? '' : `=${f.value}`} `).join('');
      const dest = destination === '.' ? './' : destination.endsWith('/') ? destination : `${destination}/`;
      // When an earlier COPY already brought the manifests, a second copy of them would only repeat it: the broad COPY
      // just moves.
      const manifestsCopy = copiedBy
        ? deleteInstruction(ctx.parsed, copy)
        : replaceInstruction(ctx.parsed, copy, `${copy.keywordText} ${flags}${copyArguments([...files, dest])}`);
      const endLine = (lines[install.endLine - 1] ?? '').replace(/\r$/, '');
      const moved = {
        range: {
          line: install.endLine,
          column: endLine.length + 1,
          endLine: install.endLine,
          endColumn: endLine.length + 1,
        },
        text: `\n${copyText}`,
      };
      return {
        applicability: 'unsafe' as const,
        title: copiedBy
          ? `Move the ${copy.keyword} below the install`
          : `Copy ${[...files].join(', ')} first, install, then copy the rest`,
        edits: [manifestsCopy, moved],
      };
    };
    /**
     * The installing stage and the stages between it and the COPY's, each built FROM the next: `stage \`deps\`, built
     * FROM stage \`tools\`, built FROM this stage`. A stage without a name is known by its index, as `--from` takes it.
     */
    const named = (stage: number): string => {
      const { name } = ctx.parsed.stages[stage];
      return name === undefined ? `stage ${stage}` : `stage \`${name}\``;
    };
    const stageChain = (installing: number, copying: number): string => {
      const chain: string[] = [];
      for (let stage: number | undefined = installing; stage !== undefined && stage !== copying;) {
        chain.push(named(stage));
        stage = ctx.stages.baseStage[stage];
      }
      return [...chain, 'this stage'].join(', built FROM ');
    };
    // The broad COPYs of stages that later stages are built FROM, once reported for one of those stages' installs.
    const reportedInherited = new Set<Instruction>();
    const inheritedBroadCopy = (stage: number): Instruction | undefined => {
      for (let base = ctx.stages.baseStage[stage]; base !== undefined; base = ctx.stages.baseStage[base]) {
        const copy = broadCopies.get(base);
        if (copy) return reportedInherited.has(copy) ? undefined : copy;
      }
      return undefined;
    };
    return {
      COPY: visitCopy,
      ADD: visitCopy,
      RUN(instruction) {
        // An ONBUILD RUN (visited as its trigger, which is not in the instruction list) runs in the builds FROM this
        // image, after all of this one: a COPY here neither busts its cache nor follows it.
        if (ctx.parsed.instructions[instruction.index] !== instruction) return;
        const own = broadCopies.get(instruction.stageIndex);
        // Without a broad COPY of its own, the stage's base may have one: it comes before this stage's steps too.
        const inherited = own ? undefined : inheritedBroadCopy(instruction.stageIndex);
        const copy = own ?? inherited;
        if (!copy) {
          const commands = ctx.commands(instruction);
          let mountReported = false;
          const cwdOf = directoryAt(commands, workdir.current(instruction), (text) => ctx.resolve(text, instruction));
          for (const command of commands) {
            const manifests = installStep(command);
            if (!manifests) continue;
            const workspace = pnpmWorkspaceInstall(command, (path) => ctx.contextEntry(path));
            const again = installedBefore.has(`${instruction.stageIndex}:${manifests}`);
            const directory = again ? undefined : directoryCopy(instruction, command, manifests, cwdOf);
            installedBefore.add(`${instruction.stageIndex}:${manifests}`);
            const fromStage = again || directory ? undefined : stageCopy(instruction, command, cwdOf);
            const mounted =
              again || directory || fromStage || mountReported
                ? undefined
                : mountedContext(instruction, command, cwdOf);
            if (mounted) {
              ctx.report({
                messageId: 'bustsCacheMount',
                data: {
                  mount: mounted.mount,
                  what:
                    mounted.from === undefined
                      ? 'the whole context'
                      : `what line ${mounted.from.line} of ${named(mounted.from.stageIndex)} copied from the whole context`,
                  advice: mountAdvice(manifests, workspace),
                },
                at: instruction,
              });
              // Once per RUN; the installs after it are still recorded (installedBefore).
              mountReported = true;
              continue;
            }
            if (fromStage) {
              ctx.report({
                messageId: 'bustsCacheFromStage',
                data: {
                  keyword: fromStage.instruction.keyword,
                  stage: fromStage.instruction.flags.from!,
                  source: fromStage.source,
                  contextLine: fromStage.from.line,
                  // The stage named, or the one it is built FROM that made the copy.
                  contextStage:
                    fromStage.from.stageIndex === fromStage.stage
                      ? 'that stage'
                      : `${named(fromStage.from.stageIndex)}, which that stage is built FROM,`,
                  installLine: instruction.line,
                  advice: copyAdvice(manifests, workspace, ' from that stage'),
                },
                at: fromStage.instruction,
              });
              // Once per COPY.
              stageCopies.set(
                instruction.stageIndex,
                stageCopies.get(instruction.stageIndex)!.filter((c) => c !== fromStage),
              );
            }
            if (!directory) continue;
            ctx.report({
              messageId: 'bustsCacheDirectory',
              data: {
                keyword: directory.instruction.keyword,
                source: directory.source,
                installLine: instruction.line,
                advice: copyAdvice(manifests, workspace),
              },
              at: directory.instruction,
            });
            // Once per directory COPY.
            directoryCopies.set(
              instruction.stageIndex,
              directoryCopies.get(instruction.stageIndex)!.filter((c) => c !== directory),
            );
          }
          return;
        }
        for (const command of ctx.commands(instruction)) {
          const manifests = installStep(command);
          if (!manifests || installedBefore.has(`${instruction.stageIndex}:${manifests}`)) continue;
          if (offlineInstall(command)) continue;
          const source = copySources(copy).sources.find((s) => BROAD.test(s))!;
          const first = manifestFiles(command)?.[0];
          // In a workspace the root's package.json copied first is not enough either: moving the broad COPY below the
          // install would leave it without the packages' manifests.
          const workspace = pnpmWorkspaceInstall(command, (path) => ctx.contextEntry(path));
          const copiedBy = first === undefined || workspace ? undefined : manifestCopy(copy, first);
          if (inherited) {
            if (installedBefore.has(`${inherited.stageIndex}:${manifests}`)) continue;
            // Once per COPY, however many stages built on it install.
            reportedInherited.add(inherited);
            ctx.report({
              messageId: 'bustsCacheLaterStage',
              data: {
                keyword: copy.keyword,
                source,
                installLine: instruction.line,
                advice: copyAdvice(manifests, workspace),
                stages: stageChain(instruction.stageIndex, inherited.stageIndex),
              },
              at: copy,
            });
            return;
          }
          // The manifests-first fix would copy the root's package.json alone, from which a workspace does not install.
          ctx.report({
            messageId: copiedBy ? 'alreadyCopied' : workspace ? 'bustsCachePnpmWorkspace' : 'bustsCache',
            data: {
              keyword: copy.keyword,
              source,
              installLine: instruction.line,
              manifests,
              manifestLine: copiedBy?.line ?? 0,
            },
            at: copy,
            fix: workspace ? undefined : reorderFix(copy, instruction, copiedBy),
          });
          broadCopies.delete(instruction.stageIndex);
          return;
        }
      },
    };
  },
});
