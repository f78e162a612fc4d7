// What every command shares: printing a rendered report (or nothing under --json), colour, exit codes.
import { writeFile } from 'node:fs/promises';
import { Command } from '@oclif/core';
import { colorEnabled } from '../reporters/format.js';
import { SourceError } from '../errors.js';

export abstract class BaseCommand extends Command {
  static enableJsonFlag = true;

  /** Notes for people go to stderr, never into the result on stdout. */
  protected notice = (message: string): void => {
    process.stderr.write(`note: ${message}\n`);
  };

  protected color(): boolean {
    return colorEnabled(process.stdout);
  }

  /**
   * Prints a rendered text report unless --json is set (oclif prints the returned result then).
   * With `output`, writes it to that file instead.
   */
  protected async emit(render: () => string, output?: string): Promise<void> {
    if (this.jsonEnabled()) return;
    const text = render();
    if (output) {
      try {
        await writeFile(output, text.endsWith('\n') ? text : `${text}\n`);
      } catch (error) {
        throw new SourceError(`cannot write ${output}: ${(error as Error).message}`, { code: 'write', cause: error });
      }
      return;
    }
    this.log(text);
  }

  // Failures are printed once, as one line, by main.ts.
  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    throw error;
  }
}
