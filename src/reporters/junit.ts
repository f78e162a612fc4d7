// JUnit XML: one test suite per target, one test case per finding (a clean target is one passing case), so CI systems
// that only read test reports still show lint results. A gate's checks (ci budgets) are one more suite: a test case per
// budget, failed, passed or skipped. Only what fails the run is a <failure> (findings at or above the failOn,
// failed budgets), so the report is red exactly when the exit code is 1.
import { findingFails, type Check, type Finding, type TargetResult } from '../report/types.js';
import type { Reporter } from './index.js';
import { checkAdvice, checkWhere, findingPosition, withHint } from './index.js';
import { escapeXml } from './xml.js';
import { formatBytes, formatCount } from '../report/figures.js';

function checkCase(check: Check): string[] {
  const name = escapeXml(`${check.id}: ${check.title}`);
  if (check.status === 'pass') return [`    <testcase name="${name}" classname="ballast.budgets"/>`];
  if (check.status === 'skip')
    return [
      `    <testcase name="${name}" classname="ballast.budgets">`,
      `      <skipped message="${escapeXml(check.message)}"/>`,
      '    </testcase>',
    ];
  // The size as the message reads it, then the exact bytes: raw bytes alone read apart from the message's `236 MB`.
  // Under 1 kB the size is the exact count already (`106 B`, not `106 B, 106 B`).
  // A tar size's mark follows the size the message reads, which it qualifies (`236 MB (tar), 236,123,456 B`).
  const where = checkWhere(check, (b, mark) =>
    formatBytes(b) === `${formatCount(b)} B`
      ? `${formatBytes(b)}${mark}`
      : `${formatBytes(b)}${mark}, ${formatCount(b)} B`,
  );
  // The message (what test report views show first) says what to do, as the text report does; the body lists every
  // place.
  const message = [check.message, checkAdvice(check)].filter(Boolean).join('; ');
  return [
    `    <testcase name="${name}" classname="ballast.budgets">`,
    `      <failure type="budget" message="${escapeXml(message)}">${escapeXml(where ? `${check.message}; fix: ${where}` : check.message)}</failure>`,
    '    </testcase>',
  ];
}

function findingCase(finding: Finding, target: string, failing: boolean): string[] {
  const at = findingPosition(finding, target);
  const where = at.line !== undefined ? `${at.file}:${at.line}` : at.file;
  const text = escapeXml(`${where} ${finding.code} ${finding.message}`);
  // A finding below failOn passes, its message in <system-out>: it was checked and did not fail the run. <skipped>
  // would claim the rule never ran, and GitLab and Jenkins count skips apart (Jenkins can be set to mark a build
  // unstable on them); both show a passing case's system-out in its details.
  const verdict = failing
    ? `      <failure type="${finding.severity}" message="${escapeXml(finding.message)}">${text}</failure>`
    : `      <system-out>${text}</system-out>`;
  return [
    `    <testcase name="${escapeXml(`${finding.code} ${finding.rule} (${where})`)}" classname="${escapeXml(target)}">`,
    verdict,
    '    </testcase>',
  ];
}

export const renderJunit: Reporter = (report) => {
  const checks = report.checks ?? [];
  const failedChecks = checks.filter((c) => c.status === 'fail').length;
  const skippedChecks = checks.filter((c) => c.status === 'skip').length;
  // A target may carry its own failOn (lint, Dockerfiles with different configs): it wins over the report's.
  const failingIn = (target: TargetResult) =>
    target.findings.filter((f) => findingFails(f, target.failOn ?? report.failOn)).length;
  const total = report.targets.reduce((n, t) => n + Math.max(1, t.findings.length), 0) + checks.length;
  const failures = report.targets.reduce((n, t) => n + failingIn(t), 0) + failedChecks;
  const unread = report.unreadable ?? [];
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ballast" tests="${total + unread.length}" failures="${failures}" errors="${unread.length}">`,
  ];
  if (checks.length) {
    out.push(
      `  <testsuite name="budgets" tests="${checks.length}" failures="${failedChecks}" errors="0" skipped="${skippedChecks}">`,
    );
    for (const check of checks) out.push(...checkCase(check));
    out.push('  </testsuite>');
  }
  for (const target of report.targets) {
    const name = escapeXml(target.target);
    out.push(
      `  <testsuite name="${name}" tests="${Math.max(1, target.findings.length)}" failures="${failingIn(target)}" errors="0">`,
    );
    if (target.findings.length === 0) out.push(`    <testcase name="${name}" classname="ballast"/>`);
    for (const finding of target.findings)
      out.push(...findingCase(finding, target.target, findingFails(finding, target.failOn ?? report.failOn)));
    out.push('  </testsuite>');
  }
  // A file that could not be read is a test that could not run: an <error>, which test report readers count and show
  // apart from failures, so the report is not green when the run exited 2.
  for (const e of unread) {
    const name = escapeXml(e.path);
    out.push(
      `  <testsuite name="${name}" tests="1" failures="0" errors="1">`,
      `    <testcase name="${name}" classname="ballast">`,
      `      <error type="${escapeXml(e.code)}" message="${escapeXml(e.message)}">${escapeXml(withHint(e))}</error>`,
      '    </testcase>',
      '  </testsuite>',
    );
  }
  out.push('</testsuites>');
  return out.join('\n');
};
