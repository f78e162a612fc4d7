// Command lines moved over from container-diff and dive: a flag that means the same here works under its short name,
// and one that does not is told what ballast does instead, not only "Nonexistent flag".
import { runCli } from '../helpers/cli.js';
import { buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';

let a: BuiltImage;
let b: BuiltImage;

beforeAll(async () => {
  a = await buildOciLayout([layer({ 'etc/app.conf': 'one\n', 'usr/bin/app': 3000 }, 'COPY . /')]);
  b = await buildOciLayout([layer({ 'etc/app.conf': 'two\n', 'usr/bin/app': 5000 }, 'COPY . /')]);
});

describe("container-diff's short flags on diff", () => {
  it('-j is --json', async () => {
    const [short, long] = await Promise.all([
      runCli(['diff', a.path, b.path, '-j', '--no-cache']),
      runCli(['diff', a.path, b.path, '--json', '--no-cache']),
    ]);
    expect(short.stderr).toBe('');
    expect(short.code).toBe(0);
    expect(JSON.parse(short.stdout)).toEqual(JSON.parse(long.stdout));
  });

  it('-t is --type, repeatable', async () => {
    const [short, long] = await Promise.all([
      runCli(['diff', a.path, b.path, '-t', 'size', '-t', 'file', '-j']),
      runCli(['diff', a.path, b.path, '--type=size', '--type=file', '--json']),
    ]);
    expect(short.stderr).toBe('');
    expect(short.code).toBe(0);
    expect(Object.keys(JSON.parse(short.stdout))).toEqual(Object.keys(JSON.parse(long.stdout)));
    expect(JSON.parse(short.stdout).files).toEqual(JSON.parse(long.stdout).files);
    expect(JSON.parse(short.stdout).layers).toBeUndefined();
  });

  it('-j after -- is an argument, not --json', async () => {
    const r = await runCli(['diff', a.path, '--', '-j']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/-j/);
    expect(r.stdout).toBe('');
  });
});
