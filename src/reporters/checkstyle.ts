// Checkstyle XML (read by Jenkins warnings-ng, reviewdog, many CI dashboards).
import type { Report } from '../report/types.js';
import type { Reporter } from './index.js';
import { checkTargets, findingFile, findingPosition, withHint } from './index.js';
import { escapeXml } from './xml.js';

export const renderCheckstyle: Reporter = (report) => {
  // Filed by where each finding points, as SARIF and codeclimate do (findingPosition): an image finding or failed
  // budget attributed to a Dockerfile line goes under the Dockerfile, next to its lint findings, the others under the
  // image. Each file is one <file> element, in order of first appearance; every target checked is listed, a clean one
  // (or an image whose findings all point into the Dockerfile) as an empty element.
  // An image target is named with its tag (app.tar:app:1), which names no file: it is listed under the image as its
  // findings (any of them: all may point into the Dockerfile) or its gate's checks name it, so that a clean image
  // reads as the archive or reference checked rather than as a file that is not there.
  const listedAs = (t: Report['targets'][number]): string => {
    const onImage = t.findings.find((f) => f.location.kind === 'image' && !f.location.file);
    if (onImage) return findingFile(onImage, t.target);
    const image = t.findings.find((f) => f.location.kind === 'image')?.location;
    if (image?.kind === 'image') return image.image;
    return report.checks?.find((c) => c.target === t.target && c.image)?.image ?? t.target;
  };
  const files = new Map<string, string[]>(report.targets.map((t) => [listedAs(t), []]));
  for (const target of [...report.targets, ...checkTargets(report)]) {
    for (const finding of target.findings) {
      const at = findingPosition(finding, target.target);
      const file = findingFile(finding, target.target);
      const errors = files.get(file) ?? [];
      errors.push(
        // checkstyle's column is optional, and an image finding has none: column="0" would be a made-up place.
        `    <error line="${at.line ?? 0}"${at.column !== undefined ? ` column="${at.column}"` : ''} severity="${finding.severity === 'style' ? 'info' : finding.severity}" message="${escapeXml(finding.message)}" source="ballast.${escapeXml(finding.code)}.${escapeXml(finding.rule)}"/>`,
      );
      files.set(file, errors);
    }
  }
  // A file that could not be read is an error on that file, as checkstyle itself files a file it cannot parse.
  for (const e of report.unreadable ?? []) {
    const errors = files.get(e.path) ?? [];
    errors.push(
      `    <error line="0" column="0" severity="error" message="${escapeXml(withHint(e))}" source="ballast.${escapeXml(e.code)}"/>`,
    );
    files.set(e.path, errors);
  }
  const out = ['<?xml version="1.0" encoding="utf-8"?>', '<checkstyle version="4.3">'];
  for (const [file, errors] of files) out.push(`  <file name="${escapeXml(file)}">`, ...errors, '  </file>');
  out.push('</checkstyle>');
  return out.join('\n');
};
