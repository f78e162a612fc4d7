// GitHub Actions workflow commands: one `::error file=...,line=...::message` annotation line per finding.
import type { Reporter } from './index.js';
import { checkTargets, findingFile, findingPosition, referencedImage, repositoryPath, withHint } from './index.js';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice', style: 'notice' } as const;

// Workflow command escaping: data escapes %, CR, LF; property values also escape : and ,.
const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

export const renderGithub: Reporter = (report, options) => {
  const lines: string[] = [];
  for (const target of [...report.targets, ...checkTargets(report)]) {
    for (const finding of target.findings) {
      const at = findingPosition(finding, target.target);
      // GitHub places an annotation by its path from the repository's root, whatever directory the step ran in. A path
      // outside the repository lands on no file whatever is written: left as given. An image named by a reference is
      // no file at all: its annotation has no file (GitHub shows it on the run) and names the image in its title.
      // An image finding on no Dockerfile line is on the image file as it was named, not the target (which adds a tag).
      const image = referencedImage(finding);
      const file = findingFile(finding, target.target);
      const props =
        image === undefined ? [`file=${escapeProperty(repositoryPath(file, options.cwd, options.root) ?? file)}`] : [];
      if (at.line !== undefined) props.push(`line=${at.line}`);
      if (at.column !== undefined) props.push(`col=${at.column}`);
      if (at.endLine !== undefined) props.push(`endLine=${at.endLine}`);
      if (at.endColumn !== undefined && at.endLine === at.line) props.push(`endColumn=${at.endColumn}`);
      props.push(
        `title=${escapeProperty(`${finding.code} ${finding.rule}${image === undefined ? '' : ` in ${image}`}`)}`,
      );
      lines.push(`::${COMMAND[finding.severity]} ${props.join(',')}::${escapeData(finding.message)}`);
    }
  }
  // A file that could not be read: an annotation on the run (the step's stderr line is not one), so the run's
  // summary does not show the batch as clean.
  for (const e of report.unreadable ?? []) lines.push(`::error title=ballast::${escapeData(withHint(e))}`);
  return lines.join('\n');
};
