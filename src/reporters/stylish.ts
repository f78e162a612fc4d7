// The default terminal format: findings grouped by file, `line:col  severity  message  code`, then a summary.
import { style } from './format.js';
import { table } from './width.js';
import type { AppliedFix, Report } from '../report/types.js';
import type { Reporter } from './index.js';
import { checkTargets } from './index.js';
import { formatBytes, formatCount, plural } from '../report/figures.js';

/** The widest message the message column is padded to (columns; ballast's own messages run to about 300), a wider
 * one runs into the code column. */
const MESSAGE_PAD_LIMIT = 400;

export const renderStylish: Reporter = (report, options) => {
  const s = style(options.color);
  const out: string[] = [];
  // A gate's failed budgets are listed like findings, under the image they measured: after its findings, under the
  // one heading (a second heading with the same image name read as another image).
  const budgets = checkTargets(report);
  const measured = new Set<string>();
  const groups = report.targets.map((target) => {
    const own = budgets.find((b) => b.target === target.target);
    if (!own || measured.has(target.target)) return target;
    measured.add(target.target);
    return { ...target, findings: [...target.findings, ...own.findings] };
  });
  for (const target of [...groups, ...budgets.filter((b) => !measured.has(b.target))]) {
    if (target.findings.length === 0) continue;
    // Without a summary each file is set off by a blank line before it, not after: the output may be followed
    // by another batch's, and the report ends where the last table does, as it does with a summary.
    if (options.summary === false) out.push('');
    out.push(s.bold(target.target));
    const rows = target.findings.map((f) => {
      // A lint finding is at `line:col` of the file in the heading. An image finding is listed under the image, so a
      // Dockerfile line it is attributed to (and a column it never had) would read as a place in the image: it is at
      // its layer, or `-` (its message names the line, the path and the layer it is about).
      const where =
        f.location.kind === 'image'
          ? f.location.layerIndex !== undefined
            ? `layer ${f.location.layerIndex}`
            : '-'
          : `${f.location.line}:${f.location.column}`;
      const severity =
        f.severity === 'error'
          ? s.red('error')
          : f.severity === 'warning'
            ? s.yellow('warning')
            : f.severity === 'info'
              ? s.cyan('info')
              : s.dim('style');
      // With lint --image, a fix says what it is expected to save, next to the finding it fixes.
      const estimate = f.fix?.estimate;
      const saves = estimate
        ? ` ${s.dim(`[fix saves ${estimate.bytes === null ? 'unknown' : `~${formatBytes(estimate.bytes)}`}]`)}`
        : '';
      return [`  ${s.dim(where)}`, severity, f.message + saves, s.dim(`${f.code} ${f.rule}`)];
    });
    // A message far wider than a line (one quoting a long value) is not the width the others are padded to.
    out.push(table(rows, [], undefined, MESSAGE_PAD_LIMIT));
    if (options.summary !== false) out.push('');
  }
  // A batch's totals would count only its own files and read as the whole commit's (pre-commit shows every batch's
  // output together, under its own Passed/Failed); hadolint prints none either.
  if (options.summary === false) {
    // What --fix changed is said file by file: a batch's own count would read as the commit's, as its totals would,
    // and without it a hook with `args: [--fix, --]` showed nothing but pre-commit's "files were modified".
    for (const target of report.targets) {
      const fixed = codeCounts(target.fixed ?? []);
      if (!fixed) continue;
      const made = (target.fixed ?? []).flatMap((fix) => (fix.created === undefined ? [] : [fix.created]));
      const created = made.length ? ` (created ${made.join(', ')})` : '';
      out.push('', s.green(`✔ fixed ${plural(fixed.total, 'problem')} in ${target.target}: ${fixed.codes}${created}`));
    }
    return out.join('\n');
  }
  const { error, warning, info, fixable } = report.counts;
  // Reports written before `style` existed (a baseline) have no count for it.
  const styleCount = report.counts.style ?? 0;
  const failedBudgets = budgets.reduce((n, t) => n + t.findings.length, 0);
  const total = error + warning + info + styleCount;
  // Inputs that could not be read (each an error line after the report): counted, or `✔ no problems` would read as the
  // verdict on all of them. "path", not "file": a folder with no Dockerfile, or one not listed, is one of them too.
  const unread = report.unreadable?.length ? plural(report.unreadable.length, 'path') + ' not read' : '';
  const fixed = fixedSummary(report, 'fixed');
  if (fixed) out.push(s.green(`✔ fixed ${fixed}`));
  // A dry run fixed nothing: not a ✔, and the findings below are all still there.
  // It counts fixes applied, the totals below count findings with a fix: a fix that overlaps others' edits is left to
  // the next pass, and once they are applied its finding may be gone. Said, so the two counts do not read as a mismatch.
  const wouldFix = fixedSummary(report, 'wouldFix', true);
  if (wouldFix) out.push(s.cyan(`would fix ${wouldFix}`));
  // A dry run with nothing to fix read as a plain run: said, so --fix-dry-run does not look ignored.
  else if (report.targets.some((t) => t.wouldFix)) out.push(s.cyan('would fix nothing'));
  if (total === 0 && failedBudgets === 0)
    return out
      .concat(unread ? s.red(s.bold(`✖ ${unread} (no problems in the others)`)) : s.green('✔ no problems'))
      .join('\n');
  const summary = `✖ ${plural(total, 'problem')} (${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info${styleCount ? `, ${styleCount} style` : ''})${failedBudgets ? `, ${plural(failedBudgets, 'failed budget')}` : ''}${unread ? `, ${unread}` : ''}`;
  out.push(error > 0 || failedBudgets > 0 || unread ? s.red(s.bold(summary)) : s.yellow(s.bold(summary)));
  // The unsafe fixes are counted too: after a plain `--fix` they are what is left, and nothing else says ballast can
  // fix them.
  const unsafe = report.counts.unsafeFixable ?? 0;
  // The gate's report (it has checks) comes from `ci`, which has no --fix: the command that fixes them is named.
  const fix = report.checks ? 'ballast lint --fix' : '--fix';
  const more = unsafe > 0 ? ` (${unsafe} more with ${fix} --unsafe-fixes)` : '';
  // After a dry run the count is on its "would fix" line above: what is left to say is what applies them, as eslint
  // users go on from --fix-dry-run to --fix. That is the dry run's own flags, which give --fix the passes it counted
  // (a report saved without `unsafeFixes`: --unsafe-fixes when a fix counted is unsafe). When only some of them are
  // unsafe they are named, so that --unsafe-fixes does not read as needed for all.
  const dryRun = report.targets.filter((t) => t.wouldFix?.length);
  if (dryRun.length) {
    const counted = dryRun.flatMap((t) => t.wouldFix!);
    const unsafeCodes = codeCounts(counted.filter((fix) => fix.applicability === 'unsafe'));
    const which = unsafeCodes && unsafeCodes.total < counted.length ? ` (unsafe: ${unsafeCodes.codes})` : '';
    // `would fix 1 problem` is followed by "apply it": "them" read as more than the line above counted.
    const them = counted.length === 1 ? 'it' : 'them';
    out.push(
      s.dim(
        report.unsafeFixes || unsafeCodes
          ? `  run with --fix --unsafe-fixes to apply ${them}${which}`
          : `  run with --fix to apply ${them}${more}`,
      ),
    );
  } else if (fixable > 0) out.push(s.dim(`  ${plural(fixable, 'problem')} fixable with ${fix}${more}`));
  else if (unsafe > 0) out.push(s.dim(`  ${plural(unsafe, 'problem')} fixable with ${fix} --unsafe-fixes`));
  return out.join('\n');
};

/**
 * What `lint --fix` fixed, the line before the totals of what is left after `✔ fixed ` (`3 problems: DF001 ×2, DF016`):
 * each rule once, with a count when it fixed more than one, in the order first fixed; the files when more than one had
 * fixes. Empty when nothing was fixed or there was no --fix (the targets have no `fixed`), so a plain run reads as
 * before. With `wouldFix`, the same of what --fix-dry-run says --fix would fix; with `ofFixable`, how many findings
 * were fixable when more than that (`4 problems (5 fixable before any fix)`).
 */
function fixedSummary(report: Report, key: 'fixed' | 'wouldFix', ofFixable = false): string {
  const applied = report.targets.flatMap((t) => t[key] ?? []);
  const files = report.targets.filter((t) => t[key]?.length).length;
  const counted = codeCounts(applied);
  if (!counted) return '';
  const { total, codes } = counted;
  const where = files > 1 ? ` in ${plural(files, 'file')}` : '';
  // A new .dockerignore is named: it changes the build of every Dockerfile in its folder, and it is a file the user
  // has not seen (under pre-commit, an untracked file appears).
  const made = applied.flatMap((fix) => (fix.created === undefined ? [] : [fix.created]));
  const created = made.length ? ` (${key === 'fixed' ? 'created' : 'would create'} ${made.join(', ')})` : '';
  // The unsafe fixables count when the run could apply unsafe fixes (a dry run without them leaves those to the hint).
  const unsafe =
    (key === 'wouldFix' && report.unsafeFixes === true) || applied.some((fix) => fix.applicability === 'unsafe');
  const fixable = report.counts.fixable + (unsafe ? (report.counts.unsafeFixable ?? 0) : 0);
  if (!ofFixable || total >= fixable) return `${plural(total, 'problem')}${where}: ${codes}${created}`;
  // Both counts as they are, and no reason for the difference. The fixes counted are those of every pass, a fix only a
  // later pass offered included, and the fixer passes until no fix that would change something is left, or ten passes:
  // fixable minus fixed is not the findings the others' fixes left with nothing to fix ("1 no longer applies
  // after the others' fixes" when two did and a later pass found one), and telling them apart would mean following
  // each finding through passes that move its lines.
  return `${plural(total, 'problem')}${where} (${formatCount(fixable)} fixable before any fix): ${codes}${created}`;
}

/** Fixes by rule, `DF001 ×2, DF016` (each rule once, with a count when more than one, in the order first met). */
function codeCounts(fixes: AppliedFix[]): { total: number; codes: string } | undefined {
  if (fixes.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const fix of fixes) counts.set(fix.code, (counts.get(fix.code) ?? 0) + 1);
  return { total: fixes.length, codes: [...counts].map(([code, n]) => (n > 1 ? `${code} ×${n}` : code)).join(', ') };
}
