// The GNU error-message format, `FILE:LINE:COLUMN: SEVERITY: MESSAGE [CODE]`, one line per finding: what Emacs'
// compilation mode, Vim's quickfix (`%f:%l:%c: %m`) and other editors' problem matchers read to jump to a finding.
// These readers know `error`, `warning` and `info`/`note` after the position and take any other word for an error,
// so a style finding is written `note: style: MESSAGE`: not an error to them, and still a style finding to a reader.
import type { Reporter } from './index.js';
import { checkTargets, findingFile, findingPosition } from './index.js';

export const renderGnu: Reporter = (report) => {
  const lines: string[] = [];
  for (const target of [...report.targets, ...checkTargets(report)])
    for (const finding of target.findings) {
      const at = findingPosition(finding, target.target);
      // The path as given (relative to where ballast ran), since an editor resolves it against the directory it ran
      // the command in. A finding on no line is on the file alone, as the GNU standards write it.
      const file = findingFile(finding, target.target);
      const where =
        at.line === undefined ? file : `${file}:${at.line}${at.column !== undefined ? `:${at.column}` : ''}`;
      // The code last in brackets, as GCC puts its warning option, so the message starts right after the severity.
      const severity = finding.severity === 'style' ? 'note: style' : finding.severity;
      lines.push(`${where}: ${severity}: ${finding.message} [${finding.code}]`);
    }
  return lines.join('\n');
};
