// Config files that are not one UTF-8 YAML document of plain values: each named as what it is. Found by the
// hostile-input review, where they passed on the YAML library's advice to programmers, or were taken for something
// else ("(top level) must be a mapping", "ci.maxImageBytes.0 is not a known key").
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-config-text-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine:3.20\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lint = (config: string | Buffer) => {
  writeFileSync(join(dir, '.ballast.yaml'), config);
  return runCli(['lint', 'Dockerfile'], { cwd: dir });
};

/** [case, file bytes, what the one error line says] */
const refused: [string, string | Buffer, RegExp][] = [
  [
    'two YAML documents',
    'ci:\n  maxImageBytes: 1GB\n---\nci:\n  maxImageBytes: 2GB\n',
    /\.ballast\.yaml holds more than one YAML document \(the second starts at line 3, column 1\)/,
  ],
  [
    'UTF-16 text',
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ci:\n  maxImageBytes: 1GB\n', 'utf16le')]),
    /\.ballast\.yaml is not UTF-8 text \(it is UTF-16\)/,
  ],
  [
    'binary data',
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
    /is not UTF-8 text \(it holds binary data\)/,
  ],
  [
    // It was said to hold "binary data".
    'Latin-1 text',
    Buffer.from('ci:\n  maxWastedPercent: 10 # caf\xe9\n', 'latin1'),
    /\.ballast\.yaml is not UTF-8 \(an invalid byte on line 2\)/,
  ],
  [
    'Latin-1 text with several accents',
    Buffer.from('# r\xe9glages\nci:\n  maxWastedPercent: 10 # caf\xe9\n', 'latin1'),
    /\.ballast\.yaml is not UTF-8 \(2 invalid bytes, the first on line 1\)/,
  ],
  [
    'a !!binary value',
    'ci:\n  maxImageBytes: !!binary |\n    R0lGODlhDAAMAIQAAP//9/X1\n',
    /\.ballast\.yaml: the YAML tag !!binary on the value at line 2, column \d+ is not supported/,
  ],
  [
    'a language tag',
    'ci:\n  maxImageBytes: !!js/function "function(){return 1}"\n',
    /the YAML tag !!js\/function on the value at line 2, column \d+ is not supported/,
  ],
];

it.each(refused)('%s is one error line saying so, exit 2', async (_name, config, says) => {
  const run = await lint(config);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/^error: [^\n]+ \(hint: [^\n]+\)\n$/);
  expect(run.stderr).toMatch(says);
});

it('a UTF-8 byte order mark and core tags (!!str, !!int) are still read', async () => {
  const run = await lint('\ufefffailOn: !!str none\nci:\n  maxImageBytes: !!int 1000000000\n');
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
});
