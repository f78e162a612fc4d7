// Reporters by --format name, imported on demand so start-up loads only the one in use. Each is a pure function
// `(report, options) => string` over the shared Report shape (Dockerfile and image findings alike).
import type { Report } from '../report/types.js';

export interface ReporterOptions {
  color: boolean;
  cwd: string;
}

export type Reporter = (report: Report, options: ReporterOptions) => string;

export const reporters: Record<string, () => Promise<Reporter>> = {
  stylish: async () => (await import('./stylish.js')).renderStylish,
  json: async () => (await import('./json.js')).renderJson,
  sarif: async () => (await import('./sarif.js')).renderSarif,
  github: async () => (await import('./github.js')).renderGithub,
  checkstyle: async () => (await import('./checkstyle.js')).renderCheckstyle,
  junit: async () => (await import('./junit.js')).renderJunit,
  codeclimate: async () => (await import('./codeclimate.js')).renderCodeclimate,
};

export const formatNames = Object.keys(reporters);

export async function loadReporter(name: string): Promise<Reporter> {
  const load = reporters[name];
  if (!load) throw new Error(`unknown format ${name}`);
  return load();
}

/** Where a finding points, as file/line/column whatever its kind (image findings may be attributed to a Dockerfile line). */
export function findingPosition(finding: Report['targets'][number]['findings'][number], target: string): { file: string; line?: number; column?: number; endLine?: number; endColumn?: number } {
  const location = finding.location;
  if (location.kind === 'dockerfile') return { file: location.file, line: location.line, column: location.column, endLine: location.endLine, endColumn: location.endColumn };
  return { file: location.file ?? target, line: location.line };
}
