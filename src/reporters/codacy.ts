// Codacy's tool result format: one JSON object per line, `{"filename", "line", "message", "patternId"}`, per finding.
import type { Reporter } from './index.js';
import { checkTargets, findingFile, findingPosition, referencedImage, repositoryPath } from './index.js';

export const renderCodacy: Reporter = (report, options) => {
  const lines: string[] = [];
  for (const target of [...report.targets, ...checkTargets(report)])
    for (const finding of target.findings) {
      const at = findingPosition(finding, target.target);
      const file = findingFile(finding, target.target);
      // Codacy places a result on the file the repository names by that path, so a file under the checkout is written
      // relative to it wherever the job ran; one outside it, or an image named by a reference, is left as given.
      const filename = referencedImage(finding) ?? repositoryPath(file, options.cwd, options.root) ?? file;
      lines.push(JSON.stringify({ filename, line: at.line ?? 1, message: finding.message, patternId: finding.code }));
    }
  return lines.join('\n');
};
