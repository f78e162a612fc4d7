// The prose of analyze's and ci's text reports (findings, "Fix first", failOn's findings) follows the rule their tables
// follow: laid out to a width the terminal or COLUMNS gave, and whole on its line without one. In a pipe (`| less`, a
// CI log) the tables kept each instruction whole while each finding broke at 120 columns mid-sentence.
import { runCli } from '../helpers/cli.js';

const DEMO = ['examples/demo/demo.tar', '--dockerfile', 'examples/demo/Dockerfile', '--workers', '0'];
const ENV = { GITHUB_ACTIONS: '', GITLAB_CI: '', CI: '' };

interface Finding {
  code: string;
  message: string;
}

/** The findings' messages from the JSON, as the text reports print them. */
async function messages(args: string[]): Promise<Finding[]> {
  const r = await runCli([...args, '--json'], { env: { ...ENV, COLUMNS: '' } });
  const json = JSON.parse(r.stdout) as { findings?: Finding[]; fixFirst?: Finding[] };
  return (json.findings ?? json.fixFirst)!;
}

const text = async (args: string[], columns: string) =>
  (await runCli(args, { env: { ...ENV, COLUMNS: columns } })).stdout;

describe.each([
  ['analyze', ['analyze', ...DEMO]],
  ['ci', ['ci', ...DEMO, '--fail-on', 'warning']],
])('%s text report, prose and tables by one rule', (_, args) => {
  let findings: Finding[];
  beforeAll(async () => {
    findings = await messages(args);
    expect(findings.length).toBeGreaterThan(1);
    // Long enough that a wrap at 120 columns would have broken it
    expect(findings.some((f) => f.message.length > 120)).toBe(true);
  });

  it('keeps each finding whole on its line in a pipe, as the tables keep their instructions', async () => {
    const lines = (await text(args, '')).split('\n');
    for (const f of findings)
      expect([f.code, lines.some((l) => l.includes(f.code) && l.endsWith(f.message))]).toEqual([f.code, true]);
  });

  it('wraps each finding between words to COLUMNS=80, every word kept', async () => {
    const out = await text(args, '80');
    const lines = out.split('\n');
    // Every line: a path wider than the room beside ci's other columns (`/var/cache/apt/archives/tool_1.0_amd64.deb`)
    // got a line of its own at column 55 and ran on to column 99; the messages go under their rows instead.
    expect(lines.filter((l) => [...l].length > 80)).toEqual([]);
    const words = out.replace(/\s+/g, ' ');
    for (const f of findings.slice(0, 3)) expect(words).toContain(f.message.replace(/\s+/g, ' '));
    expect(lines.filter((l) => findings.some((f) => l.endsWith(f.message)))).toEqual([]);
  });
});
