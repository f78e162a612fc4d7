// GitHub Actions workflow commands: one `::error file=...,line=...::message` annotation line per finding.
import type { Reporter } from './index.js';
import { checkTargets, findingPosition } from './index.js';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice', style: 'notice' } as const;

// Workflow command escaping: data escapes %, CR, LF; property values also escape : and ,.
const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

export const renderGithub: Reporter = (report) => {
  const lines: string[] = [];
  for (const target of [...report.targets, ...checkTargets(report)]) {
    for (const finding of target.findings) {
      const at = findingPosition(finding, target.target);
      const props = [`file=${escapeProperty(at.file)}`];
      if (at.line !== undefined) props.push(`line=${at.line}`);
      if (at.column !== undefined) props.push(`col=${at.column}`);
      if (at.endLine !== undefined) props.push(`endLine=${at.endLine}`);
      if (at.endColumn !== undefined && at.endLine === at.line) props.push(`endColumn=${at.endColumn}`);
      props.push(`title=${escapeProperty(`${finding.code} ${finding.rule}`)}`);
      lines.push(`::${COMMAND[finding.severity]} ${props.join(',')}::${escapeData(finding.message)}`);
    }
  }
  return lines.join('\n');
};
