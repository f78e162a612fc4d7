// ShellCheck's SC2086 ("Double quote to prevent globbing and word splitting") where the splitting is what the script
// wants: a variable holding a list of packages, given whole to a package manager (`apt-mark manual $savedAptMark` and
// `apk add --virtual .run-deps $runDeps`, the official php and python images' idiom). Quoted as ShellCheck advises, it
// names one package "a b c" and the build fails, so lint leaves those out (hadolint reports them).
import { parseShell, positionalIndexes, type ShellCommand, type ShellDialect } from '../dockerfile/shell.js';
import {
  APK_VALUE_FLAGS,
  APT_VALUE_FLAGS,
  GEM_VALUE_FLAGS,
  NPM_VALUE_FLAGS,
  PACKAGE_SUBCOMMANDS,
  type PackageManager,
  readPip,
  RPM_VALUE_FLAGS,
  wordIndexes,
  ZYPPER_VALUE_FLAGS,
} from './helpers.js';

/** Where a ShellCheck comment is, in its script's lines and columns (1-based; a tab is one column in json1). */
interface Spot {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

// Only a plain expansion: `${PKGS:-x y}` or `$PKGS$MORE` may be anything, and ShellCheck's advice may be right there.
const VARIABLE = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})$/;
// Written over the expansion so the script's commands can be read as ballast reads any RUN and the word found again.
const MARK = '__ballast_split_word__';

// The subcommands that take a list of packages: those the unpinned rules check and the rest.
const listed = (manager: PackageManager): readonly string[] => [
  ...PACKAGE_SUBCOMMANDS[manager].installs,
  ...PACKAGE_SUBCOMMANDS[manager].others,
];
// yarn v1's and pnpm's options that take the next word as their value, which is no package.
export const YARN_VALUE_FLAGS = [
  'cwd',
  'cache-folder',
  'global-folder',
  'link-folder',
  'modules-folder',
  'mutex',
  'network-concurrency',
  'network-timeout',
  'preferred-cache-folder',
  'registry',
  'use-yarnrc',
  'otp',
];
export const PNPM_VALUE_FLAGS = [
  'C',
  'dir',
  'F',
  'filter',
  'store-dir',
  'virtual-store-dir',
  'modules-dir',
  'registry',
  'reporter',
];

// How `rules SC2086` names the programs of each manager.
const PROGRAMS: Record<PackageManager, string> = {
  apt: 'apt-get/apt/aptitude',
  'apt-mark': 'apt-mark',
  apk: 'apk',
  rpm: 'dnf/yum/microdnf',
  'rpm-module': 'dnf/yum/microdnf module',
  zypper: 'zypper',
  pip: 'pip',
  npm: 'npm',
  gem: 'gem',
  yarn: 'yarn (and yarn workspace NAME)',
  'yarn-global': 'yarn global',
  pnpm: 'pnpm',
};

/**
 * The commands whose package lists SC2086 is left out for, for `rules SC2086`: read from the table lint reads, so the
 * page cannot name fewer or more (`apt-get/apt/aptitude install/remove/...; apk add/del; ...`).
 */
export function packageListCommands(): string {
  return (Object.keys(PACKAGE_SUBCOMMANDS) as PackageManager[])
    .map((manager) => `${PROGRAMS[manager]} ${listed(manager).join('/')}`)
    .join('; ');
}

/**
 * Whether the SC2086 comment at `spot` in `script` is about a variable that is a whole package argument of a package
 * manager's install, remove or mark command: not an option's value (`-t $RELEASE`), not part of a word (`lib$X-dev`).
 * `script` is read as `dialect`'s shell reads it (the RUN's, see runDialect).
 */
export function splitsPackageList(script: string, spot: Spot, dialect: ShellDialect): boolean {
  if (spot.line !== spot.endLine || script.includes(MARK)) return false;
  const lines = script.split('\n');
  const line = lines[spot.line - 1];
  if (line === undefined) return false;
  // ShellCheck counts characters, not UTF-16 units.
  const chars = Array.from(line);
  if (!VARIABLE.test(chars.slice(spot.column - 1, spot.endColumn - 1).join(''))) return false;
  chars.splice(spot.column - 1, spot.endColumn - spot.column, MARK);
  lines[spot.line - 1] = chars.join('');
  for (const command of parseShell(lines.join('\n'), 0, dialect)) {
    const at = command.args.indexOf(MARK);
    if (at >= 0) return packageArguments(command).includes(at);
  }
  return false;
}

/** The indexes in `command.args` of the packages it installs, removes or marks; [] for any other command. */
function packageArguments(command: ShellCommand): number[] {
  const after = (words: number[], manager: PackageManager): number[] =>
    words.length > 0 && listed(manager).includes(command.args[words[0]]) ? words.slice(1) : [];
  const { args } = command;
  switch (command.program) {
    case 'apt-get':
    case 'apt':
    case 'aptitude':
      return after(positionalIndexes(args, APT_VALUE_FLAGS), 'apt');
    case 'apt-mark':
      return after(positionalIndexes(args, [...APT_VALUE_FLAGS, 'f', 'file']), 'apt-mark');
    case 'apk':
      return after(positionalIndexes(args, APK_VALUE_FLAGS), 'apk');
    case 'dnf':
    case 'dnf5':
    case 'yum':
    case 'microdnf': {
      const words = wordIndexes(args, RPM_VALUE_FLAGS);
      return args[words[0]] === 'module' ? after(words.slice(1), 'rpm-module') : after(words, 'rpm');
    }
    case 'zypper':
      return after(wordIndexes(args, ZYPPER_VALUE_FLAGS), 'zypper');
    case 'npm':
      return after(positionalIndexes(args, NPM_VALUE_FLAGS), 'npm');
    case 'gem':
      return after(wordIndexes(args, GEM_VALUE_FLAGS, { stopAtDashes: true }), 'gem');
    case 'yarn': {
      const words = positionalIndexes(args, YARN_VALUE_FLAGS);
      if (args[words[0]] === 'workspace') return after(words.slice(2), 'yarn');
      return args[words[0]] === 'global' ? after(words.slice(1), 'yarn-global') : after(words, 'yarn');
    }
    case 'pnpm':
      return after(positionalIndexes(args, PNPM_VALUE_FLAGS), 'pnpm');
  }
  const pip = readPip(command);
  return pip?.subcommand && listed('pip').includes(pip.subcommand.name) ? [...pip.positionals] : [];
}
