// GitLab Code Quality (a subset of the Code Climate issue format): a JSON array, one issue per finding.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { FingerprintKey, Reporter } from './index.js';
import {
  checkTargets,
  findingFile,
  findingPosition,
  imageFindingIdentity,
  numberKeys,
  referencedImage,
  repositoryPath,
  rootedPath,
} from './index.js';

const SEVERITY = { error: 'major', warning: 'minor', info: 'info', style: 'info' } as const;

/**
 * `location.path` as GitLab reads it: a path relative to the repository, which it joins to the repository (the
 * project directory, `root` here) to show the issue on the file in a merge request. A path under the checkout is
 * written that way however it was given (in /srv/repo, `--stdin-filename /srv/repo/Dockerfile` gives `Dockerfile`,
 * `ballast ci /srv/repo/app.tar` gives `app.tar` for the image's findings, and `Dockerfile` in a job run from
 * /srv/repo/services/api gives `services/api/Dockerfile`). A path elsewhere (an image archive in /tmp, `../Dockerfile`
 * from the root) names no file in the repository whatever is written, so it is written absolute: GitLab cannot place it
 * either way, and a reader of the report can still find the file. An image named by a reference (a registry's, a
 * daemon's) is no file: GitLab requires a path, so the reference is written as it was given.
 */
function issuePath(file: string, cwd: string, root: string | undefined): string {
  const inside = repositoryPath(file, cwd, root);
  if (inside === undefined) return resolve(cwd, file);
  return inside;
}

export const renderCodeclimate: Reporter = (report, options) => {
  const issues = [
    ...report.targets,
    // A failed budget's advice names its file as the result's location does (from the root, absolute outside it).
    ...checkTargets(report, (file) => rootedPath(file, options.cwd, options.root)),
  ].flatMap((target) =>
    target.findings.map((finding) => {
      const at = findingPosition(finding, target.target);
      // An image finding on no Dockerfile line is on the image file, as it was named (the target adds a tag), as in SARIF.
      const file = findingFile(finding, target.target);
      const path = referencedImage(finding) ?? issuePath(file, options.cwd, options.root);
      // GitLab matches issues between pipelines by fingerprint: stable across runs (the path as the repository names
      // it, not where the runner checked it out), unique per finding. It keeps one issue per fingerprint, so a rule
      // firing twice with one message on one line (ShellCheck's SC2086 on `echo $a $b`) numbers the repeats; the
      // first keeps the fingerprint it has alone, and the column stays out, so an edit within the line moves nothing.
      // A failed budget is one issue while it stays failed: its message holds the measured value and its line is the
      // biggest place, both of which move from one pipeline to the next, and keyed on them every change of size read
      // in the merge request as one issue fixed and a new one found. So is an image finding: its message holds its size
      // (and a group's count) and its line is the instruction it is attributed to, so it is its rule and what it is in
      // the image (its path, or a group of files' group and layer), as in SARIF; its repeats are numbered in layer
      // order (numberKeys), not by size.
      const key: FingerprintKey =
        finding.messageId === 'budget'
          ? { key: `${path}:${finding.code}` }
          : finding.location.kind === 'image'
            ? {
                key: `${path}:${finding.code}:${imageFindingIdentity(finding.location, finding.messageId)}`,
                layerIndex: finding.location.layerIndex,
              }
            : { key: `${path}:${at.line ?? 0}:${finding.code}:${finding.message}` };
      return {
        key,
        issue: {
          type: 'issue',
          check_name: `${finding.code} ${finding.rule}`,
          description: finding.message,
          categories: [finding.location.kind === 'image' ? 'Performance' : 'Style'],
          severity: SEVERITY[finding.severity],
          fingerprint: '',
          location: { path, lines: { begin: at.line ?? 1 } },
        },
      };
    }),
  );
  const keys = numberKeys(issues.map((i) => i.key));
  issues.forEach(({ issue }, i) => (issue.fingerprint = createHash('md5').update(keys[i]!).digest('hex')));
  return JSON.stringify(
    issues.map((i) => i.issue),
    null,
    2,
  );
};
