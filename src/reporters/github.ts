// GitHub Actions workflow commands: one `::error file=...,line=...::message` annotation per finding and failed budget.
import { resolve } from 'node:path';
import type { Finding } from '../report/types.js';
import type { Reporter } from './index.js';
import {
  checkTargets,
  findingFile,
  findingPosition,
  referencedImage,
  repositoryPath,
  rootedPath,
  withHint,
} from './index.js';
import { findingOrder, sharedFirst } from '../report/finding-order.js';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice', style: 'notice' } as const;
const SHOWN_PER_LEVEL = 10;

// Workflow command escaping: data escapes %, CR, LF; property values also escape : and ,.
const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

export const renderGithub: Reporter = (report, options) => {
  // A failed budget's advice (`fix first: FILE:LINE`) names its file as the annotation does, not from the working
  // directory: `../x/Dockerfile:13` after `/abs/x/Dockerfile:13: ` would read as another file.
  const name = (file: string) => rootedPath(file, options.cwd, options.root);
  const failed = checkTargets(report, name).flatMap((t) =>
    t.findings.map((finding) => ({ finding, target: t.target })),
  );
  // In the reports' order: errors first, then the biggest first, so a secret of 106 B is not put after every warning.
  const found = report.targets
    .flatMap((t) => t.findings.map((finding) => ({ finding, target: t.target })))
    .sort((a, b) => findingOrder(a.finding, b.finding));
  const annotation = ({ finding, target }: { finding: Finding; target: string }): string => {
    const at = findingPosition(finding, target);
    // GitHub places an annotation by its path from the repository's root, whatever directory the step ran in. A path
    // outside the repository (a Dockerfile or archive in /tmp, `../Dockerfile` from the root) lands on no file
    // whatever is written, and a relative one there would be read from the root: such an annotation has no file=
    // (GitHub shows it on the run) and its message starts with the absolute path and line, so that every path
    // outside reads the same way. An image named by a reference is no file at all: no file= either, and the image
    // in its title. An image finding on no Dockerfile line is on the image file as it was named, not the target.
    const image = referencedImage(finding);
    const file = findingFile(finding, target);
    const inside = image === undefined ? repositoryPath(file, options.cwd, options.root) : undefined;
    const outside = image === undefined && inside === undefined ? resolve(options.cwd, file) : undefined;
    const props = inside !== undefined ? [`file=${escapeProperty(inside)}`] : [];
    if (inside !== undefined) {
      if (at.line !== undefined) props.push(`line=${at.line}`);
      if (at.column !== undefined) props.push(`col=${at.column}`);
      if (at.endLine !== undefined) props.push(`endLine=${at.endLine}`);
      if (at.endColumn !== undefined && at.endLine === at.line) props.push(`endColumn=${at.endColumn}`);
    }
    props.push(
      `title=${escapeProperty(`${finding.code} ${finding.rule}${image === undefined ? '' : ` in ${image}`}`)}`,
    );
    const message =
      outside === undefined
        ? finding.message
        : `${outside}${at.line !== undefined ? `:${at.line}` : ''}: ${finding.message}`;
    return `::${COMMAND[finding.severity]} ${props.join(',')}::${escapeData(message)}`;
  };
  // What decides the run: the failed budgets, then the files that could not be read. Such a file is an annotation on
  // the run (the step's stderr line is not one), so the run's summary does not show the batch as clean.
  const gate = [
    ...failed.map(annotation),
    ...(report.unreadable ?? []).map((e) => `::error title=ballast::${escapeData(withHint(e))}`),
  ];
  const level = (finding: Finding) => COMMAND[finding.severity];
  const lines: string[] = [];
  for (const command of ['error', 'warning', 'notice'] as const) {
    const of = found.filter((f) => level(f.finding) === command);
    const dockerfile = of.filter((f) => f.finding.location.kind !== 'image');
    // lint over many files (pre-commit passes many): the first ten were all the first files', and files 3..N had no
    // annotation shown. GitHub documents its limit for errors and warnings only, so notices keep the files' order.
    const byFile = new Map<string, typeof dockerfile>();
    for (const f of dockerfile) {
      const file = command === 'notice' ? '' : findingFile(f.finding, f.target);
      const mine = byFile.get(file);
      if (mine) mine.push(f);
      else byFile.set(file, [f]);
    }
    // GitHub shows only the first annotations of each level in a step (10 errors, 10 warnings) and drops the others:
    // ten failed budgets took every error shown, and a secret (the image's one error finding) was dropped; a dozen big
    // image warnings did the same to the Dockerfile's. So what decides the gate, the image's findings and each
    // Dockerfile's findings share the first ten.
    lines.push(
      ...sharedFirst(
        [
          command === 'error' ? gate : [],
          of.filter((f) => f.finding.location.kind === 'image').map(annotation),
          ...[...byFile.values()].map((findings) => findings.map(annotation)),
        ],
        SHOWN_PER_LEVEL,
      ),
    );
  }
  return lines.join('\n');
};
