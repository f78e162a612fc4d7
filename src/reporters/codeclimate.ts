// GitLab Code Quality (a subset of the Code Climate issue format): a JSON array, one issue per finding.
import { createHash } from 'node:crypto';
import type { Reporter } from './index.js';
import { checkTargets, findingPosition } from './index.js';

const SEVERITY = { error: 'major', warning: 'minor', info: 'info', style: 'info' } as const;

export const renderCodeclimate: Reporter = (report) => {
  const issues = [...report.targets, ...checkTargets(report)].flatMap((target) =>
    target.findings.map((finding) => {
      const at = findingPosition(finding, target.target);
      // GitLab matches issues between pipelines by fingerprint: stable across runs, unique per finding.
      const fingerprint = createHash('md5')
        .update(`${at.file}:${at.line ?? 0}:${finding.code}:${finding.message}`)
        .digest('hex');
      return {
        type: 'issue',
        check_name: `${finding.code} ${finding.rule}`,
        description: finding.message,
        categories: [finding.location.kind === 'image' ? 'Performance' : 'Style'],
        severity: SEVERITY[finding.severity],
        fingerprint,
        location: { path: at.file, lines: { begin: at.line ?? 1 } },
      };
    }),
  );
  return JSON.stringify(issues, null, 2);
};
