// A budget check's value, limit and excess as every report and the gate's own messages show them.
import { efficiencyPercent, formatBytes, formatCount, percentText } from './figures.js';

/** The checks whose value is an efficiency score (ci's minEfficiency, dive's lowestEfficiency): shown by efficiencyPercent. */
export const EFFICIENCY_CHECKS: readonly string[] = ['minEfficiency', 'lowestEfficiency'];

/**
 * The mark after a size of a check whose sizes are layers' uncompressed tar sizes (`measure: 'tar'`), so that a reader
 * does not take them for the file bytes analyze's layer table shows for the same layer: ` (tar)`, else nothing.
 */
export function sizeMark(check: { measure?: 'tar' }): string {
  return check.measure === 'tar' ? ' (tar)' : '';
}

/**
 * A check's value and limit as every report shows them: bytes in kB/MB, efficiencies rounded down (as dive does), other
 * ratios rounded. When the two differ but would print alike, they get the digits that tell them apart (a failure at
 * the boundary must never read "92.81% is below the 92.81% minimum"); bytes then print exactly.
 */
export function checkFigures(
  check: { id: string; unit: 'bytes' | 'ratio' | 'count'; measure?: 'tar' },
  value: number | null,
  limit: number | null,
): { value: string; limit: string } {
  const ratio = (n: number, digits: number) =>
    EFFICIENCY_CHECKS.includes(check.id) ? efficiencyPercent(n, digits) : percentText(n * 100, digits);
  let show: (n: number) => string = String;
  if (check.unit === 'bytes') {
    show = formatBytes;
    if (value !== null && limit !== null && value !== limit && show(value) === show(limit))
      show = (n) => `${formatCount(n)} B`;
  } else if (check.unit === 'ratio') {
    let digits = 2;
    if (value !== null && limit !== null && value !== limit)
      while (digits < 8 && ratio(value, digits) === ratio(limit, digits)) digits++;
    show = (n) => ratio(n, digits);
  }
  // The value only: the limit is on the same measure, and one mark per figure pair says which it is. A share of tar
  // sizes (maxGrowthPercent) is no size: "12.34% (tar)" would read as a percentage of some tar.
  return {
    value: value === null ? '-' : `${show(value)}${check.unit === 'bytes' ? sizeMark(check) : ''}`,
    limit: limit === null ? '-' : show(limit),
  };
}

/**
 * How far a failed budget's value is past its limit, as every format words it (`293 MB`, `8.27 points`): a reader
 * should not have to subtract to size the fix. In the figures' own digits, so a boundary failure (92.8168% against
 * 92.8169%) reads `0.0001 points` and not `0.00`; a share's excess is in percentage points, not a share of the limit.
 */
export function checkExcess(
  check: { id: string; unit: 'bytes' | 'ratio' | 'count' },
  value: number,
  limit: number,
): string {
  const excess = Math.abs(value - limit);
  if (check.unit === 'bytes') return formatBytes(excess);
  if (check.unit === 'count') return formatCount(excess);
  // The difference of the figures as shown, so that 90.00% less 81.73% reads 8.27 and not the exact 8.26.
  const shown = checkFigures(check, value, limit);
  const digits = Math.max(2, shown.value.replace(/^[^.]*\.?/, '').replace(/\D.*$/, '').length);
  const points = Math.abs(parseFloat(shown.value.replace(/,/g, '')) - parseFloat(shown.limit.replace(/,/g, '')));
  return `${(Number.isFinite(points) ? points : excess * 100).toFixed(digits)} points`;
}
