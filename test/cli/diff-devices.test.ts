// `ballast diff` on device nodes and FIFOs: a device is its type and its major/minor numbers (it holds no bytes), so
// a node whose numbers or type changed between the images is a changed entry, in every format and for --filename,
// and a layer served from the layer cache tells the same.
import { runCli } from '../helpers/cli.js';
import { buildOciLayout, DIR, layer, special, type BuiltImage } from '../helpers/image-builder.js';

const chr = (major: number, minor: number, mode = 0o666) => special('character-device', mode, { major, minor });
const blk = (major: number, minor: number) => special('block-device', 0o660, { major, minor });

describe('ballast diff with device nodes and FIFOs', () => {
  let a: BuiltImage;
  let b: BuiltImage;

  beforeAll(async () => {
    // By hand, B against A: dev/null 1,3 -> 1,5; dev/sda block -> char (same numbers); run/initctl FIFO -> char 0,0;
    // dev/tty the same; dev/console chmod only; dev/zero gone; dev/loop0 new.
    a = await buildOciLayout([
      layer({
        'dev/': DIR,
        'dev/null': chr(1, 3),
        'dev/sda': blk(8, 0),
        'dev/tty': chr(5, 0),
        'dev/console': chr(5, 1, 0o600),
        'dev/zero': chr(1, 5),
        'run/': DIR,
        'run/initctl': special('fifo', 0o600),
      }),
    ]);
    b = await buildOciLayout([
      layer({
        'dev/': DIR,
        'dev/null': chr(1, 5),
        'dev/sda': chr(8, 0),
        'dev/tty': chr(5, 0),
        'dev/console': chr(5, 1, 0o620),
        'dev/loop0': blk(7, 0),
        'run/': DIR,
        'run/initctl': chr(0, 0, 0o600),
      }),
    ]);
  });

  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
  });

  it('lists a device whose numbers or type changed as changed, with both sides, in text', async () => {
    const r = await runCli(['diff', a.path, b.path, '--only', 'files']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Files: 1 added (1 block device; 0 B), 1 removed (1 character device; 0 B), 3 changed (3 character devices; 0 B), 1 metadata only; net 0 B',
    );
    expect(r.stdout).toMatch(/^~\s+0 B\s+\/dev\/null 0 B -> 0 B \(char-device 1,3 -> 1,5\)$/m);
    expect(r.stdout).toMatch(/^~\s+0 B\s+\/dev\/sda 0 B -> 0 B \(block-device 8,0 -> char-device 8,0\)$/m);
    expect(r.stdout).toMatch(/^~\s+0 B\s+\/run\/initctl 0 B -> 0 B \(fifo -> char-device 0,0\)$/m);
    expect(r.stdout).toMatch(/^\+\s+0 B\s+\/dev\/loop0 \(block-device 7,0\)$/m);
    expect(r.stdout).toMatch(/^-\s+0 B\s+\/dev\/zero \(char-device 1,5\)$/m);
    expect(r.stdout).toMatch(/^m\s+0 B\s+\/dev\/console mode 0600 -> 0620$/m);
    expect(r.stdout).not.toContain('/dev/tty');
  });

  it('gives the kinds and numbers in --json and markdown, the same when the layers come from the layer cache', async () => {
    const first = JSON.parse((await runCli(['diff', a.path, b.path, '--only', 'files', '--json'])).stdout);
    expect(first.files.changed).toEqual([
      {
        path: 'dev/null',
        kind: 'char-device',
        device: { major: 1, minor: 5 },
        deviceBefore: { major: 1, minor: 3 },
        beforeBytes: 0,
        afterBytes: 0,
        deltaBytes: 0,
      },
      {
        path: 'dev/sda',
        kind: 'char-device',
        kindBefore: 'block-device',
        device: { major: 8, minor: 0 },
        deviceBefore: { major: 8, minor: 0 },
        beforeBytes: 0,
        afterBytes: 0,
        deltaBytes: 0,
      },
      {
        path: 'run/initctl',
        kind: 'char-device',
        kindBefore: 'fifo',
        device: { major: 0, minor: 0 },
        beforeBytes: 0,
        afterBytes: 0,
        deltaBytes: 0,
      },
    ]);
    expect(first.files.added).toEqual([
      { path: 'dev/loop0', kind: 'block-device', device: { major: 7, minor: 0 }, sizeBytes: 0 },
    ]);
    expect(first.files.removed).toEqual([
      { path: 'dev/zero', kind: 'char-device', device: { major: 1, minor: 5 }, sizeBytes: 0 },
    ]);
    // Read again, every layer is served by the layer cache this file's runs share: the numbers are kept there too.
    const again = JSON.parse((await runCli(['diff', a.path, b.path, '--only', 'files', '--json'])).stdout);
    expect(again.walk.layersRead).toEqual({ a: 0, b: 0 });
    expect(again.files).toEqual(first.files);

    const md = (await runCli(['diff', a.path, b.path, '--only', 'files', '--format', 'markdown'])).stdout;
    expect(md).toContain('| changed | 0 B | `/dev/null` | 0 B → 0 B (char-device 1,3 → 1,5) |');
    expect(md).toContain('| changed | 0 B | `/run/initctl` | 0 B → 0 B (fifo → char-device 0,0) |');
  });

  it('--filename: another device is changed, the same device identical', async () => {
    const r = await runCli([
      'diff',
      a.path,
      b.path,
      '--only',
      'size',
      '--filename',
      '/dev/null',
      '--filename',
      '/dev/tty',
    ]);
    expect(r.stdout).toContain(
      'File /dev/null: changed (device numbers differ)\n  A: char-device 1,3, layer 0\n  B: char-device 1,5, layer 0',
    );
    expect(r.stdout).toContain('File /dev/tty: identical');
    const json = JSON.parse(
      (await runCli(['diff', a.path, b.path, '--only', 'size', '--json', '--filename', '/run/initctl'])).stdout,
    );
    const [initctl] = json.files.contents;
    expect([initctl.status, initctl.note, initctl.a.kind, initctl.b.kind]).toEqual([
      'changed',
      'kind',
      'fifo',
      'char-device',
    ]);
    expect([initctl.a.device, initctl.b.device]).toEqual([null, { major: 0, minor: 0 }]);
  });
});
