// JUnit XML: one test suite per target, one failing test case per finding (a clean target is one passing case),
// so CI systems that only read test reports still show lint results.
import type { Reporter } from './index.js';
import { findingPosition } from './index.js';
import { escapeXml } from './xml.js';

export const renderJunit: Reporter = (report) => {
  const total = report.targets.reduce((n, t) => n + Math.max(1, t.findings.length), 0);
  const failures = report.targets.reduce((n, t) => n + t.findings.length, 0);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="ballast" tests="${total}" failures="${failures}" errors="0">`];
  for (const target of report.targets) {
    const name = escapeXml(target.target);
    out.push(`  <testsuite name="${name}" tests="${Math.max(1, target.findings.length)}" failures="${target.findings.length}" errors="0">`);
    if (target.findings.length === 0) out.push(`    <testcase name="${name}" classname="ballast"/>`);
    for (const finding of target.findings) {
      const at = findingPosition(finding, target.target);
      const where = at.line !== undefined ? `${at.file}:${at.line}` : at.file;
      out.push(`    <testcase name="${escapeXml(`${finding.code} ${finding.rule} (${where})`)}" classname="${name}">`);
      out.push(`      <failure type="${finding.severity}" message="${escapeXml(finding.message)}">${escapeXml(`${where} ${finding.code} ${finding.message}`)}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n');
};
