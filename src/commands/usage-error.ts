// oclif's flag and argument errors in ballast's form, shared by main.ts (the line printed) and `ci` (its reports).
import { Errors } from '@oclif/core';
import { BallastError, UsageError } from '../errors.js';

/**
 * oclif's flag and argument errors in ballast's form: one line and a hint. Their text spans lines, ends in "See more
 * help with --help", may open with "The following error occurred:" and, for a missing argument, explains at length
 * how flags with several values take arguments.
 */
export function usageError(error: unknown, argv: string[]): unknown {
  if (!(error instanceof Errors.CLIError) || error instanceof BallastError) return error;
  const unknown = /^command (\S+) not found\.?$/i.exec(error.message); // `help X` says "Command X not found."
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
  // A rule code where a severity goes (`--fail-on IM001`, `--fail-on DL3008`): saying what the flag takes is not
  // enough, the user wants that rule to fail the run, which its severity in the config does.
  const rule = /^Expected (--fail-on|\$BALLAST_FAIL_ON)=([A-Z]{2}\d{3,4}) to be one of/i.exec(text);
  if (rule) {
    const code = rule[2].toUpperCase();
    return new UsageError(text, {
      code: 'usage',
      hint: `${rule[1]} takes a severity, not a rule; to fail on ${code}, raise its severity in .ballast.yaml (rules: {${code}: error})`,
    });
  }
  return new UsageError(text, { code: 'usage', hint });
}
