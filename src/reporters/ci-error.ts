// The reports of a `ballast ci` run that could not run (exit 2): a bad image, config or baseline. They are written where
// the reports of a finished run would be, so a later step that uploads or posts them (upload-sarif, a PR comment) finds
// a file that says the gate did not run, and why, instead of failing on a missing one. Pure functions.
import { withHint } from './index.js';
import { JSON_SCHEMA_VERSION } from './json.js';
import { line, lineCode } from './markdown.js';
import { escapeXml } from './xml.js';

export interface CiFailure {
  /** The image as given on the command line. */
  image: string;
  message: string;
  hint?: string;
  code: string;
  version: string;
}

/**
 * Formats that can say "the gate did not run": github as an error annotation on the run, checkstyle as an error on the
 * image (as it files a file it cannot parse), stylish as an error line. Code Quality (codeclimate) has issues only, no
 * way to say a run failed: an issue would be tracked as a finding of the code (new in this merge request, "fixed" in
 * the next), and an empty array reads as "nothing found", so no file is written for it.
 */
export const ERROR_FORMATS = ['text', 'markdown', 'json', 'sarif', 'junit', 'github', 'checkstyle', 'stylish'] as const;
export type ErrorFormat = (typeof ERROR_FORMATS)[number];

export function renderCiError(format: ErrorFormat, f: CiFailure): string {
  if (format === 'text') return `ERROR ${f.image}: the gate could not run: ${withHint(f)}`;
  if (format === 'markdown')
    return [
      `### ballast ci: could not run for ${lineCode(f.image)}`,
      '',
      `**ERROR** — ${line(f.message)}`,
      '',
      ...(f.hint ? [`> hint: ${line(f.hint)}`, ''] : []),
      'No budget was checked.',
      '',
    ].join('\n');
  if (format === 'github')
    // Workflow command data escapes %, CR and LF.
    return `::error title=ballast ci::${`the gate could not run for ${f.image}: ${withHint(f)}`.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}`;
  if (format === 'checkstyle')
    return [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<checkstyle version="4.3">',
      `  <file name="${escapeXml(f.image)}">`,
      `    <error line="0" column="0" severity="error" message="${escapeXml(`the gate could not run: ${withHint(f)}`)}" source="ballast.${escapeXml(f.code)}"/>`,
      '  </file>',
      '</checkstyle>',
    ].join('\n');
  if (format === 'stylish')
    return [f.image, `  error  the gate could not run: ${withHint(f)}  ${f.code}`, '', '✖ the gate could not run'].join(
      '\n',
    );
  if (format === 'json')
    return JSON.stringify(
      {
        schemaVersion: JSON_SCHEMA_VERSION,
        verdict: 'error',
        exitCode: 2,
        image: { reference: f.image },
        error: { code: f.code, message: f.message, ...(f.hint ? { hint: f.hint } : {}) },
      },
      null,
      2,
    );
  if (format === 'sarif')
    return JSON.stringify(
      {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [
          {
            tool: {
              driver: {
                name: 'ballast',
                version: f.version,
                informationUri: 'https://github.com/ballast-dev/ballast',
                rules: [],
              },
            },
            // No results: code scanning must not read a run that did not happen as "no problems found".
            invocations: [
              {
                executionSuccessful: false,
                exitCode: 2,
                toolExecutionNotifications: [
                  { level: 'error', message: { text: withHint(f) }, descriptor: { id: f.code } },
                ],
              },
            ],
            results: [],
          },
        ],
      },
      null,
      2,
    );
  const text = escapeXml(withHint(f));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites name="ballast" tests="1" failures="0" errors="1">',
    '  <testsuite name="ballast ci" tests="1" failures="0" errors="1">',
    `    <testcase name="${escapeXml(`gate: ${f.image}`)}" classname="ballast.ci">`,
    `      <error type="${escapeXml(f.code)}" message="${escapeXml(f.message)}">${text}</error>`,
    '    </testcase>',
    '  </testsuite>',
    '</testsuites>',
  ].join('\n');
}
