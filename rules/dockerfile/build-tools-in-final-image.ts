// DF021: compilers and -dev packages installed in the image that ships, with no build stage to leave them in.
import {
  APT_VALUE_FLAGS,
  baseImageOf,
  cleanupAfter,
  defineRule,
  dockerfileMeta,
  isSubcommand,
  officialImageName,
  packagesOf,
  parseImageRef,
  RPM_PROGRAMS,
  unsureCleanup,
  ZYPPER_VALUE_FLAGS,
} from '../../src/lint/helpers.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import type { Instruction } from '../../src/dockerfile/parse.js';
import type { DockerfileContext } from '../../src/report/rule.js';

const TOOLS = new Set([
  'build-essential',
  'gcc',
  'g++',
  'clang',
  'make',
  'cmake',
  'autoconf',
  'automake',
  'libtool',
  'pkg-config',
  'pkgconf',
  'gfortran',
  'musl-dev',
  'linux-headers',
  'build-base',
  'alpine-sdk',
  'gcc-c++',
  'golang',
  'rustc',
  'cargo',
  'node-gyp',
  'cpp',
]);

function isBuildPackage(name: string): boolean {
  // apt pins a version with `=` and a release with `/` (`make/bookworm`); apk pins with `=`, `<`, `>` or `~`.
  const bare = name.split(/[=<>/~]/)[0].replace(/:\w+$/, '');
  return TOOLS.has(bare) || /-(dev|devel)$/.test(bare) || /^(gcc|g\+\+|clang)-\d+$/.test(bare);
}

// The architectures a yum/dnf package spec may end in (`gcc.x86_64`, `gcc-14.2.1-1.fc41.aarch64`).
const RPM_ARCH = /\.(x86_64|aarch64|i686|ppc64le|s390x|noarch)$/;
// A version or release as it follows a name: it starts with a digit, an epoch first in a version (`0:14.2.1`).
const RPM_EDITION = /^(\d+:)?\d[\w.+~^]*$/;

/**
 * The names a yum/dnf package spec may name, as they read NAME[-[EPOCH:]VERSION[-RELEASE]][.ARCH]: the spec itself and
 * it without one or two trailing `-VERSION` parts, each starting with a digit (`gcc-14.2.1` and `gcc-14.2.1-1.fc41` are
 * gcc). `gcc-c++` stays itself: `c++` is no version.
 */
function rpmNames(spec: string): string[] {
  const names = [spec];
  const parts = spec.replace(RPM_ARCH, '').split('-');
  for (let drop = 0; drop <= 2 && parts.length - drop >= 1; drop += 1) {
    if (drop > 0 && !RPM_EDITION.test(parts[parts.length - drop])) break;
    if (parts.length - drop > 0) names.push(parts.slice(0, parts.length - drop).join('-'));
  }
  return [...new Set(names)];
}

/** Whether a package an install names is a build tool, its version read as the command's package manager writes it. */
function isBuildTool(command: ShellCommand, spec: string): boolean {
  return RPM_PROGRAMS.includes(command.program) ? rpmNames(spec).some(isBuildPackage) : isBuildPackage(spec);
}

// zypper's options that take the next word, by name as isSubcommand reads them (`-R`, `--root`).
const ZYPPER_VALUES = [...ZYPPER_VALUE_FLAGS].map((flag) => flag.replace(/^-+/, ''));

/**
 * The official php image's list of build tools (on Alpine: autoconf dpkg-dev dpkg file g++ gcc libc-dev make pkgconf
 * re2c), which its docs install for `pecl install` and docker-php-ext-install: `$PHPIZE_DEPS` or `${PHPIZE_DEPS}`.
 */
const PHPIZE_DEPS = /^\$(PHPIZE_DEPS|\{PHPIZE_DEPS\})$/;

function installedPackages(command: ShellCommand): string[] {
  if (isSubcommand(command, ['apt-get', 'apt'], ['install'], APT_VALUE_FLAGS))
    return packagesOf(command, APT_VALUE_FLAGS);
  if (isSubcommand(command, ['apk'], ['add'], ['t', 'virtual', 'X', 'repository']))
    return packagesOf(command, ['t', 'virtual', 'X', 'repository']);
  if (isSubcommand(command, RPM_PROGRAMS, ['install'])) return packagesOf(command);
  if (isSubcommand(command, ['zypper'], ['install', 'in'], ZYPPER_VALUES)) return packagesOf(command, ZYPPER_VALUES);
  if (isSubcommand(command, ['npm'], ['install', 'i']) && command.args.some((a) => a === '-g' || a === '--global'))
    return packagesOf(command).filter((p) => p === 'node-gyp');
  return [];
}

function removesPackages(command: ShellCommand): boolean {
  return (
    isSubcommand(command, ['apt-get', 'apt'], ['purge', 'remove', 'autoremove'], APT_VALUE_FLAGS) ||
    isSubcommand(command, ['apk'], ['del']) ||
    isSubcommand(command, RPM_PROGRAMS, ['remove', 'erase', 'autoremove']) ||
    isSubcommand(command, ['zypper'], ['remove', 'rm'], ZYPPER_VALUES)
  );
}

/** The name `apk add --virtual NAME` (`-t NAME`, `--virtual=NAME`) gives the packages it installs. */
function virtualName(command: ShellCommand): string | undefined {
  if (!isSubcommand(command, ['apk'], ['add'], ['t', 'virtual', 'X', 'repository'])) return undefined;
  const args = command.args;
  const at = args.findIndex((a) => a === '-t' || a === '--virtual' || a.startsWith('--virtual='));
  if (at < 0) return undefined;
  return args[at].startsWith('--virtual=') ? args[at].slice('--virtual='.length) : args[at + 1];
}

/**
 * The names a package spec may name, as the command's package manager reads it: for yum/dnf rpmNames (the spec as
 * written first); for the others its one name (apt: `gcc=12.2.0-14`, `gcc/bookworm` and `gcc:amd64` are gcc; apk:
 * `gcc=13.2.1-r0`, `gcc~13`, `gcc>13` and `gcc@edge` are gcc; zypper: `gcc>=7` is gcc).
 */
function packageNames(command: ShellCommand, spec: string): string[] {
  if (RPM_PROGRAMS.includes(command.program)) return rpmNames(spec);
  return [spec.split(command.program === 'apk' ? /[=<>~@]/ : /[=<>/]/)[0].replace(/:[\w-]+$/, '')];
}

/**
 * Whether a removal names the package an install installed: the first name of one is among the names of the other
 * (`dnf remove gcc` after `dnf install gcc-14.2.1`, `apt-get purge gcc` after `apt-get install gcc=12.2.0-14`, and the
 * reverse). Only the spec as written is looked for among the other's names, so `gcc-toolset-12` does not name
 * `gcc-toolset-13` through the `gcc-toolset` both could be read as.
 */
function namesSamePackage(
  install: { command: ShellCommand; spec: string },
  removal: { command: ShellCommand; spec: string },
): boolean {
  const installed = packageNames(install.command, install.spec);
  const removed = packageNames(removal.command, removal.spec);
  return installed.includes(removed[0]) || removed.includes(installed[0]);
}

/**
 * The first removal in a later RUN of the same stage, or of a shipping stage built FROM it, of what `installs` installed
 * (by package or by virtual name, as in `apk del .build-deps`): it frees nothing, since the packages stay in the
 * earlier layer.
 */
function laterRemoval(
  ctx: DockerfileContext,
  instruction: Instruction,
  installs: ShellCommand[],
  found: { command: ShellCommand; spec: string }[],
): { command: ShellCommand; line: number } | undefined {
  const virtual = new Set(installs.map(virtualName).filter((n): n is string => n !== undefined));
  const removes = (command: ShellCommand, spec: string) =>
    virtual.has(spec) || found.some((install) => namesSamePackage(install, { command, spec }));
  // The stage and those built FROM it (at any depth) that ship: a removal there runs on top of this RUN's layer too.
  const stages = new Set([instruction.stageIndex]);
  for (const later of ctx.parsed.instructions) {
    if (later.index <= instruction.index) continue;
    if (later.keyword === 'FROM') {
      const base = ctx.stages.baseStage[later.stageIndex];
      if (base !== undefined && stages.has(base)) stages.add(later.stageIndex);
      continue;
    }
    if (!stages.has(later.stageIndex) || later.keyword !== 'RUN' || !ctx.ships(later)) continue;
    const command = ctx.commands(later).find((c) => removesPackages(c) && packagesOf(c).some((p) => removes(c, p)));
    if (command) return { command, line: later.line };
  }
  return undefined;
}

/**
 * The advice to remove the packages in the RUN that installs them, for the package managers with an idiom for it
 * (apk's virtual package, apt's purge with autoremove), led with: when the build needs the headers in this stage
 * (`docker-php-ext-install`, `install2.r`), it is the smaller change. The runtime libraries the -dev packages pulled in
 * go with them unless installed by name (apk keeps what the world file names; apt's autoremove keeps what was installed
 * by name), hence the caveat. Empty for the others and for installs of more than one kind.
 */
function sameRunRemoval(installs: ShellCommand[], packages: string): string {
  const programs = new Set(installs.map((c) => (c.program === 'apt' ? 'apt-get' : c.program)));
  if (programs.size !== 1) return '';
  if (programs.has('apk'))
    return `remove them in the same RUN after the build (\`apk add --virtual .build-deps ${packages} && ... && apk del .build-deps\`, with the runtime libraries the build links against added by name outside the group so they stay), or `;
  if (programs.has('apt-get'))
    return `remove them in the same RUN after the build (\`apt-get install -y ${packages} && ... && apt-get purge -y --auto-remove ${packages}\`, with the runtime libraries the build links against installed by name so the autoremove keeps them), or `;
  return '';
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF021',
    name: 'build-tools-in-final-image',
    type: 'size',
    summary: 'Build with compilers and -dev packages in a build stage and copy only the result',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      toolchain:
        '`{{packages}}` installed in the final image: compilers and headers are only needed to build, and often add hundreds of MB; {{sameRun}}build in an earlier stage (`FROM ... AS build`) and `COPY --from=build` only the output.',
      removedLater:
        "`{{packages}}` installed in the final image, and `{{removal}}` on line {{line}} frees nothing: it runs in a later RUN, and the packages stay in this RUN's layer; remove them in this RUN (`&& {{removal}}` after the build), or build in an earlier stage.",
    },
    sources: [],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        // Stages whose layers ship whole: the final stage, the stages it is built FROM and a stage copied with
        // `COPY --from=build / /` (which copies the toolchain too).
        if (!ctx.ships(instruction)) return;
        // An `ONBUILD RUN` installs into the images built FROM this one, usually build stages (the onbuild builder
        // pattern): whether they ship is not known here.
        if (ctx.parsed.instructions[instruction.index] !== instruction) return;
        const commands = ctx.commands(instruction);
        // On the official php image's Alpine variants, an unset-here `$PHPIZE_DEPS` is the image's own list of build
        // tools, which the image removed after building php. Its Debian variants keep that list installed for good, so
        // installing it there adds nothing that could be left out.
        const image = baseImageOf(ctx, instruction.stageIndex);
        const phpize =
          image !== undefined &&
          !image.includes('$') &&
          (({ registry, repository, tag }) =>
            officialImageName(registry, repository) === 'php' && tag !== undefined && tag.includes('alpine'))(
            parseImageRef(image),
          ) &&
          !('PHPIZE_DEPS' in (ctx.stages.variablesAt[instruction.index] ?? {}));
        const tool = (c: ShellCommand, p: string) =>
          (phpize && PHPIZE_DEPS.test(p)) || (!p.includes('$') && isBuildTool(c, p));
        const installs = commands.filter((c) => installedPackages(c).some((p) => tool(c, p)));
        if (installs.length === 0) return;
        // `apk add --virtual .build-deps ... && apk del .build-deps` (and purge/remove after the install, on every path)
        // leaves nothing behind.
        const status = cleanupAfter(commands, installs, removesPackages);
        if (status === 'always') return;
        const found = installs.flatMap((command) =>
          installedPackages(command)
            .filter((spec) => tool(command, spec))
            .map((spec) => ({ command, spec })),
        );
        const later = laterRemoval(ctx, instruction, installs, found);
        ctx.report({
          ...(later
            ? {
                messageId: 'removedLater',
                data: {
                  packages: found.map((f) => f.spec).join(' '),
                  removal: [later.command.name, ...later.command.args].join(' '),
                  line: String(later.line),
                },
              }
            : {
                messageId: 'toolchain',
                data: {
                  packages: found.map((f) => f.spec).join(' '),
                  sameRun: sameRunRemoval(installs, found.map((f) => f.spec).join(' ')),
                },
              }),
          at: instruction,
          unsure: unsureCleanup(status),
        });
      },
    };
  },
});
