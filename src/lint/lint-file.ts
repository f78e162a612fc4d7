// One Dockerfile as `lint` reads and lints it without --fix: the file, the build-context files its rules look up, and
// the lint itself. The lint service uses these on the main thread, and its worker threads (lint-worker.ts) to lint
// files of a large run beside it, so a file linted on either gives the same findings and notes.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkDockerfileFile } from '../dockerfile/parse.js';
import { dockerfileText } from '../dockerfile/text.js';
import { isPermissionDenied, READ_PERMISSION_HINT, SourceError } from '../errors.js';
import { isDevNull, specialFileKind } from '../host-path.js';
import type { LintSettings } from '../config/load.js';
import type { ContextEntry, DockerfileRule } from '../report/rule.js';
import { printablePath } from '../report/printable.js';
import type { Finding } from '../report/types.js';
import { lintText, once } from './engine.js';
import { changesSomething } from './fixer.js';
import { pragmaNotes } from './pragmas.js';

/** A Dockerfile's text, read as a file's bytes are (checked to be a regular file, and text). */
export function readDockerfile(file: string, display: string): ReturnType<typeof dockerfileText> {
  checkDockerfileFile(
    file,
    display,
    'pass a Dockerfile saved as a file; to lint what a program writes, pipe it to `ballast lint -`',
  );
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch (error) {
    throw new SourceError(
      `cannot read ${display}: ${(error as NodeJS.ErrnoException).code === 'EISDIR' ? 'is a directory' : (error as Error).message}`,
      {
        code: 'read',
        cause: error,
        hint: isPermissionDenied(error)
          ? READ_PERMISSION_HINT
          : 'check the path, and that it is a Dockerfile this user may read',
      },
    );
  }
  return dockerfileText(buffer, display);
}

export function contextEntryReader(dir: string | undefined): (name: string) => ContextEntry {
  if (!dir) return () => null;
  return (name) => {
    try {
      // A missing name answers undefined rather than throwing: an ENOENT error (its stack trace) cost 5x the stat.
      const stats = statSync(join(dir, name), { throwIfNoEntry: false });
      return stats?.isDirectory() ? 'directory' : stats?.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  };
}

export type ContextReader = (name: string) => string | undefined | null;

/**
 * The context readers of one lint run, one pair per build-context directory: the Dockerfiles of one context (a
 * directory of 20 services) look up the same context files, so each name is read or stat'ed once per run rather than
 * once per Dockerfile (a missing .dockerignore was a thrown ENOENT per file). The main thread and each worker keep one.
 */
export function contextReaders(): (dir: string | undefined) => {
  readDisk: ContextReader;
  contextEntry: (name: string) => ContextEntry;
} {
  const contexts = new Map<string, { readDisk: ContextReader; contextEntry: (name: string) => ContextEntry }>();
  return (dir) => {
    if (!dir) return { readDisk: contextReader(undefined), contextEntry: contextEntryReader(undefined) };
    let readers = contexts.get(dir);
    if (!readers)
      contexts.set(
        dir,
        (readers = { readDisk: once(contextReader(dir)), contextEntry: once(contextEntryReader(dir)) }),
      );
    return readers;
  };
}

/**
 * The most an ignore file (`.dockerignore`, `Dockerfile.dockerignore`) may weigh. Real ones are a few hundred lines,
 * and DF026 compiles each pattern to a regular expression: a 24 MB file of a million patterns took 44 s and 1 GB of
 * RSS, and one 50 MB pattern stopped with V8's "Regular expression too large" and the whole pattern as the message.
 * The other context files read (package.json, lockfiles) are only looked for, not matched line by line.
 */
export const MAX_IGNORE_FILE_BYTES = 1024 * 1024;

export function contextReader(dir: string | undefined): ContextReader {
  if (!dir) return () => null;
  return (name) => {
    const path = join(dir, name);
    let info;
    try {
      // Most names asked for are missing (each Dockerfile's own NAME.dockerignore, which DF261 looks up for every file
      // with a COPY): undefined for those rather than a thrown ENOENT, whose error cost 5x the stat itself.
      info = statSync(path, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
    if (!info) return undefined;
    // `ln -s /dev/null .dockerignore` says "none", and docker build reads it so: the one device that ends at once.
    if (isDevNull(info)) return '';
    const kind = specialFileKind(info);
    if (kind)
      throw new SourceError(`the build context file ${printablePath(path)} is ${kind}, not a regular file`, {
        code: 'not-a-file',
        hint: 'lint reads the files beside the Dockerfile (.dockerignore, package.json): replace it with a file',
      });
    // Read as absent, a directory under an ignore file's name had DF025 say there is no .dockerignore and its fix fail
    // to write one; the builder fails to read it, so the build it lints would not run.
    if (name.endsWith('.dockerignore') && info.isDirectory())
      throw new SourceError(`${printablePath(path)} is a directory, not an ignore file`, {
        code: 'not-a-file',
        hint: 'docker build fails to read it too: remove or rename that directory; an ignore file is a text file of patterns',
      });
    if (name.endsWith('.dockerignore') && info.size > MAX_IGNORE_FILE_BYTES)
      throw new SourceError(
        `${printablePath(path)} is ${info.size} bytes, too large for an ignore file (limit ${MAX_IGNORE_FILE_BYTES})`,
        {
          code: 'ignore-file-too-large',
          hint: 'real ones are a few hundred lines: look for a generated or runaway file',
        },
      );
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** Lines as editors count them: a final newline ends the last line rather than starting an empty one. */
export function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** A Dockerfile to lint: the file, the name the report gives it, and the build context its rules look into. */
export interface FileTask {
  file: string;
  /** The name the findings carry (the report's). */
  shown: string;
  /** As errors name the file (printable). */
  display: string;
  contextDir?: string;
  /** Which of the run's configs applies (an index into what the worker was sent). */
  config: number;
}

/** What of a config lintText needs: plain data, the same on a worker thread. */
export interface FileConfig {
  severities: LintSettings['severities'];
  ruleOptions: LintSettings['ruleOptions'];
  pragmas: LintSettings['pragmas'];
  hadolintPragmas: LintSettings['hadolintPragmas'];
}

/** A file linted: what the run's report and notices take from it, in the order the single-thread lint makes them. */
export interface FileLint {
  lines: number;
  findings: Finding[];
  /** The findings (by index) whose fixes --fix would not apply: not counted fixable. */
  cannotFix: number[];
  /** The lint's notes, then its pragmas' notes. */
  notes: string[];
}

/**
 * Reads and lints one Dockerfile as the lint service's single-thread path does without --fix, --image or ShellCheck
 * (lint.ts keeps those on the main thread). Throws what reading or linting throws: the service lints a file that
 * failed here again on the main thread, so its error is the one the single-thread path gives.
 */
export function lintFile(
  task: FileTask,
  config: FileConfig,
  rules: DockerfileRule[],
  knownCode: (code: string) => boolean,
  context: { readDisk: ContextReader; contextEntry: (name: string) => ContextEntry },
  fixStyle: 'cleanup' | 'cache-mount' | undefined,
): FileLint {
  const { text } = readDockerfile(task.file, task.display);
  const linted = lintText(text, task.shown, rules, {
    severities: config.severities,
    ruleOptions: config.ruleOptions,
    readContextFile: context.readDisk,
    contextEntry: context.contextEntry,
    pragmas: config.pragmas,
    hadolintPragmas: config.hadolintPragmas,
    fixStyle,
  });
  const notes = [...linted.notes];
  if (config.pragmas !== false)
    for (const note of pragmaNotes(linted.parsed, knownCode, config.hadolintPragmas !== false)) notes.push(note);
  const read = task.contextDir ? context.readDisk : undefined;
  const cannotFix: number[] = [];
  linted.findings.forEach((f, i) => {
    if (f.fix && !changesSomething(text, f, read)) cannotFix.push(i);
  });
  return { lines: lineCount(text), findings: linted.findings, cannotFix, notes };
}
