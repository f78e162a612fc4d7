// Paths on the machine ballast runs on (paths inside an image are src/image/tar-header.ts's).
import { isAbsolute, sep } from 'node:path';

/**
 * Whether `rel`, made by `relative(base, path)`, leaves `base`: `..`, `../x`, or absolute (another drive on Windows,
 * which no relative path reaches). A name that only begins with two dots (`..notes/x`) is inside, and so is `''`
 * (`base` itself).
 */
export function climbsOut(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}
