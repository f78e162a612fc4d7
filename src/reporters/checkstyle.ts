// Checkstyle XML (read by Jenkins warnings-ng, reviewdog, many CI dashboards).
import type { Reporter } from './index.js';
import { checkTargets, findingPosition } from './index.js';
import { escapeXml } from './xml.js';

export const renderCheckstyle: Reporter = (report) => {
  const out = ['<?xml version="1.0" encoding="utf-8"?>', '<checkstyle version="4.3">'];
  for (const target of [...report.targets, ...checkTargets(report)]) {
    out.push(`  <file name="${escapeXml(target.target)}">`);
    for (const finding of target.findings) {
      const at = findingPosition(finding, target.target);
      out.push(
        `    <error line="${at.line ?? 0}" column="${at.column ?? 0}" severity="${finding.severity}" message="${escapeXml(finding.message)}" source="ballast.${escapeXml(finding.code)}.${escapeXml(finding.rule)}"/>`,
      );
    }
    out.push('  </file>');
  }
  out.push('</checkstyle>');
  return out.join('\n');
};
