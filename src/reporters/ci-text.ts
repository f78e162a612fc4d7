// Text view of `ballast ci`: what to fix first (findings with the most reclaimable bytes and their lines), then every
// budget with value, limit and PASS/FAIL/SKIP and the lines behind a failure, then the verdict. A pure function.
import { codeSpan } from '../report/code-span.js';
import type { Check } from '../report/types.js';
import type { CiResult } from '../services/ci.js';
import {
  checkBytes,
  cutWidth,
  diveFileList,
  READABLE_CELL,
  imageAndPlatform,
  style,
  percentChange,
  type DiveFileReference,
} from './format.js';
import { columns, cutPathToColumns } from '../report/text.js';
import { diveFileTable, lastCellsUnder, table, tableWidth, truncate } from './width.js';
import { hanging, proseWrapper } from '../report/wrap.js';
import { findingPlace, placeText, unlisted, unlistedText, type Place } from './index.js';
import { checkFigures } from '../report/check-figures.js';
import { fileBaseName } from '../report/dockerfile-lines.js';
import { formatBytes, formatCount, plural } from '../report/figures.js';
import { imageArgument } from '../report/image-name.js';
import { listedAtMost } from '../report/lists.js';

export interface CiTextOptions {
  color: boolean;
  width?: number;
}

export function verdictLine(r: CiResult): string {
  const { pass, fail, skip } = r.counts;
  return `${r.verdict === 'pass' ? 'PASS' : 'FAIL'} [pass:${pass}${fail ? ` fail:${fail}` : ''}${skip ? ` skip:${skip}` : ''}]`;
}

/**
 * What the budgets say, as the text report's first line and the markdown summary's verdict both word it. A budget set
 * but not measured (a compressed limit on a docker-save archive, growth with no baseline) is no budget met: a pass
 * whose only limit went unchecked said "every budget met", and the job never learnt.
 */
export function budgetVerdict(r: CiResult): string {
  const failed = r.checks.filter((c) => c.status === 'fail');
  const unmeasured = r.checks.filter((c) => c.status === 'skip' && c.limit !== null);
  // No limit set but failOn's (a first run with no config, a ci: section that sets none): "every budget met" read as a
  // gate that checked sizes when it checked none.
  const set = r.checks.filter((c) => c.limit !== null);
  return failed.length
    ? `${plural(failed.length, 'budget')} failed (${failed.map((c) => c.id).join(', ')})`
    : unmeasured.length
      ? `no budget failed; ${plural(unmeasured.length, 'budget')} set but not measured (${unmeasured.map((c) => c.id).join(', ')})`
      : set.length === 0
        ? 'no budget set'
        : set.every((c) => c.id === 'failOn')
          ? 'no budget set; failOn met'
          : 'every budget met';
}

/**
 * Which budgets applied, when the config has `ci.images` blocks: `budgets: top level + images \`app/*\``, or that none
 * of the patterns matched. A pattern written for the registry name while the job gates a tar file matched nothing,
 * and the report read the same as one gated by the per-image budgets; empty with no blocks (the top level is all).
 */
export function budgetSources(r: CiResult): string {
  const { images = [], patterns = [] } = r.config ?? {};
  if (!patterns.length) return '';
  const spans = (names: string[]) => listedAtMost(names.map(codeSpan));
  return images.length
    ? `budgets: top level + images ${spans(images)}`
    : `budgets: top level only, no images pattern matched (${spans(patterns)})`;
}

/**
 * `SIZES uncompressed (tar)`: the layers' summed tar sizes, as both reports word them (this one's Baseline line, the
 * markdown headline). Marked as the growth budgets' sizes are, so the sum is not taken for the file bytes analyze's
 * layer table shows, which are fewer.
 */
export function uncompressedTar(sizes: string): string {
  return `${sizes} uncompressed (tar)`;
}

/**
 * The narrowest a table's last cell (a message, a title, a line of the Dockerfile) is cut to: the columns before it
 * (size, place, code, budget id, figures) take ~50 of a 60-column terminal, and a 20-column floor put every row past it.
 */
const MIN_CELL = 10;

/** The fewest columns a Dockerfile's cut name keeps: a few letters of its start, the ellipsis and its end. */
const MIN_FILE = 16;

/**
 * Rows with a place in one column (`row` lays a row out around its place's text), the file in it named to fit `width`.
 * A monorepo's Dockerfile (services/payments-api/docker/Dockerfile) named whole on every row took what the last cell
 * needed, and past MIN_CELL the rows ran over the terminal. As analyze's layer table does, the rows name the file by its
 * base name when the path leaves the last cell less than READABLE_CELL (ci reads one Dockerfile: the base name is no
 * less clear); a base name that still does is cut in its middle, to MIN_FILE at the least, or further when even that
 * leaves less than MIN_CELL. The line, layer and size after the name are never cut: they say where to look.
 */
function placeRows(
  places: Place[],
  row: (where: string, i: number) => string[],
  width: number,
  wrap?: { indent: number },
): string[][] {
  const laid = (name: (file: string) => string) =>
    places.map((p, i) => row(placeText({ ...p, file: p.file === undefined ? undefined : name(p.file) }), i));
  const room = (rows: string[][]) => width - tableWidth(rows.map((r) => r.slice(0, -1))) - 2;
  const whole = laid((file) => file);
  if (room(whole) >= READABLE_CELL) return whole;
  let rows = laid(fileBaseName);
  const longest = Math.max(0, ...places.map((p) => (p.file === undefined ? 0 : columns(fileBaseName(p.file)))));
  for (let keep = longest - 1; keep >= 2 && room(rows) < READABLE_CELL; keep--) {
    if (keep < MIN_FILE && room(rows) >= MIN_CELL) break;
    rows = laid((file) => cutPathToColumns(fileBaseName(file), keep));
  }
  // Wrapped messages that go under their rows even beside the shortened name leave the rows the whole line: the path
  // is named whole when it fits there ("Dockerfile:13" for services/payments-api/docker/Dockerfile at 80 columns).
  const under = wrap !== undefined && lastCellsUnder(rows, { width, min: READABLE_CELL, indent: wrap.indent });
  return under && tableWidth(whole.map((r) => r.slice(0, -1))) <= width ? whole : rows;
}

/** Why a check was skipped: its message is `TITLE: reason`, and a title may hold a `: ` of its own. */
function skipReason(c: Check): string {
  return c.message.startsWith(`${c.title}: `) ? c.message.slice(c.title.length + 2) : c.message;
}

/** Rows in the list of dive's inefficient files: what a log shows of a list that runs to hundreds of paths. */
const DIVE_FILE_ROWS = 5;

/**
 * dive's inefficient files as ci's text and Markdown reports list them (with dive's rules only, as dive's CI log lists
 * them under "Inefficient Files"): see diveFileList; `more` says what the list leaves out and what --json has.
 */
export function diveFiles(r: CiResult): { heading: string; shown: DiveFileReference[]; more: string } | undefined {
  const list = diveFileList(r.dive, DIVE_FILE_ROWS);
  if (!list) return undefined;
  const listed = r.dive.fileReferences?.length ?? 0;
  return {
    heading: list.heading,
    shown: list.shown,
    more:
      list.hidden > 0
        ? `${formatCount(list.hidden)} more (--json lists ${list.hidden + list.shown.length > listed ? `the ${listed} largest` : 'all'})`
        : '',
  };
}

export function renderCiText(r: CiResult, options: CiTextOptions): string {
  const s = style(options.color);
  // Prose (the headline, "Fix first"'s messages, failOn's findings) is wrapped, and the budgets' titles and reasons
  // cut, only to a width the terminal or COLUMNS gave: a CI log or a report file keeps them whole, one line each, as
  // its tables keep their values (and as `bases` does); wrapped at 120 there, a message broke mid-sentence in a wider
  // log window.
  const width = cutWidth(options.width);
  const wrap = proseWrapper(options.width);
  const out: string[] = [];
  const failed = r.checks.filter((c) => c.status === 'fail');
  // The platform named, as analyze's header names it: a matrix job gating each platform of an index got one headline.
  const verdict = r.verdict === 'pass' ? s.green('PASS') : s.red('FAIL');
  const name = imageArgument(r.image);
  // A name too wide for the headline's indented lines with the `,` or `:` after it ran past the terminal there: it gets
  // a line of its own under the verdict, unindented and bare, as a path wider than a line keeps one, whole.
  if (columns(name) + 1 > width - 2) {
    const platform = r.image.platform ? ` ${r.image.platform}` : '';
    out.push(wrap(`${verdict}${platform}: ${budgetVerdict(r)}`, width), s.bold(name));
  } else out.push(wrap(`${verdict} ${imageAndPlatform(r.image, s.bold)}: ${budgetVerdict(r)}`, width));
  if (r.fixFirst.length) {
    out.push('', s.bold('Fix first'));
    out.push(
      table(
        placeRows(
          r.fixFirst.map(findingPlace),
          (where, i) => [
            formatBytes(r.fixFirst[i].bytes ?? 0),
            where || '-',
            s.dim(r.fixFirst[i].code),
            r.fixFirst[i].message,
          ],
          width,
          { indent: 4 },
        ),
        ['r'],
        // The message ends with the fix: wrapped to what the other columns leave, never cut.
        { width, min: READABLE_CELL, wrap: { indent: 4 } },
      ),
    );
  }
  out.push('', s.bold('Budgets'));
  const sources = budgetSources(r);
  if (sources) out.push(wrap(sources, width));
  const status = (c: Check) =>
    c.status === 'pass' ? s.green('PASS') : c.status === 'fail' ? s.red('FAIL') : s.dim('SKIP');
  const budgetRows = [
    ['', 'budget', 'value', 'limit'].map((h) => s.dim(h)),
    ...r.checks.map((c) => {
      const figures = checkFigures(c, c.value, c.limit);
      return [status(c), c.id, figures.value, figures.limit];
    }),
  ];
  const last = (c: Check) => (c.status === 'skip' ? s.dim(skipReason(c)) : c.title);
  if (options.width !== undefined && tableWidth(budgetRows) + 2 + MIN_CELL > width) {
    // The figures took the line (a long id, a tar size): titles cut to a few letters read as nothing. They go, the id
    // names the budget and a failure's reason follows; a skip's reason, the one thing its row says, goes under it.
    // Wider than the line even so (at 40 columns a row ran to 43): each row's value and limit go under its id.
    const under = tableWidth(budgetRows) > width;
    const lines = table(under ? budgetRows.map((row) => row.slice(0, 2)) : budgetRows, ['l', 'l', 'r', 'r']).split(
      '\n',
    );
    const figures = under
      ? table(
          budgetRows.map((row) => row.slice(2)),
          ['r', 'r'],
        ).split('\n')
      : [];
    out.push(lines[0], ...(under ? [`      ${figures[0]}`] : []));
    r.checks.forEach((c, i) => {
      out.push(lines[i + 1], ...(under ? [`      ${figures[i + 1]}`] : []));
      if (c.status === 'skip') out.push(`      ${s.dim(hanging(skipReason(c), width, 6))}`);
    });
  } else
    out.push(
      table(
        budgetRows.map((row, i) => [...row, i === 0 ? '' : last(r.checks[i - 1])]),
        ['l', 'l', 'r', 'r'],
        options.width === undefined ? undefined : { width, cut: truncate, min: MIN_CELL },
      ),
    );
  const dive = diveFiles(r);
  if (dive) {
    out.push(
      ...diveFileTable(dive, s, (text) => wrap(text, width), { width, cut: cutPathToColumns, min: READABLE_CELL }),
    );
    if (dive.more) out.push(s.dim(`  …and ${dive.more}`));
  }
  if (failed.length) {
    out.push('', s.bold('Why it failed, and the lines to fix'));
    for (const c of failed) {
      // A reason may list paths for a line and more: wrapped under its own start, as it ends with the limit broken.
      // The message is the service's, as every format carries it: a tar size is marked there already.
      out.push(`  ${wrap(`${s.red('FAIL')} ${c.message}`, width - 2, 5).replace(/\n/g, '\n  ')}`);
      const shown = c.locations.slice(0, 5);
      // failOn's rows are findings, whose messages end with the fix: wrapped as "Fix first" wraps them. A budget's
      // rows are Dockerfile instructions and layers' history entries, cut (the place before them says where to read
      // the whole line), as analyze's layer table does. Both only to a width the terminal or COLUMNS gave.
      const findings = shown.some((l) => l.rule !== undefined);
      // The place as "Fix first" and every other format write it (placeText), its bytes in a column of their own.
      const rows = placeRows(
        shown.map((l) => ({ ...l, bytes: undefined, rule: undefined })),
        (where, i) => [
          `       ${where}`,
          shown[i].bytes !== undefined ? checkBytes(c, shown[i].bytes) : '',
          shown[i].text ?? '',
        ],
        width,
        findings ? { indent: 9 } : undefined,
      );
      if (rows.length)
        out.push(
          table(
            rows,
            ['l', 'r'],
            findings
              ? { width, min: READABLE_CELL, wrap: { indent: 9, style: s.dim } }
              : { width, cut: (text, room) => s.dim(truncate(text, room)), min: MIN_CELL },
          ),
        );
      // failOn lists five of the findings it counts: the rest said, or its count reads as more than the list.
      const more = unlisted(c, shown.length);
      if (more) out.push(s.dim(`       …and ${unlistedText(c, more)}`));
    }
  }
  if (r.baseline) {
    const b = r.baseline;
    const g = b.uncompressed;
    const change =
      g.bytes === 0
        ? 'unchanged'
        : `${g.bytes < 0 ? 'shrank' : 'grew'} by ${formatBytes(Math.abs(g.bytes))}${g.ratio === null ? '' : ` (${percentChange(g.ratio * 100)})`}`;
    // The sizes are sums of the layers' tar sizes, marked (tar) as the growth budgets' are. The baseline's own image
    // and platform, not only the file or reference given: a baseline.json saved from another repository or platform
    // would otherwise read as this image's history.
    const head = `${s.bold('Baseline')} ${b.source} (${imageAndPlatform(b.baseline)})`;
    out.push(
      '',
      wrap(
        b.notCompared
          ? `${head}: not compared, ${b.notCompared}`
          : `${head}: ${uncompressedTar(`${formatBytes(g.before)} -> ${formatBytes(g.after)}`)}, ${change}; wasted ${formatBytes(b.wasted.before)} -> ${formatBytes(b.wasted.after)}`,
        width,
      ),
    );
  }
  const findings = r.report.targets.reduce((n, t) => n + t.findings.length, 0);
  // With no findings, a breakdown of three zeros adds nothing.
  out.push(
    '',
    wrap(
      findings
        ? `${plural(findings, 'finding')} (${plural(r.report.counts.error, 'error')}, ${plural(r.report.counts.warning, 'warning')}, ${r.report.counts.info} info); --format sarif/junit/json or --output FORMAT=FILE for all of them`
        : plural(0, 'finding'),
      width,
    ),
  );
  out.push(r.verdict === 'pass' ? s.green(verdictLine(r)) : s.red(verdictLine(r)));
  return out.join('\n');
}
