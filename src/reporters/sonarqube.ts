// SonarQube's generic external issue format (`sonar.externalIssuesReportPaths`): `{"issues": [...]}`, one per finding.
import type { Reporter } from './index.js';
import { checkTargets, findingPosition, repositoryPath } from './index.js';

const SEVERITY = { error: 'CRITICAL', warning: 'MAJOR', info: 'MINOR', style: 'INFO' } as const;

export const renderSonarqube: Reporter = (report, options) => {
  const issues = [...report.targets, ...checkTargets(report)].flatMap((target) =>
    target.findings.map((finding) => {
      const at = findingPosition(finding, target.target);
      const file = finding.location.kind === 'image' && !finding.location.file ? finding.location.image : at.file;
      // SonarQube resolves filePath against the project's base directory (where the scanner runs, ballast's cwd here)
      // and drops an issue on a file it does not index, so a path in the checkout is written relative to it.
      const filePath = repositoryPath(file, options.cwd) ?? file;
      const textRange: Record<string, number> = { startLine: at.line ?? 1 };
      // SonarQube counts columns from 0 and rejects the whole report for a range that ends before it starts or past
      // its line; ballast's columns count from 1 and end one past the last character, so each is one less. A finding
      // with no column range is on its whole line.
      const endLine = at.endLine ?? at.line;
      if (
        at.line !== undefined &&
        at.column !== undefined &&
        at.endColumn !== undefined &&
        endLine !== undefined &&
        (endLine > at.line || at.endColumn > at.column)
      ) {
        textRange.endLine = endLine;
        textRange.startColumn = at.column - 1;
        textRange.endColumn = at.endColumn - 1;
      }
      return {
        engineId: report.tool.name,
        ruleId: finding.code,
        severity: SEVERITY[finding.severity],
        type: 'CODE_SMELL',
        primaryLocation: { message: finding.message, filePath, textRange },
      };
    }),
  );
  return JSON.stringify({ issues }, null, 2);
};
