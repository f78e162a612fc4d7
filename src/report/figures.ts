// Numbers as the reports and ballast's messages word them: sizes in SI units, counts grouped by thousands, shares in
// percent. Shared by the reporters and by what words a limit, a finding or a note outside them (analysis, rules,
// services, the explore view), which should not depend on a reporter.

/** `12.3 MB` (SI, like docker and dive) for people; exact bytes stay in JSON. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '-';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const text =
    unit === 0 ? String(value) : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
  return `${sign}${text} ${units[unit]}`;
}

/** `45,123`: a count grouped by thousands, whatever the locale (reports read the same on every machine). */
export function formatCount(n: number): string {
  // Not toLocaleString: its first call sets up ICU's number formatting, some 25 ms of a lint's cold start (every
  // summary line counts something).
  return Number.isInteger(n) ? String(n).replace(/\B(?=(\d{3})+$)/g, ',') : n.toLocaleString('en-US');
}

/**
 * `p` percent with `digits` decimals (`-12.34%`), or, when they would round a change to nothing, with one significant
 * digit (`-0.004%`): percentChange's figure, and a ratio budget's in ci (maxGrowthPercent), so one report never says
 * the same growth is `-0.004%` in one place and `-0.00%` in another.
 */
export function percentText(p: number, digits = 2): string {
  const size = Math.abs(p);
  const figure = size > 0 && size < 10 ** -digits ? oneDigitDecimal(size) : size.toFixed(digits);
  return `${p < 0 ? '-' : ''}${figure}%`;
}

/**
 * `0.0000006`: a positive number below 1 rounded to one significant digit, written out in decimals. Not toPrecision,
 * which writes anything below 1e-6 in exponent notation (`6e-7`): a one-byte change in a 164 MB image is -0.0000006%.
 */
function oneDigitDecimal(size: number): string {
  // toExponential rounds first, so 9.6e-7 carries to 1e-6 and keeps one digit.
  const [digit, exponent] = size.toExponential(0).split('e');
  return `0.${'0'.repeat(-Number(exponent) - 1)}${digit}`;
}

/** `1 file`, `2 files`: a count and its noun, plural when the count is not one. */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * An efficiency score (0-1) as a percentage with `digits` decimals, rounded down: an image that wastes anything is
 * never shown as 100% (0.9999982 with 8 MB wasted is 99.99%, not 100.00%), as dive truncates its score.
 */
export function efficiencyPercent(efficiency: number, digits = 2): string {
  const scale = 10 ** digits;
  // Rounded to 6 places before the floor: 0.8174 * 10000 is 8173.999999999999, and a limit of 81.74% must not show
  // as 81.73%.
  const scaled = Number((efficiency * 100 * scale).toFixed(6));
  return `${(Math.floor(scaled) / scale).toFixed(digits)}%`;
}
