// DF013: `COPY . .` before the dependency install: every source change re-runs the install.
import type { Instruction } from '../../src/dockerfile/parse.js';
import { copySources, defineRule, dockerfileMeta, isSubcommand, pipInstallArgs } from '../../src/lint/helpers.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';

const BROAD = /^(\.|\.\/|\*|\.\/\*|\/)$/;

/** A dependency install step and the manifest files it reads. */
function installStep(command: ShellCommand): string | undefined {
  if (isSubcommand(command, ['npm'], ['install', 'i', 'ci'])) return 'package.json and package-lock.json';
  if (isSubcommand(command, ['yarn'], ['install']) || (command.program === 'yarn' && command.args.every((a) => a.startsWith('-')))) return 'package.json and yarn.lock';
  if (isSubcommand(command, ['pnpm'], ['install', 'i'])) return 'package.json and pnpm-lock.yaml';
  const pip = pipInstallArgs(command);
  if (pip && pip.some((a) => a === '-r' || a.startsWith('--requirement') || a.startsWith('-r'))) return 'requirements.txt';
  if (isSubcommand(command, ['bundle'], ['install'])) return 'Gemfile and Gemfile.lock';
  if (isSubcommand(command, ['go'], ['mod']) && command.args.includes('download')) return 'go.mod and go.sum';
  if (isSubcommand(command, ['composer'], ['install'])) return 'composer.json and composer.lock';
  if (isSubcommand(command, ['poetry'], ['install'])) return 'pyproject.toml and poetry.lock';
  if (isSubcommand(command, ['uv'], ['sync'])) return 'pyproject.toml and uv.lock';
  if (isSubcommand(command, ['mvn', 'mvnw'], ['dependency:go-offline', 'dependency:resolve'])) return 'pom.xml';
  if (isSubcommand(command, ['cargo'], ['fetch'])) return 'Cargo.toml and Cargo.lock';
  return undefined;
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF013',
    name: 'broad-copy-before-install',
    type: 'cache',
    summary: 'Copy dependency manifests and install before copying the rest of the source',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      bustsCache:
        '`{{keyword}} {{source}}` copies the whole context before the dependency install on line {{installLine}}: any source change invalidates the cache and re-runs the install; copy {{manifests}} first, install, then copy the rest.',
    },
    sources: [],
  }),
  create(ctx) {
    const broadCopies = new Map<number, Instruction>();
    // Installs a stage ran before its broad COPY (`stage:manifests`): a second install of the same kind after the COPY
    // (uv sync / poetry install of the project itself) re-runs on top of a cached dependency layer.
    const installedBefore = new Set<string>();
    const visitCopy = (instruction: Instruction): void => {
      if (instruction.flags.from !== undefined) return;
      const { sources } = copySources(instruction);
      const source = sources.find((s) => BROAD.test(s));
      if (source !== undefined && !broadCopies.has(instruction.stageIndex)) broadCopies.set(instruction.stageIndex, instruction);
    };
    return {
      COPY: visitCopy,
      ADD: visitCopy,
      RUN(instruction) {
        const copy = broadCopies.get(instruction.stageIndex);
        if (!copy) {
          for (const command of ctx.commands(instruction)) {
            const manifests = installStep(command);
            if (manifests) installedBefore.add(`${instruction.stageIndex}:${manifests}`);
          }
          return;
        }
        for (const command of ctx.commands(instruction)) {
          const manifests = installStep(command);
          if (!manifests || installedBefore.has(`${instruction.stageIndex}:${manifests}`)) continue;
          const source = copySources(copy).sources.find((s) => BROAD.test(s))!;
          ctx.report({ messageId: 'bustsCache', data: { keyword: copy.keyword, source, installLine: instruction.line, manifests }, at: copy });
          broadCopies.delete(instruction.stageIndex);
          return;
        }
      },
    };
  },
});
