// Process entry: runs oclif, prints failures as one line (a stack trace only with --debug) and sets the exit code.
import { Errors, flush, run } from '@oclif/core';
import { BallastError, formatError, UsageError } from './errors.js';
import { exitCleanly } from './temp-files.js';

function exitCodeOf(error: unknown): number {
  if (error instanceof BallastError) return error.exitCode;
  const oclif = (error as { oclif?: { exit?: number } })?.oclif;
  if (oclif && typeof oclif.exit === 'number') return oclif.exit === 0 ? 0 : 2;
  return 2;
}

/**
 * oclif's flag and argument errors in ballast's form: one line and a hint. Their text spans lines, ends in "See more
 * help with --help", may open with "The following error occurred:" and, for a missing argument, explains at length
 * how flags with several values take arguments.
 */
function usageError(error: unknown, argv: string[]): unknown {
  if (!(error instanceof Errors.CLIError) || error instanceof BallastError) return error;
  const unknown = /^command (\S+) not found$/.exec(error.message);
  if (unknown)
    return new UsageError(`no command ${unknown[1]}`, { code: 'usage', hint: 'run `ballast --help` for the commands' });
  const lines = error.message.split('\n').map((l) => l.trim());
  if (lines.at(-1) !== 'See more help with --help') return error;
  const command = argv.find((a) => !a.startsWith('-'));
  const hint = `run \`ballast ${command ? `${command} ` : ''}--help\` for its flags and arguments`;
  const missing = /^Missing \d+ required args?:$/.exec(lines[0]);
  if (missing) {
    // "image  the image to analyze": each missing argument, then its description.
    const names = lines
      .slice(1)
      .filter((l) => /^\S+ {2,}\S/.test(l))
      .map((l) => l.split(/ {2,}/)[0].toUpperCase());
    return new UsageError(`missing ${names.join(' and ') || 'an argument'}`, { code: 'usage', hint });
  }
  const text = lines
    .slice(0, -1)
    .filter((l) => l !== '' && !/^The following errors? occurred:$/.test(l))
    .join(' ');
  return new UsageError(text, { code: 'usage', hint });
}

export async function main(argv: string[], root: string): Promise<void> {
  const debug = argv.includes('--debug') || process.env.BALLAST_DEBUG === '1';
  // Ctrl-C and SIGTERM end every command promptly with 130 / 143 and remove its temp files (pulls, walks, spools).
  exitCleanly();
  try {
    await run(
      argv.filter((a) => a !== '--debug'),
      root,
    );
    await flush();
  } catch (error) {
    // oclif signals --help/--version with an ExitError of code 0.
    if (error instanceof Errors.ExitError && error.oclif.exit === 0) return;
    process.exitCode = exitCodeOf(error);
    process.stderr.write(`${formatError(debug ? error : usageError(error, argv), debug)}\n`);
  }
}
