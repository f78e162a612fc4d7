// hadolint's terminal format, `FILE:LINE CODE SEVERITY: MESSAGE`, one line per finding and nothing when there is
// none: what reads hadolint's default output (reviewdog's `-efm="%f:%l %m"`, scripts that grep it) reads this too.
// `stylish`, grouped by file with totals, stays the default for people.
import { style } from './format.js';
import type { Reporter } from './index.js';
import { checkTargets, findingPosition } from './index.js';

export const renderTty: Reporter = (report, options) => {
  const s = style(options.color);
  const paint = { error: s.red, warning: s.yellow, info: s.green, style: s.cyan };
  const lines: string[] = [];
  for (const target of [...report.targets, ...checkTargets(report)])
    for (const finding of target.findings) {
      const at = findingPosition(finding, target.target);
      const file = finding.location.kind === 'image' && !finding.location.file ? finding.location.image : at.file;
      // A finding on no line (a missing .dockerignore) is on the file alone.
      const where = at.line === undefined ? file : `${file}:${at.line}`;
      lines.push(`${where} ${finding.code} ${paint[finding.severity](finding.severity)}: ${finding.message}`);
    }
  return lines.join('\n');
};
