// The analyze reporters are pure functions of the result: same result, same text; colour only when asked.
import { renderAnalyzeMarkdown } from '../../src/reporters/analyze-markdown.js';
import { renderAnalyzeText } from '../../src/reporters/analyze-text.js';
import { INSTRUCTION_CHARS } from '../../src/reporters/markdown.js';
import { renderAnalyzeHtml } from '../../src/reporters/html.js';
import { analyze, type AnalyzeResult } from '../../src/services/analyze.js';
import { ci } from '../../src/services/ci.js';
import { findingsToShow } from '../../src/report/finding-order.js';
import { columns } from '../../src/report/text.js';
import { formatBytes } from '../../src/report/figures.js';

let result: AnalyzeResult;
// The wasted share of your layers as `ci` checks it against maxWastedPercent, on the same image.
let ciWastedPercent: number | null;
// The junk `ci` checks against maxJunkBytes, on the same image.
let ciJunkBytes: number | null;
beforeAll(async () => {
  result = await analyze({ image: 'test/fixtures/dive/test-docker-image.tar', workers: 0 });
  const gate = await ci({
    image: 'test/fixtures/dive/test-docker-image.tar',
    cwd: 'test/fixtures/dive',
    workers: 0,
    overrides: [{ key: 'maxWastedPercent', value: '10%', source: '--max-wasted-percent' }],
  });
  ciWastedPercent = gate.checks.find((c) => c.id === 'maxWastedPercent')!.value as number | null;
  ciJunkBytes = gate.checks.find((c) => c.id === 'maxJunkBytes')!.value as number | null;
});

describe('analyze reporters', () => {
  it('renders the summary, layers, findings and top lists as text', () => {
    const text = renderAnalyzeText(result, { color: false, width: 120 });
    expect(text).toBe(renderAnalyzeText(result, { color: false, width: 120 }));
    expect(text.includes('\u001b[')).toBe(false);
    expect(text).toMatch(/^Layers\s+14 \(1 base, assumed, 13 yours\)$/m);
    expect(renderAnalyzeText(result, { color: false, width: 200 })).toMatch(
      /^Wasted\s+32\.0 kB \(2\.6% of all file bytes; 48\.35% of your layers', ci maxWastedPercent\): deleted 19\.2 kB, overwritten 0 B, same-content copies 12\.8 kB$/m,
    );
    expect(text).toMatch(/^ *13 +6\.41 kB +1 +- +RUN chmod \+x \/root\/saved\.txt$/m);
    expect(text).toContain('Findings (');
    expect(text).toMatch(/6\.41 kB +copied again, same content +L7 +L13 +\/root\/saved\.txt/);
    expect(renderAnalyzeText(result, { color: true })).toContain('\u001b[1m');
  });

  it('renders markdown tables for a PR comment', () => {
    const md = renderAnalyzeMarkdown(result, { rows: 2 });
    expect(md.split('\n')[0]).toBe('### ballast analyze: `test/fixtures/dive/test-docker-image.tar:dive-test:latest`');
    expect(md).toContain(
      "| Wasted | **32.0 kB** (2.6% of all file bytes; 48.35% of your layers', ci maxWastedPercent): deleted 19.2 kB, overwritten 0 B, same-content copies 12.8 kB |",
    );
    expect(md).toMatch(/…and \d+ more \(`--json` lists all\)\./);
    expect(md).toContain('<details><summary>Layers</summary>');
  });

  it("keeps each layer's line and instruction in sight at 80 columns, naming a long Dockerfile path by its base name", () => {
    const file = 'scripts/corpus/dockerfiles/bloated.Dockerfile';
    const attributed: AnalyzeResult = {
      ...result,
      layers: result.layers.map((l, i) => ({
        ...l,
        instruction: { file, line: 10 + i, endLine: 10 + i, keyword: 'RUN', text: `RUN step-${i} --flag` },
      })),
    };
    const at80 = renderAnalyzeText(attributed, { color: false, width: 80 });
    expect(at80).toMatch(/^ *3 +.* bloated\.Dockerfile:13 RUN step-3 --flag$/m);
    expect(at80).not.toContain('scripts/corpus/dockerfiles/bloated.Dock');
    for (const row of at80.split('\n').filter((r) => /Dockerfile:\d/.test(r)))
      expect(row.length).toBeLessThanOrEqual(80);
    // With room for it, the path is whole.
    expect(renderAnalyzeText(attributed, { color: false, width: 120 })).toMatch(
      /^ *3 +.* scripts\/corpus\/dockerfiles\/bloated\.Dockerfile:13 RUN step-3 --flag$/m,
    );
  });

  it('fits every table to a 40-column terminal, a path or instruction with no room beside its row going under it', () => {
    // Given long instructions, a long file path, junk classes and duplicate groups, and a 40-column terminal: the
    // layer table kept 30 columns for its instruction and the file lists 20 for their paths, past the edge on every row
    const deep = `app/node_modules/${'some-package/'.repeat(3)}index.js`;
    const long: AnalyzeResult = {
      ...result,
      layers: result.layers.map((l) => ({ ...l, historyInstruction: `RUN ${'make && '.repeat(20)}done` })),
      topFiles: result.topFiles.map((f, i) => (i === 0 ? { ...f, path: deep } : f)),
    };
    const lines = renderAnalyzeText(long, { color: false, width: 40 }).split('\n');
    // Then no line is wider, but for a whole path in a finding's prose, which copies as one path
    expect(lines.filter((l) => columns(l) > 40 && !/^ +`\/[^ ]*`\S*$/.test(l))).toEqual([]);
    // and each layer's instruction is on the line under its row, cut to that line; a path with room enough beside
    // its row stays there, cut in its middle
    const layer = lines.findIndex((l) => /^ *3 +[\d.]+ [kMG]?B /.test(l));
    expect(layer).toBeGreaterThan(0);
    expect(lines[layer + 1]).toMatch(/^ {4}RUN make && make && .*…$/);
    expect(columns(lines[layer + 1])).toBe(40);
    expect(lines.some((l) => /^1\.08 MB +L0 +\/app\/no….*\/index\.js$/.test(l))).toBe(true);
    // With room beside the numbers, as at 80 columns, the rows keep them beside them
    expect(renderAnalyzeText(long, { color: false, width: 80 })).toMatch(/^ *3 +.* RUN make && .*…$/m);
  });

  it('names the wasted files as the HTML report does, says whether the list is all of them, and totals the junk', () => {
    // Given the text's "same content" and "In" where the HTML said "copied again, same content" and "Shipped in", a
    // list cut to --top with nothing to say so, and no junk total beside ci's maxJunkBytes
    const text = renderAnalyzeText(result, { color: false, rows: 2 });
    const html = renderAnalyzeHtml(result, { rows: 2 });
    expect(text).toMatch(/^ +Size +Cause +Shipped in +Hidden by +Path$/m);
    expect(html).toMatch(/<th[^>]*>Shipped in<\/th>/);
    expect(text).toMatch(/ copied again, same content +L\d+ +L\d+ /);
    // Then the cut list says so, in the HTML's words, and one that holds every wasted file says that
    expect(text).toMatch(/^ {2}The 2 largest \(--top sets how many\)$/m);
    expect(html).toContain('The 2 largest;');
    expect(renderAnalyzeText(result, { color: false, rows: 100 })).toMatch(
      new RegExp(`^ {2}All ${result.wastedFiles.length}$`, 'm'),
    );
    // and every format gives the junk total `ci` checks against maxJunkBytes, the same bytes
    expect(ciJunkBytes).toBeGreaterThan(0);
    const shown = formatBytes(ciJunkBytes!);
    expect(text).toMatch(new RegExp(`^Junk in the final filesystem \\(${shown.replace('.', '\\.')}\\)$`, 'm'));
    expect(html).toContain(`<h2 id="junk">Junk in the final filesystem (${shown})</h2>`);
    expect(renderAnalyzeMarkdown(result, { rows: 2 })).toContain(`| Junk | ${shown} in the final filesystem |`);
  });

  it('lays the wasted files out on a 40-column terminal, cause and path under each row', () => {
    const lines = renderAnalyzeText(result, { color: false, width: 40 }).split('\n');
    const start = lines.indexOf('Biggest wasted files');
    const list = lines.slice(start + 1, lines.indexOf('', start));
    expect(list.filter((l) => columns(l) > 40)).toEqual([]);
    const row = list.findIndex((l) => /^6\.41 kB +L7 +L13$/.test(l));
    expect(list.slice(row + 1, row + 3)).toEqual(['    copied again, same content', '    /root/saved.txt']);
  });

  it('gives the layer instruction every column the numbers leave at 80 columns', () => {
    const long: AnalyzeResult = {
      ...result,
      layers: result.layers.map((l) => ({ ...l, historyInstruction: `RUN ${'x'.repeat(200)}` })),
    };
    const rows = renderAnalyzeText(long, { color: false, width: 80 })
      .split('\n')
      .filter((row) => row.includes('RUN xxx'));
    expect(rows.length).toBe(result.layers.length);
    for (const row of rows) expect(row.length).toBe(80);
  });

  it('keeps instructions, paths, layer names and duplicates whole with no width given (a pipe, a file), as diff does', () => {
    // Piped, the layer table was cut to 120 columns: grep on a saved report missed the end of a long RUN line.
    const run = `RUN ${'step && '.repeat(30)}done`;
    const deep = `usr/lib/python3/dist-packages/${'very-long-package-name/'.repeat(6)}module_with_a_long_name.py`;
    const file = `services/${'payments-api/'.repeat(4)}Dockerfile`;
    const long: AnalyzeResult = {
      ...result,
      layers: result.layers.map((l, i) => ({
        ...l,
        instruction: { file, line: 10 + i, endLine: 10 + i, keyword: 'RUN', text: `${run} ${i}` },
      })),
      topFiles: result.topFiles.map((f, i) => (i === 0 ? { ...f, path: deep } : f)),
      topDirectories: result.topDirectories.map((d, i) => (i === 0 ? { ...d, path: deep } : d)),
      wastedFiles: result.wastedFiles.map((w, i) => (i === 0 ? { ...w, path: deep } : w)),
      duplicates: {
        ...result.duplicates,
        top: [{ ...result.duplicates.top[0], paths: [deep, `${deep}.copy`, `${deep}.again`] }],
      },
    };
    const piped = renderAnalyzeText(long, { color: false });
    expect(piped).not.toContain('…');
    expect(piped).toMatch(new RegExp(`^ *3 .* ${file}:13 ${run.replace(/[&]/g, '\\$&')} 3$`, 'm'));
    expect(piped.split('\n').filter((l) => l.endsWith(`/${deep}`))).toHaveLength(3);
    // (the wasted files' layers keep their lines beside a whole path)
    expect(piped).toMatch(new RegExp(`L\\d+ line \\d+ +L\\d+ line \\d+ +/${deep}$`, 'm'));
    expect(piped).toContain(`/${deep}, /${deep}.copy, /${deep}.again`);
    // A terminal or COLUMNS of 120 still cuts them to fit, as before.
    const at120 = renderAnalyzeText(long, { color: false, width: 120 }).split('\n');
    expect(at120.filter((l) => l.length > 120 && !l.startsWith('  '))).toEqual([]);
  });

  it('puts a long image path whole on a line of its own in the header, its tag note and platform whole under it', () => {
    const reference = '/var/tmp/ballast-corpus-0123456789abcdef0123456789/images/slim.docker.tar';
    const long: AnalyzeResult = {
      ...result,
      image: { ...result.image, reference, tag: 'localhost/corpus/slim:latest', platform: 'linux/amd64' },
    };
    const header = (width?: number) => renderAnalyzeText(long, { color: false, width }).split('\n').slice(0, 3);
    // Cut in its middle, the path could not be copied, and the note lost its tag.
    expect(header(80).slice(0, 2)).toEqual([reference, '(localhost/corpus/slim:latest)  linux/amd64']);
    expect(header(80)[2]).toMatch(/^Layers /);
    // The note, wider than the line itself, is cut at its end; the platform goes under it
    const tagged = { ...long, image: { ...long.image, tag: `localhost/${'x'.repeat(40)}:latest` } };
    const at40 = renderAnalyzeText(tagged, { color: false, width: 40 }).split('\n');
    expect(at40.slice(0, 3)).toEqual([reference, `(localhost/${'x'.repeat(27)}…)`, 'linux/amd64']);
    // Room enough, or no width given (a pipe): the whole name and its note on one line, as before
    expect(header(200)[0]).toBe(`${reference} (localhost/corpus/slim:latest)  linux/amd64`);
    expect(header()[0]).toBe(`${reference} (localhost/corpus/slim:latest)  linux/amd64`);
  });

  it('wraps the notice that the history does not line up with the Dockerfile to the width, whole without one', () => {
    const dockerfile = 'scripts/corpus/dockerfiles/slim.Dockerfile';
    const unmatched: AnalyzeResult = {
      ...result,
      attribution: { dockerfile, matched: false, from: null },
      packages: {
        ...result.packages,
        unsupported: [`var/lib/rpm/Packages (BerkeleyDB, ${'not read '.repeat(8).trim()})`],
        warnings: [`var/lib/dpkg/status: ${'a stanza without a Package field '.repeat(3).trim()}`],
      },
    };
    const notice = `The image history does not line up with ${dockerfile}; layers are not attributed to lines.`;
    const lines = renderAnalyzeText(unmatched, { color: false, width: 80 }).split('\n');
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    const start = lines.findIndex((l) => l.startsWith('The image history'));
    const end = lines.indexOf('', start);
    expect(end - start).toBeGreaterThan(1);
    expect(lines.slice(start, end).join(' ').replace(/\s+/g, ' ')).toBe(notice);
    for (const l of lines.slice(start + 1, end)) expect(l).toMatch(/^ {2}\S/);
    const piped = renderAnalyzeText(unmatched, { color: false }).split('\n');
    expect(piped).toContain(notice);
    expect(piped).toContain(`warning: ${unmatched.packages.warnings[0]}`);
    expect(piped).toContain(`package database not read: ${unmatched.packages.unsupported[0]}`);
  });

  it('wraps findings to the width, under the finding, keeping the whole message', () => {
    const message = `${'word '.repeat(40)}then do this.`;
    const long: AnalyzeResult = { ...result, findings: [{ ...result.findings[0], message }] };
    for (const color of [false, true]) {
      const text = renderAnalyzeText(long, { color, width: 80 });
      // eslint-disable-next-line no-control-regex -- matching ANSI codes is the point
      const plain = text.replace(/\u001b\[[0-9;]*m/g, '');
      const start = plain.split('\n').findIndex((l) => l.includes(result.findings[0].code) && l.includes('word'));
      const lines = plain.split('\n').slice(start);
      const end = lines.findIndex((l) => l.endsWith('this.'));
      expect(end).toBeGreaterThan(0);
      expect(
        lines
          .slice(0, end + 1)
          .join(' ')
          .replace(/\s+/g, ' '),
      ).toContain(message.trim());
      for (const l of lines.slice(0, end + 1)) expect(l.length).toBeLessThanOrEqual(80);
      for (const l of lines.slice(1, end + 1)) expect(l).toMatch(/^ {4}\S/);
      expect(lines[0]).toMatch(new RegExp(`^  ${result.findings[0].severity} ${result.findings[0].code} `));
    }
  });

  it('fits every line in 70 columns: long paths cut in their middle, the summary wrapped beside its labels', () => {
    const deep = `usr/lib/python3/dist-packages/${'very-long-package-name/'.repeat(4)}module_with_a_long_name.py`;
    const long: AnalyzeResult = {
      ...result,
      topFiles: result.topFiles.map((f, i) => (i === 0 ? { ...f, path: deep } : f)),
      topDirectories: result.topDirectories.map((d, i) => (i === 0 ? { ...d, path: deep } : d)),
      wastedFiles: result.wastedFiles.map((w, i) => (i === 0 ? { ...w, path: deep } : w)),
      layers: result.layers.map((l) => ({ ...l, historyInstruction: 'RUN true' })),
    };
    const lines = renderAnalyzeText(long, { color: false, width: 70 }).split('\n');
    expect(lines.filter((l) => l.length > 70)).toEqual([]);
    const cut = lines.filter((l) => l.includes('…') && l.endsWith('_long_name.py'));
    expect(cut).toHaveLength(3);
    // The summary's long value goes on under itself, its size and unit together
    const files = lines.findIndex((l) => l.startsWith('Files '));
    expect(lines[files + 1]).toMatch(/^ {14}\S/);
    // (the header above it takes two lines at this width: the image path, then its tag and platform)
    const summary = lines.findIndex((l) => l.startsWith('Layers '));
    expect(summary).toBe(2);
    for (const l of lines.slice(summary, lines.indexOf('Layers'))) expect(l).not.toMatch(/\d$/);
  });

  it('fits the wasted files at 60 columns with a Dockerfile: the path under its row, or the layers named as L2 to keep it beside', () => {
    const file = 'scripts/corpus/dockerfiles/bloated.Dockerfile';
    const attributed: AnalyzeResult = {
      ...result,
      layers: result.layers.map((l, i) => ({
        ...l,
        instruction: { file, line: 10 + i, endLine: 10 + i, keyword: 'RUN', text: `RUN step-${i}` },
      })),
    };
    const wasted = (width?: number) => {
      const lines = renderAnalyzeText(attributed, { color: false, width }).split('\n');
      const start = lines.indexOf('Biggest wasted files');
      return lines.slice(start + 1, lines.indexOf('', start));
    };
    const at60 = wasted(60);
    expect(at60.filter((l) => l.length > 60)).toEqual([]);
    // (the path, with less than READABLE_CELL beside the row, under it; the layers keep their lines, which fit)
    const row = at60.findIndex((l) => /^6\.41 kB +copied again, same content +L7 line 17 +L13 line 23$/.test(l));
    expect(at60[row + 1]).toBe('    /root/saved.txt');
    // Where the path fits beside the layers named as L2 and not beside their lines, they are named as L2
    expect(wasted(84)).toContainEqual(
      expect.stringMatching(/^6\.41 kB +copied again, same content +L7 +L13 +\/root\/saved\.txt$/),
    );
    expect(wasted(120)).toContainEqual(
      expect.stringMatching(/^6\.41 kB +copied again, same content +L7 line 17 +L13 line 23 +\/root\/saved\.txt$/),
    );
    expect(wasted()).toContainEqual(expect.stringMatching(/L7 line 17 +L13 line 23/));
  });

  it("markdown's summary has the wasted share and the base share, in the text's words", () => {
    // Given the text's summary: markdown left out the wasted percentage and the whole "Base share" line
    const text = renderAnalyzeText(result, { color: false, width: 200 });
    const value = (label: string) => text.match(new RegExp(`^${label} +(.+)$`, 'm'))![1];
    const md = renderAnalyzeMarkdown(result);
    expect(value('Base share')).toMatch(/ base, .* yours \(\d+\.\d%\)$/);
    expect(md).toContain(`| Base share | ${value('Base share')} |`);
    expect(md).toContain(`| Wasted | ${value('Wasted').replace(/^(\S+ \S+)/, '**$1**')} |`);
    // Between the files and the wasted bytes, as in the text
    const labels = md.split('\n').flatMap((l) => l.match(/^\| (\w[^|]*?) \|/)?.[1] ?? []);
    expect(labels.slice(0, 5)).toEqual(['Layers', 'Compressed / uncompressed', 'Final files', 'Base share', 'Wasted']);
  });

  it('text, markdown and HTML show the wasted share of your layers that ci checks, named by its budget', () => {
    // Given analyze's only share of all file bytes (2.6% here), a maxWastedPercent set from it failed at a share
    // no report showed.
    expect(ciWastedPercent).toBeCloseTo(0.4835, 4);
    const shown = `${(ciWastedPercent! * 100).toFixed(2)}% of your layers', ci maxWastedPercent`;
    expect(renderAnalyzeText(result, { color: false, width: 200 })).toMatch(new RegExp(`^Wasted .*${shown}`, 'm'));
    expect(renderAnalyzeMarkdown(result)).toMatch(new RegExp(`^\\| Wasted \\| .*${shown}`, 'm'));
    // HTML: below the wasted files, where it cannot move the map (a longer card label did).
    const percent = `${(ciWastedPercent! * 100).toFixed(2)}%`;
    expect(renderAnalyzeHtml(result)).toContain(
      `Of your layers' file bytes ${percent} are wasted, the share <code>ci</code>'s maxWastedPercent checks.`,
    );
  });

  it('leaves the share of your layers out when there are none, as ci skips maxWastedPercent', () => {
    const none: AnalyzeResult = {
      ...result,
      summary: {
        ...result.summary,
        user: { ...result.summary.user, layers: 0, fileBytes: 0, wastedBytes: 0, wastedPercent: null },
      },
    };
    expect(renderAnalyzeText(none, { color: false, width: 200 })).toMatch(
      /^Wasted +32\.0 kB \(2\.6% of all file bytes\): /m,
    );
    expect(renderAnalyzeMarkdown(none)).toContain('| Wasted | **32.0 kB** (2.6% of all file bytes): ');
    expect(renderAnalyzeHtml(none)).toContain('<span>wasted (2.6% of file bytes)</span>');
    expect(renderAnalyzeHtml(none)).not.toContain('maxWastedPercent');
  });

  it('says "No findings." when there are none, in text as in markdown and HTML', () => {
    const clean: AnalyzeResult = { ...result, findings: [] };
    for (const report of [
      renderAnalyzeText(clean, { color: false, width: 120 }),
      renderAnalyzeText(clean, { color: false }),
      renderAnalyzeMarkdown(clean),
      renderAnalyzeHtml(clean),
    ])
      expect(report).toContain('No findings.');
    expect(renderAnalyzeText(result, { color: false })).not.toContain('No findings.');
  });

  it('markdown says the base layer was assumed, as the text does', () => {
    expect(renderAnalyzeText(result, { color: false })).toMatch(/^Layers\s+14 \(1 base, assumed, 13 yours\)$/m);
    expect(renderAnalyzeMarkdown(result)).toContain('| Layers | 14 (1 base, assumed, 13 yours) |');
  });

  it('says how many findings the text leaves out, as the markdown does, and where to see them all', () => {
    const many: AnalyzeResult = { ...result, findings: Array.from({ length: 7 }, () => result.findings[0]) };
    const text = renderAnalyzeText(many, { color: false, width: 120, rows: 2 });
    expect(text).toMatch(/^Findings \(7, /m);
    expect(text.match(/^ {2}\w+ IM\d{3} /gm)).toHaveLength(2);
    expect(text).toMatch(/^ {2}…and 5 more \(--json lists all\)$/m);
    expect(renderAnalyzeMarkdown(many, { rows: 2 })).toContain('…and 5 more (`--json` lists all).');
    expect(renderAnalyzeText(many, { color: false, width: 120, rows: 7 })).not.toContain('more (--json');
  });

  // A PR comment scrolls: a RUN line cut at 120 characters hid its cleanup (`&& rm -rf /var/lib/apt/lists/*`), whose
  // `*` as plain text turned the rest of the cell into emphasis.
  it('markdown keeps a long instruction whole in a code span, and marks one past a comment-sized cut with an ellipsis', () => {
    const long = `RUN ${'echo step && '.repeat(12)}apt-get update && rm -rf /var/lib/apt/lists/*`;
    const huge = `RUN ${'echo step && '.repeat(60)}echo "the end" > /out`;
    const withLine: AnalyzeResult = {
      ...result,
      layers: result.layers.map((l, i) =>
        i === 1
          ? { ...l, instruction: { file: 'Dockerfile', line: 3, endLine: 3, keyword: 'RUN', text: long } }
          : { ...l, historyInstruction: i === 2 ? long : huge },
      ),
    };
    const rows = renderAnalyzeMarkdown(withLine)
      .split('\n')
      .filter((r) => /^\| \d+ \|/.test(r));
    expect(rows[1]).toContain(`\`Dockerfile:3\` \`${long}\` |`);
    expect(rows[2]).toContain(` | \`${long}\` |`);
    expect(rows[3]).toContain(` | \`${huge.slice(0, INSTRUCTION_CHARS - 1)}…\` |`);
    expect(rows[3]).not.toContain('the end');
    // A short instruction is whole: no ellipsis.
    expect(renderAnalyzeMarkdown(result)).not.toMatch(/…`?( \(base\))? \|$/m);
  });

  it('markdown says when the Dockerfile does not line up with the image, as the text does', () => {
    const other: AnalyzeResult = {
      ...result,
      attribution: { dockerfile: 'app/Dockerfile', matched: false, from: null },
    };
    const note = 'The image history does not line up with `app/Dockerfile`; layers are not attributed to lines.';
    expect(renderAnalyzeMarkdown(other)).toContain(`> ${note}`);
    expect(renderAnalyzeText(other, { color: false })).toContain(note.replace(/`/g, ''));
    expect(renderAnalyzeMarkdown(result)).not.toContain('does not line up');
  });

  // Regression: the text report said it on its last line, after the layer table and findings whose line numbers it
  // says not to trust.
  it('text says the Dockerfile does not line up right after the summary, before the layers', () => {
    const other: AnalyzeResult = {
      ...result,
      attribution: { dockerfile: 'app/Dockerfile', matched: false, from: null },
    };
    const lines = renderAnalyzeText(other, { color: false }).split('\n');
    const note = lines.findIndex((l) => l.includes('does not line up with app/Dockerfile'));
    expect(lines[note - 2]).toMatch(/^Efficiency /);
    expect(lines[note - 1]).toBe('');
    expect(lines[note + 1]).toBe('');
    expect(lines[note + 2]).toBe('Layers');
  });
});

describe('duplicates in the Markdown and HTML reports', () => {
  const group = (extraBytes: number, paths: string[], copies = paths.length) => ({
    sha256: 'a'.repeat(64),
    sizeBytes: extraBytes,
    copies,
    extraBytes,
    paths,
  });

  it('markdown lists the duplicate groups as the text does, file names that break tables escaped', () => {
    const hostile = ['app/a|b.txt', 'app/`tick`.txt', 'app/<img src=x>.txt'];
    const dup: AnalyzeResult = {
      ...result,
      summary: { ...result.summary, duplicateBytes: 3_000_123 },
      duplicates: {
        bytes: 3_000_123,
        groups: 40,
        top: [
          group(3_000_000, hostile, 3),
          group(123, ['x/1', 'x/2', 'x/3', 'x/4', 'x/5'], 12),
          group(100, ['y/new\nline |', 'y/b']),
        ],
      },
    };
    const md = renderAnalyzeMarkdown(dup);
    expect(md).toContain('| Duplicates | 3.00 MB in 40 groups of identical files |');
    const rows = md.split('\n').filter((r) => /^\| (3\.00 MB \| 3|123 B \| 12|100 B \| 2) \|/.test(r));
    expect(rows).toHaveLength(3);
    // Each row keeps its three cells: no pipe of a file name splits it, and no `<` of one reaches the page raw.
    for (const r of rows) expect(r.replace(/\\\|/g, '').split('|')).toHaveLength(5);
    expect(rows[0]).not.toMatch(/<(?!br>)/);
    expect(rows[0]).toContain('`/app/a\\|b.txt`');
    expect(rows[0]).toContain('``/app/`tick`.txt``');
    // The first three paths of a group, then how many more copies there are.
    expect(rows[1]).toContain('`/x/1`<br>`/x/2`<br>`/x/3`<br>…and 9 more |');
    expect(rows[2]).toContain('`/y/new line \\|`<br>`/y/b` |');
    expect(md).toContain('The 3 largest of 40 groups.');
  });

  it('markdown says nothing of duplicates but the total when there are none', () => {
    const none: AnalyzeResult = { ...result, duplicates: { bytes: 0, groups: 0, top: [] } };
    expect(renderAnalyzeMarkdown(none)).not.toContain('Duplicate files');
  });

  it("the HTML report's no-JavaScript note links to the duplicates as to the other tables", async () => {
    const withTree = await analyze({ image: 'test/fixtures/dive/test-docker-image.tar', workers: 0, sizeTree: true });
    const html = renderAnalyzeHtml(withTree);
    const note = html.slice(html.indexOf('id="no-script"'), html.indexOf('</noscript>'));
    expect(note).toContain('<a href="#duplicates">duplicate files</a>');
    expect(html).toContain('<h2 id="duplicates">');
  });
});

describe('which findings a report lists', () => {
  it('lists errors first, each severity largest first, as many as asked', () => {
    const f = (severity: string, bytes: number) => ({ severity, bytes });
    const all = [f('warning', 900), f('info', 800), f('warning', 700), f('error', 5), f('error', 3)];
    expect(findingsToShow(all, 3)).toEqual([f('error', 5), f('error', 3), f('warning', 900)]);
    expect(findingsToShow(all, 10)).toEqual([all[3], all[4], all[0], all[2], all[1]]);
    expect(findingsToShow([], 2)).toEqual([]);
  });

  // A finding as the table writes it: its severity, its bytes (none: a rule that does not size it) and a name.
  const f = (severity: string, bytes: number | undefined, id: string) => ({ severity, bytes, id });
  const errors = (count: number, bytes: number | undefined) =>
    Array.from({ length: count }, (_, i) => f('error', bytes, `e${i}`));
  const ids = (...names: string[]) => names;
  const range = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

  test.each([
    {
      label: 'a flood of small errors leaves room for the biggest warning',
      findings: [...errors(30, 106), f('warning', 262e6, 'big')],
      n: 20,
      shown: [...range('e', 19), 'big'],
    },
    {
      label: 'a quarter of the rows go to the biggest not otherwise shown',
      findings: [...errors(10, 10), f('warning', 500, 'w500'), f('info', 400, 'i400'), f('warning', 300, 'w300')],
      n: 8,
      shown: [...range('e', 6), 'w500', 'i400'],
    },
    {
      label: 'at least one row, when n is under 4',
      findings: [
        f('error', 1, 'e1'),
        f('error', 2, 'e2'),
        f('error', 3, 'e3'),
        f('warning', 1000, 'w'),
        f('info', 5000, 'i'),
      ],
      n: 2,
      shown: ids('e3', 'i'),
    },
    {
      label: 'the biggest already shown: the severity-first pick as it was',
      findings: [f('error', 900, 'e900'), f('error', 1, 'a'), f('error', 1, 'b'), f('warning', 2, 'w2')],
      n: 2,
      shown: ids('e900', 'a'),
    },
    {
      label: 'equal bytes: the more severe is the biggest, then the order given',
      findings: [...errors(6, 1), f('info', 100, 'i100'), f('warning', 100, 'w100')],
      n: 4,
      shown: ids('e0', 'e1', 'e2', 'w100'),
    },
    {
      label: 'findings without bytes take no reserved row, and come last in their severity',
      findings: [f('error', undefined, 'x'), ...errors(6, undefined), f('info', 50, 'i50'), f('warning', 0, 'w0')],
      n: 4,
      shown: ids('x', 'e0', 'e1', 'i50'),
    },
    {
      label: 'nothing cut: all of them, severity first, the biggest first within it',
      findings: [
        f('warning', 1, 'w1'),
        f('error', 2, 'e2'),
        f('warning', 5, 'w5'),
        f('info', 9, 'i9'),
        f('error', undefined, 'e?'),
        f('error', 7, 'e7'),
      ],
      n: 6,
      shown: ids('e7', 'e2', 'e?', 'w5', 'w1', 'i9'),
    },
    {
      label: 'n over the count: all of them',
      findings: [f('warning', 5, 'a'), f('warning', 5, 'b'), f('error', 5, 'c')],
      n: 10,
      shown: ids('c', 'a', 'b'),
    },
    { label: 'none', findings: [], n: 3, shown: [] },
    { label: 'n of 0', findings: errors(2, 1), n: 0, shown: [] },
  ])('$label', ({ findings, n, shown }) => {
    expect(findingsToShow(findings, n).map((x) => x.id)).toEqual(shown);
  });

  it('lists the biggest waste past a flood of small errors in the text, markdown and HTML, and counts the rest', () => {
    // Given 40 small secrets (errors) and one 262 MB warning after them
    const warning = result.findings.find((x) => x.severity === 'warning') ?? result.findings[0];
    const flood: AnalyzeResult = {
      ...result,
      findings: [
        ...Array.from({ length: 40 }, (_, i) => ({
          ...warning,
          code: 'IM009',
          severity: 'error' as const,
          bytes: 106,
          message: `key ${i}`,
        })),
        { ...warning, code: 'IM007', severity: 'warning' as const, bytes: 262e6, message: 'the biggest waste' },
      ],
    };
    // Then each report lists it, after the errors, and says how many it left out
    const text = renderAnalyzeText(flood, { color: false, width: 120, rows: 10 });
    expect(text).toContain('the biggest waste');
    expect(text.indexOf('the biggest waste')).toBeGreaterThan(text.indexOf('key 0'));
    expect(text).toContain('…and 31 more (--json lists all)');
    const md = renderAnalyzeMarkdown(flood, { rows: 15 });
    expect(md).toContain('the biggest waste');
    expect(md).toContain('…and 26 more (`--json` lists all).');
    const html = renderAnalyzeHtml(flood, { rows: 10 });
    expect(html).toContain('the biggest waste');
    expect(html).toContain('…and 31 more (<code>--json</code> lists all).');
  });

  it('lists --top findings in the text, as many as the markdown and HTML list', () => {
    // Given more findings than the rows asked for
    const warning = result.findings.find((f) => f.severity === 'warning') ?? result.findings[0];
    const many: AnalyzeResult = {
      ...result,
      findings: Array.from({ length: 12 }, (_, i) => ({ ...warning, bytes: 1e6 - i, message: `finding ${i}` })),
    };
    // When each report is asked for 3 rows
    const text = renderAnalyzeText(many, { color: false, width: 200, rows: 3 });
    const md = renderAnalyzeMarkdown(many, { rows: 3 });
    // Then each lists the same 3, once, and counts the other 9
    const listed = (report: string) => [...report.matchAll(/finding (\d+)/g)].map((m) => m[1]);
    expect(listed(text)).toEqual(['0', '1', '2']);
    expect(listed(md)).toEqual(listed(text));
    expect(text).toContain('…and 9 more (--json lists all)');
  });

  it('shows a small error the text, markdown and HTML would have left under "…and N more"', () => {
    // Given 25 warnings bigger than one error (a 106-byte key), more than the reports list
    const warning = result.findings.find((f) => f.severity === 'warning') ?? result.findings[0];
    const many: AnalyzeResult = {
      ...result,
      findings: [
        ...Array.from({ length: 25 }, (_, i) => ({ ...warning, severity: 'warning' as const, bytes: 1e6 - i })),
        { ...warning, code: 'IM009', severity: 'error' as const, bytes: 106, message: 'a key shipped' },
      ],
    };
    // Then each lists it, first
    const text = renderAnalyzeText(many, { color: false, width: 120 });
    expect(text.indexOf('error IM009')).toBeGreaterThan(0);
    expect(text.indexOf('error IM009')).toBeLessThan(text.indexOf(`warning ${warning.code}`));
    expect(renderAnalyzeMarkdown(many)).toContain('a key shipped');
    expect(renderAnalyzeHtml(many, { rows: 10 })).toContain('a key shipped');
  });
});
