// Report files (-o, --output): written where asked, with the folders of the path made first.
import { mkdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Makes the missing folders above an output file (`-o reports/x.sarif` before reports/ exists), as eslint and most CI
 * tools do: a CI job names its report folder without making it, and the gate's verdict was lost to an exit 2. Only
 * folders are made; when that fails (a part of the path is a file), the write that follows fails with the system's
 * words, which `cannotWrite` turns into the error the user sees.
 */
export async function makeParents(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true }).catch(() => undefined);
}

/** `makeParents`, for a file written synchronously. */
export function makeParentsSync(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch {
    // The write that follows says what is wrong with the path.
  }
}

/** Writes a report file, its folders made first. Errors are the system's, for the caller to word. */
export async function writeOutputFile(path: string, data: string | Iterable<string>): Promise<void> {
  await makeParents(path);
  await writeFile(path, data);
}
