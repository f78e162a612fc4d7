// Size limits as people write them (`500MB`, `1.5GiB`, `10%`, `0.1`) and the growth check that `diff
// --fail-on-growth` and the `ci` gate's growth budgets share, so both give the same verdict on the same numbers.

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  k: 1e3,
  m: 1e6,
  g: 1e9,
  t: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/**
 * Bytes from a number or a size text: `1234`, `500MB` (SI, like docker and `formatBytes`), `1.5GiB` (binary).
 * Returns undefined for anything else, so callers can name the key that was wrong.
 */
export function parseBytes(value: unknown): number | undefined {
  const bytes = anyBytes(value);
  return bytes !== undefined && bytes <= MAX_BYTES ? bytes : undefined;
}

/**
 * The largest size ballast takes (2^53 - 1 bytes, about 9 PB): past it a number of bytes is no longer exact, and
 * `1e400` or 400 digits would be Infinity, shown as null in JSON.
 */
export const MAX_BYTES = Number.MAX_SAFE_INTEGER;

/** Whether `value` is written as a size but is larger than any ballast takes (`99999999999999999999TB`). */
export function bytesOutOfRange(value: unknown): boolean {
  const bytes = anyBytes(value);
  return bytes !== undefined && bytes > MAX_BYTES;
}

// A size of any magnitude. The exponent form (`1e9`, as YAML numbers and scripts write it) is accepted in text too, so
// a flag or variable takes what the config file does.
function anyBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return !Number.isNaN(value) && value >= 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*((?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (!match) return undefined;
  const unit = match[2]!.toLowerCase();
  const factor = unit === '' ? 1 : UNITS[unit];
  if (factor === undefined) return undefined;
  return Math.round(Number(match[1]) * factor);
}

/** A ratio from `10%` or `0.1` (a fraction, 0..1 for ratios like efficiency; growth may exceed 1). */
export function parseRatio(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(value);
  if (!match) return undefined;
  return match[2] ? Number(match[1]) / 100 : Number(match[1]);
}

/** A growth limit: absolute bytes (`50MB`) or relative (`10%`). */
export type GrowthLimit =
  { kind: 'bytes'; bytes: number; text: string } | { kind: 'ratio'; ratio: number; text: string };

/** `--fail-on-growth 50MB` / `10%`. A bare number is bytes; a ratio needs the `%` sign to avoid `0.1` meaning 0 bytes. */
export function parseGrowthLimit(text: string): GrowthLimit | undefined {
  const trimmed = text.trim();
  if (trimmed.endsWith('%')) {
    const ratio = parseRatio(trimmed);
    return ratio === undefined ? undefined : { kind: 'ratio', ratio, text: trimmed };
  }
  const bytes = parseBytes(trimmed);
  return bytes === undefined ? undefined : { kind: 'bytes', bytes, text: trimmed };
}

export interface Growth {
  before: number;
  after: number;
  /** after - before (negative when it shrank). */
  bytes: number;
  /** bytes / before; null when before is 0. */
  ratio: number | null;
}

export function growthOf(before: number, after: number): Growth {
  return { before, after, bytes: after - before, ratio: before === 0 ? null : (after - before) / before };
}

/** True when the growth is over the limit (growing from nothing is over any ratio, shrinking never is). */
export function exceedsGrowth(growth: Growth, limit: GrowthLimit): boolean {
  if (growth.bytes <= 0) return false;
  if (limit.kind === 'bytes') return growth.bytes > limit.bytes;
  return growth.ratio === null ? true : growth.ratio > limit.ratio;
}
