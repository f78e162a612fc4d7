// Size limits as people write them (`500MB`, `1.5GiB`, `10%`, `0.1`) and the growth check that `diff
// --fail-on-growth` and the `ci` gate's growth budgets share, so both give the same verdict on the same numbers.

// Size units as go-humanize's ParseBytes reads them (dive reads .dive-ci sizes with it), case ignored: SI (k is 1000)
// and binary (Ki is 1024), with or without the B, from kilo to exa; none is bytes.
const UNITS: Record<string, number> = { '': 1, b: 1 };
for (const [i, prefix] of ['k', 'm', 'g', 't', 'p', 'e'].entries()) {
  UNITS[prefix] = UNITS[`${prefix}b`] = 1000 ** (i + 1);
  UNITS[`${prefix}i`] = UNITS[`${prefix}ib`] = 1024 ** (i + 1);
}

/**
 * Bytes from a number or a size text: `1234`, `1,000`, `500MB` (SI, like docker and `formatBytes`), `1.5GiB` or `20Mi`
 * (binary), `1e9` (see sizeBytes). Returns undefined for anything else, so callers can name the key that was wrong.
 */
export function parseBytes(value: unknown): number | undefined {
  const bytes = sizeBytes(value);
  return bytes !== undefined && bytes <= MAX_BYTES ? bytes : undefined;
}

/**
 * The largest size ballast takes (2^53 - 1 bytes, about 9 PB): past it a number of bytes is no longer exact, and
 * `1e400` or 400 digits would be Infinity, shown as null in JSON.
 */
export const MAX_BYTES = Number.MAX_SAFE_INTEGER;

/** Whether `value` is written as a size but is larger than any ballast takes (`99999999999999999999TB`). */
export function bytesOutOfRange(value: unknown): boolean {
  const bytes = sizeBytes(value);
  return bytes !== undefined && bytes > MAX_BYTES;
}

/**
 * A size of any magnitude (Infinity for `1e400`), the one reading of sizes in ballast. The number is dive's (go-humanize's
 * ParseBytes): the leading run of digits, points and commas, commas dropped (`1,000`), read as a decimal; the rest,
 * spaces trimmed and case ignored, is a unit of UNITS (`20MB`, `20 mib`, `20Mi`, `1PB`; `5e` is 5 EB). ballast's own
 * values (config, flags, variables) take more: spaces around the text, and an exponent after the number (`1e9`, as a
 * YAML number or a script writes it; `2.5e3kB`), rounded to whole bytes. `dive` reads as dive does, no more: no
 * exponent, no leading space, fractions of a byte dropped (dive's uint64), so a .dive-ci ballast takes is one dive runs.
 */
export function sizeBytes(value: unknown, flavour: 'ballast' | 'dive' = 'ballast'): number | undefined {
  const parts = sizeParts(value, flavour);
  if (parts === undefined) return undefined;
  return (flavour === 'dive' ? Math.floor : Math.round)(parts.amount * parts.unit);
}

/**
 * Whether `value` is a size in bytes, a plain number or one with the unit B (`0.5`, `"1.5 B"`, `"2.5e-1"`), that is
 * not whole. sizeBytes rounds it, so `0.4` would be a limit of 0 bytes and `0.5` one of 1: a byte count with a
 * fraction is a mistake to refuse. A larger unit (`1.5MB`, `1.0005kB`) names whole bytes once rounded.
 */
export function fractionOfAByte(value: unknown): boolean {
  const parts = sizeParts(value, 'ballast');
  return parts !== undefined && parts.unit === 1 && Number.isFinite(parts.amount) && !Number.isInteger(parts.amount);
}

/** The number and the unit's factor of a size (see sizeBytes); undefined when it is none. */
function sizeParts(value: unknown, flavour: 'ballast' | 'dive'): { amount: number; unit: number } | undefined {
  if (typeof value === 'number') return !Number.isNaN(value) && value >= 0 ? { amount: value, unit: 1 } : undefined;
  if (typeof value !== 'string') return undefined;
  const text = flavour === 'dive' ? value : value.trim();
  const digits = /^[\d.,]*/.exec(text)![0];
  let number = digits.replace(/,/g, '');
  let unit = text.slice(digits.length);
  if (!/^(?:\d+\.?\d*|\.\d+)$/.test(number)) return undefined;
  // dive drops every comma, so its `1,5GB` is 15 GB; in ballast's own values a comma only groups thousands, and a
  // decimal comma (a tenfold budget, silently) is refused instead.
  if (flavour === 'ballast' && digits.includes(',') && !/^\d{1,3}(?:,\d{3})+(?:\.\d*)?$/.test(digits)) return undefined;
  const exponent = flavour === 'dive' ? null : /^e[+-]?\d+/i.exec(unit);
  if (exponent) {
    number += exponent[0];
    unit = unit.slice(exponent[0].length);
  }
  const factor = UNITS[unit.trim().toLowerCase()];
  if (factor === undefined) return undefined;
  return { amount: Number(number), unit: factor };
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
