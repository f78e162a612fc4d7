// `lint --fix --verify` for people: one row per fix (its estimate next to the bytes the build after it measured), the
// total, and how long the builds took. Printed on stderr by the command: stdout stays the lint report.
import type { FixVerifyReport } from '../services/fix-verify.js';
import { table } from './width.js';
import { signedBytes } from './diff-text.js';
import { formatBytes } from '../report/figures.js';

export function renderFixVerifyText(v: FixVerifyReport): string {
  const rows = [['rule', 'line', 'estimate', 'measured', 'difference', 'reclaimable', '']];
  for (const f of v.fixes) {
    const estimate = f.estimate.bytes === null ? 'unknown' : formatBytes(f.estimate.bytes);
    const difference = f.estimate.bytes === null ? '-' : signedBytes(f.measuredBytes - f.estimate.bytes);
    // A cache fix is about rebuild time: its bytes are shown as measured (about 0 for a reorder), and its point said.
    const note = [
      f.ruleType === 'cache' ? 'cache fix: saves rebuild time' : '',
      f.codes.length > 1 ? 'measured as one group: the fixes could not be applied apart' : '',
      f.built ? '' : 'nothing the build reads changed',
      f.pass > 1 ? `pass ${f.pass}: line of the file the earlier fixes made` : '',
    ].filter((n) => n !== '');
    rows.push([
      f.codes.join('+'),
      String(f.line),
      estimate,
      formatBytes(f.measuredBytes),
      difference,
      formatBytes(f.reclaimableBytes),
      note.join('; '),
    ]);
  }
  const known = v.fixes.filter((f) => f.estimate.bytes !== null);
  rows.push([
    'total',
    '',
    `${formatBytes(v.estimatedBytes)}${v.unknownEstimates > 0 ? ` + ${v.unknownEstimates} unknown` : ''}`,
    formatBytes(v.savedBytes),
    known.length > 0 ? signedBytes(known.reduce((n, f) => n + f.measuredBytes, 0) - v.estimatedBytes) : '-',
    formatBytes(v.findingBytesSaved),
    '',
  ]);
  const cached = v.builds.reduce((n, b) => n + b.cachedSteps, 0);
  return (
    `verify: each fix measured by building the image after it (uncompressed layer bytes; estimates read off the image built before it):\n` +
    `${table(rows, ['l', 'r', 'r', 'r', 'r', 'r', 'l'])
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n')}\n` +
    `verify: image ${formatBytes(v.before.uncompressedBytes)} before the fixes, ${formatBytes(v.after.uncompressedBytes)} after: ` +
    `measured ${formatBytes(v.savedBytes)} saved (${v.savedBytes} bytes); ` +
    `reclaimable ${formatBytes(v.before.findingBytes)} -> ${formatBytes(v.after.findingBytes)}\n` +
    `verify: ${v.builds.length} builds in ${v.buildSeconds.toFixed(1)} s (${cached} steps from buildah's layer cache)\n`
  );
}
