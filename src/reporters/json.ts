// The Report as JSON, rule metadata embedded (like eslint's json-with-metadata).
import type { Reporter } from './index.js';

export const renderJson: Reporter = (report) => JSON.stringify(report, null, 2);

/**
 * The version of the JSON that analyze, diff, bases, ci, inspect and explore print (`schemaVersion`, its first key): raised when a field
 * is removed, renamed or changes its meaning, not when one is added, so a script can tell the shape it reads.
 */
export const JSON_SCHEMA_VERSION = 1;

/** A command's JSON result with its `schemaVersion` first. */
export function versioned<T extends object>(result: T): { schemaVersion: number } & T {
  return { schemaVersion: JSON_SCHEMA_VERSION, ...result };
}
