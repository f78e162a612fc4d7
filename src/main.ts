// Process entry: runs oclif, prints failures as one line (a stack trace only with --debug) and sets the exit code.
import { readFileSync } from 'node:fs';
import { Errors, flush, run, settings } from '@oclif/core';
import { BallastError, formatError } from './errors.js';
import { debugFlag } from './flag-sources.js';
import { usageError } from './commands/usage-error.js';
import { stdoutPiecesWritten } from './stdout-pieces.js';
import { exitCleanly } from './temp-files.js';

function exitCodeOf(error: unknown): number {
  if (error instanceof BallastError) return error.exitCode;
  const oclif = (error as { oclif?: { exit?: number } })?.oclif;
  if (oclif && typeof oclif.exit === 'number') return oclif.exit === 0 ? 0 : 2;
  return 2;
}

/**
 * `ballast version`, and `--version`/`-v` after a command (`ballast analyze --version`), as dive, hadolint, git and npm
 * users type them: oclif only knows them before any command and said "Nonexistent flag". No command has a `-v` of its
 * own (lint's verbose is `-V`, as hadolint's), and after `--` they are file names.
 */
export function wantsVersion(argv: string[]): boolean {
  if (argv[0] === 'version') return argv.length === 1;
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--version' || a === '-v');
}

/** The commands oclif knows, from the manifest the build writes (none when it cannot be read): for "did you mean". */
function commandNames(root: string): string[] {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../oclif.manifest.json', root), 'utf8')) as {
      commands?: Record<string, { hidden?: boolean }>;
    };
    return Object.entries(manifest.commands ?? {})
      .filter(([, c]) => !c.hidden)
      .map(([id]) => id);
  } catch {
    return [];
  }
}

export async function main(argv: string[], root: string): Promise<void> {
  // Only the compiled dist/ runs: with NODE_ENV=test or development oclif would look for TypeScript sources and try
  // to load tsx or ts-node to run them.
  settings.enableAutoTranspile = false;
  const typed = debugFlag(argv);
  const debug = typed.on;
  // Ctrl-C and SIGTERM end every command promptly with 130 / 143 and remove its temp files (pulls, walks, spools).
  exitCleanly();
  // `ballast help lint`, as git and npm spell it: oclif has no `help` command without a plugin, and said `no command
  // help:lint`.
  const words = typed.argv;
  const args = words[0] === 'help' ? [...words.slice(1), '--help'] : wantsVersion(words) ? ['--version'] : words;
  try {
    if (typed.error) throw typed.error;
    await run(args, root);
    await stdoutPiecesWritten();
    await flush();
  } catch (error) {
    // oclif signals --help/--version with an ExitError of code 0.
    if (error instanceof Errors.ExitError && error.oclif.exit === 0) return;
    process.exitCode = exitCodeOf(error);
    process.stderr.write(`${formatError(debug ? error : usageError(error, argv, () => commandNames(root)), debug)}\n`);
  }
}
