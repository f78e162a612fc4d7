// `ballast bases` against a real docker-registry on loopback, on candidates that are not what their tag promises: a
// floating variant tag no longer rebuilt (an older patch release of the runtime than the user's), a tag pushed for
// another platform only, an index without the platform in use, and tags naming the current image itself.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOciLayout, layer, type LayerSpec } from '../helpers/image-builder.js';
import { runCli } from '../helpers/cli.js';
import { skopeoCopy, startRegistry, writeMultiPlatformLayout, type Registry } from '../helpers/registry.js';

const DEBIAN = (release: string) =>
  layer(
    { 'etc/debian_version': `${release}\n`, 'lib/libc.so.6': 40_000 },
    `# debian.sh --arch 'amd64' out/ '${release}' '@1706745600'`,
  );
const node = (version: string, size: number) =>
  layer({ 'usr/local/bin/node': size }, `RUN /bin/sh -c install node ${version}`);

type Candidate = { reference: string; older: unknown; caveats: { kind: string; message: string }[] };

describe('ballast bases (CLI): stale, foreign and duplicate candidates', () => {
  let registry: Registry;
  let work: string;
  let repo: string;

  async function push(
    tag: string,
    layers: LayerSpec[],
    config: Record<string, unknown>,
    options: { repository?: string; platform?: string; format?: 'v2s2' } = {},
  ): Promise<void> {
    const built = await buildOciLayout(layers, { config: { Cmd: ['node'], ...config }, platform: options.platform });
    await skopeoCopy(
      `oci:${built.path}:latest`,
      `docker://${registry.host}/${options.repository ?? 'lib/node'}:${tag}`,
      options.format ? { format: options.format } : {},
    );
    built.cleanup();
  }

  async function json(args: string[]): Promise<{ candidates: Candidate[]; skipped: { reference: string }[] }> {
    const { code, stdout, stderr } = await runCli([...args, '--json', '--no-cache']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    return JSON.parse(stdout);
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ballast-bases-versions-'));
    registry = await startRegistry();
    repo = `${registry.host}/lib/node`;
    // node:20-bookworm as rebuilt today, and node:20-buster as it was last built, on an older 20.x
    await push('20-bookworm', [DEBIAN('bookworm'), node('20.18.1', 60_000)], { Env: ['NODE_VERSION=20.18.1'] });
    await push('20-buster', [DEBIAN('buster'), node('20.10.0', 20_000)], { Env: ['NODE_VERSION=20.10.0'] });
    // A slim variant on the same release: bigger than buster, but not a downgrade
    await push('20-slim', [DEBIAN('bookworm'), node('20.18.1', 40_000)], { Env: ['NODE_VERSION=20.18.1'] });
    // A variant whose version is said by the OCI label only, newer than the one in use
    await push('20-bookworm-slim', [DEBIAN('bookworm'), node('20.19.0', 45_000)], {
      Labels: { 'org.opencontainers.image.version': '20.19.0' },
    });
    // A variant whose version nothing states: no word on it
    await push('20-unknown', [DEBIAN('bookworm'), node('?', 10_000)], {});
  }, 180_000);

  afterAll(async () => {
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('marks a variant on an older release of the runtime as older, in JSON, text and markdown, and ranks it after the rest', async () => {
    const result = await json(['bases', `docker://${repo}:20-bookworm`]);
    const refs = result.candidates.map((c) => c.reference);
    const byRef = Object.fromEntries(result.candidates.map((c) => [c.reference, c]));
    expect(byRef[`${repo}:20-buster`].older).toEqual({ version: '20.10.0', current: '20.18.1', from: 'NODE_VERSION' });
    expect(byRef[`${repo}:20-buster`].caveats).toContainEqual({
      kind: 'version',
      message: expect.stringMatching(/^older: 20\.10\.0 < 20\.18\.1 \(NODE_VERSION\): /),
    });
    // Same or newer, or unknown: not marked
    for (const tag of ['20-bookworm', '20-slim', '20-bookworm-slim', '20-unknown'])
      expect(byRef[`${repo}:${tag}`].older).toBeNull();
    expect(JSON.stringify(byRef[`${repo}:20-unknown`].caveats)).not.toMatch(/older/);
    // The smallest same-or-newer candidate comes first; the stale one, though smaller, after all of them
    expect(refs[0]).toBe(`${repo}:20-unknown`);
    expect(refs[refs.length - 1]).toBe(`${repo}:20-buster`);

    const text = await runCli(['bases', `docker://${repo}:20-bookworm`, '--no-cache']);
    expect(text.code).toBe(0);
    const row = text.stdout.split('\n').find((l) => l.includes(`${repo}:20-buster `));
    expect(row).toMatch(/^<\s/);
    // Smaller, but no saving is shown for a downgrade: the column says why it is not one
    const header = text.stdout.split('\n').find((l) => l.includes('vs current'))!;
    expect(row!.slice(header.indexOf('Compressed'), header.indexOf('Layers')).trim().split(/\s+/).slice(-1)).toEqual([
      'older',
    ]);
    expect(row).not.toMatch(/-\d[\d.]* (B|kB)/);
    expect(text.stdout).toContain('< older runtime than the current base');
    expect(text.stdout).toMatch(/! older: 20\.10\.0 < 20\.18\.1 \(NODE_VERSION\)/);

    const md = await runCli(['bases', `docker://${repo}:20-bookworm`, '--format', 'markdown', '--no-cache']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(new RegExp(`\\| \`${repo}:20-buster\` \\(older\\) \\| [^|]+ \\| older \\|`));
    // `<` escaped for the HTML a markdown renderer lets through; it shows as `<`
    expect(md.stdout).toMatch(/- older: 20\.10\.0 &lt; 20\.18\.1 \(NODE_VERSION\)/);
  });

  it('in the rebuild estimate too, shows no saving for a base on an older runtime', async () => {
    // The user's image, built on 20-bookworm: its base layers and one of its own
    const app = await buildOciLayout(
      [DEBIAN('bookworm'), node('20.18.1', 60_000), layer({ 'app/main.js': 5_000 }, 'COPY . /app')],
      { config: { Env: ['NODE_VERSION=20.18.1'] } },
    );
    try {
      const args = ['bases', app.path, '--base', `docker://${repo}:20-bookworm`, '--no-cache'];
      const result = await json(args.slice(0, -1));
      const buster = result.candidates.find((c) => c.reference === `${repo}:20-buster`) as Candidate & {
        estimate: { deltaBytes: number };
      };
      expect(buster.estimate.deltaBytes).toBeLessThan(0);
      expect(buster.older).not.toBeNull();
      for (const format of ['text', 'markdown']) {
        const out = await runCli([...args, '--format', format]);
        expect(out.code).toBe(0);
        // The Change cell, the fourth column of the table (after the marker column in text)
        const row = out.stdout.split('\n').find((l) => l.includes(`${repo}:20-buster`))!;
        const cells =
          format === 'text'
            ? row
                .trim()
                .split(/\s{2,}/)
                .slice(1)
            : row
                .split('|')
                .slice(1)
                .map((c) => c.trim());
        expect(cells[3]).toBe('older');
        expect(row).not.toMatch(/-\d[\d.]* (B|kB) \(-[\d.]+%\)/);
      }
    } finally {
      app.cleanup();
    }
  });

  it('compares pre-release tags with their suffix: an earlier release candidate is older than the one in use', async () => {
    for (const [tag, size] of [
      ['3.13.0rc2', 60_000],
      ['3.13.0rc1-slim', 20_000],
    ] as const)
      await push(tag, [DEBIAN('bookworm'), node('?', size)], {}, { repository: 'lib/pre' });
    const pre = `${registry.host}/lib/pre`;
    const result = await json(['bases', `docker://${pre}:3.13.0rc2`]);
    const byRef = Object.fromEntries(result.candidates.map((c) => [c.reference, c]));
    expect(byRef[`${pre}:3.13.0rc1-slim`].older).toEqual({ version: '3.13.0rc1', current: '3.13.0rc2', from: 'tag' });
    expect(result.candidates.map((c) => c.reference)).toEqual([`${pre}:3.13.0rc2`, `${pre}:3.13.0rc1-slim`]);
  });

  it('never offers a release tag that holds a pre-release in place of a release, unless the current base is one', async () => {
    const py = `${registry.host}/lib/py`;
    await push(
      '3.13.0',
      [DEBIAN('bookworm'), node('3.13.0', 60_000)],
      { Env: ['PYTHON_VERSION=3.13.0'] },
      {
        repository: 'lib/py',
      },
    );
    // 3.14's line while 3.14 is still at its release candidate: smaller, and a newer version by its tag
    await push(
      '3.14-slim',
      [DEBIAN('bookworm'), node('3.14.0rc1', 20_000)],
      { Env: ['PYTHON_VERSION=3.14.0rc1'] },
      {
        repository: 'lib/py',
      },
    );
    const result = await json(['bases', `docker://${py}:3.13.0`]);
    expect(result.candidates.map((c) => c.reference)).toEqual([`${py}:3.13.0`]);
    expect(result.skipped).toContainEqual({
      reference: `${py}:3.14-slim`,
      reason: expect.stringMatching(/runs 3\.14\.0rc1 \(PYTHON_VERSION\), a pre-release/),
    });
    // On a pre-release already, another pre-release is a candidate like any other
    await push(
      '3.14.0rc1',
      [DEBIAN('bookworm'), node('3.14.0rc1', 60_000)],
      { Env: ['PYTHON_VERSION=3.14.0rc1'] },
      {
        repository: 'lib/py',
      },
    );
    const onRc = await json(['bases', `docker://${py}:3.14.0rc1`]);
    expect(onRc.candidates.map((c) => c.reference)).toContain(`${py}:3.14-slim`);
  });

  it('reads a family candidate as a pre-release when only its version label says so (PYTHON_VERSION=3.13, label 3.13.0rc1)', async () => {
    // The config's PYTHON_VERSION names the line only; the label says it is still at rc1. The label was read only
    // when no *_VERSION variable was set, so the image was offered as a release in place of one.
    const cpy = `${registry.host}/lib/cpy`;
    const fam = `${registry.host}/fam/cpy`;
    await push(
      '3.13',
      [DEBIAN('bookworm'), node('3.13.1', 60_000)],
      { Env: ['PYTHON_VERSION=3.13'] },
      { repository: 'lib/cpy' },
    );
    await push(
      '3.13',
      [DEBIAN('bookworm'), node('3.13.0rc1', 20_000)],
      { Env: ['PYTHON_VERSION=3.13'], Labels: { 'org.opencontainers.image.version': '3.13.0rc1' } },
      { repository: 'fam/cpy' },
    );
    const config = join(work, 'cpy.yaml');
    await writeFile(
      config,
      `bases:\n  builtinFamilies: false\n  families:\n    - repositories: [${cpy}]\n      candidates:\n        - { family: slim, image: "${fam}:{major}.{minor}" }\n`,
    );
    const result = await json(['bases', `docker://${cpy}:3.13`, '--config', config]);
    expect(result.candidates.map((c) => c.reference)).toEqual([`${cpy}:3.13`]);
    expect(result.skipped).toContainEqual({
      reference: `${fam}:3.13`,
      reason: `runs 3.13.0rc1 (org.opencontainers.image.version), a pre-release, and ${cpy}:3.13 is a release; --any-version offers it`,
    });
    const any = await json(['bases', `docker://${cpy}:3.13`, '--config', config, '--any-version']);
    expect(any.candidates.map((c) => c.reference)).toContain(`${fam}:3.13`);
    // A current base that its label alone says is a pre-release takes pre-releases in too.
    const onRc = `${registry.host}/lib/cpyrc`;
    await push(
      '3.13',
      [DEBIAN('bookworm'), node('3.13.0rc2', 60_000)],
      { Env: ['PYTHON_VERSION=3.13'], Labels: { 'org.opencontainers.image.version': '3.13.0rc2' } },
      { repository: 'lib/cpyrc' },
    );
    await writeFile(config, (await readFile(config, 'utf8')).replace(`[${cpy}]`, `[${cpy}, ${onRc}]`));
    const rc = await json(['bases', `docker://${onRc}:3.13`, '--config', config]);
    expect(rc.candidates.map((c) => c.reference)).toContain(`${fam}:3.13`);
  });

  it('with no version in the configs, compares full versions in the tags, and says nothing of a tag without one', async () => {
    for (const [tag, release, size] of [
      ['20.18.1-bookworm', 'bookworm', 60_000],
      ['20.10.0-buster', 'buster', 20_000],
      ['20-bullseye', 'bullseye', 25_000],
    ] as const)
      await push(tag, [DEBIAN(release), node('?', size)], {}, { repository: 'lib/tagged' });
    const tagged = `${registry.host}/lib/tagged`;
    const result = await json(['bases', `docker://${tagged}:20.18.1-bookworm`, '--any-version']);
    const byRef = Object.fromEntries(result.candidates.map((c) => [c.reference, c]));
    expect(byRef[`${tagged}:20.10.0-buster`].older).toEqual({ version: '20.10.0', current: '20.18.1', from: 'tag' });
    expect(byRef[`${tagged}:20-bullseye`].older).toBeNull();
    expect(result.candidates.map((c) => c.reference)).toEqual([
      `${tagged}:20-bullseye`,
      `${tagged}:20.18.1-bookworm`,
      `${tagged}:20.10.0-buster`,
    ]);
  });

  it('reads the other tags a row matched: those of the same image are its aliases, another image is never said to be it', async () => {
    // Given debian:12, the same manifest under latest, and 11: another image (another release) of the same variant
    const deb = `${registry.host}/lib/deb`;
    const twelve = await buildOciLayout([DEBIAN('bookworm')], { config: { Cmd: ['bash'] } });
    await skopeoCopy(`oci:${twelve.path}:latest`, `docker://${deb}:12`);
    await skopeoCopy(`oci:${twelve.path}:latest`, `docker://${deb}:latest`);
    twelve.cleanup();
    await push('11', [DEBIAN('bullseye')], {}, { repository: 'lib/deb' });
    // When ballast bases is asked about 12 with every version offered
    const result = await json(['bases', `docker://${deb}:12`, '--any-version']);
    // Then latest is named as the same image, and 11 only as another tag of the variant
    const [row] = result.candidates as (Candidate & { aliases: string[]; alsoMatching: string[] })[];
    expect(row).toMatchObject({ reference: `${deb}:12`, aliases: [`${deb}:latest`], alsoMatching: ['11'] });
    const text = await runCli(['bases', `docker://${deb}:12`, '--any-version', '--no-cache']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /\n {4}same image as .*lib\/deb:latest\n {4}other tags of this variant, other images: 11\n/,
    );
    expect(text.stdout).not.toMatch(/also matching/);
    // And at COLUMNS=80, narrower than the table, each candidate is a block of lines that fit
    const narrow = await runCli(['bases', `docker://${deb}:12`, '--any-version', '--no-cache'], {
      env: { COLUMNS: '80' },
    });
    expect(narrow.stdout).toMatch(new RegExp(`\\n\\*  ${deb}:12\\n {5}Compressed `));
    for (const line of narrow.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("says a row's other tag that is your own image is yours, not another image of that variant", async () => {
    // Given node:20 in use, the same image also tagged 20.18.1-bookworm, and 20-bookworm moved on to a rebuild: the
    // bookworm row is 20-bookworm, and 20.18.1-bookworm, another tag of its variant, is the image in use
    const own = `${registry.host}/lib/own`;
    const current = await buildOciLayout([DEBIAN('bookworm'), node('20.18.1', 60_000)], {
      config: { Env: ['NODE_VERSION=20.18.1'] },
    });
    await skopeoCopy(`oci:${current.path}:latest`, `docker://${own}:20`);
    await skopeoCopy(`oci:${current.path}:latest`, `docker://${own}:20.18.1-bookworm`);
    current.cleanup();
    await push(
      '20-bookworm',
      [DEBIAN('bookworm'), node('20.18.2', 50_000)],
      { Env: ['NODE_VERSION=20.18.2'] },
      {
        repository: 'lib/own',
      },
    );
    const result = await json(['bases', `docker://${own}:20`]);
    const rows = result.candidates as (Candidate & { aliases: string[]; alsoMatching: string[] })[];
    const byRef = Object.fromEntries(rows.map((c) => [c.reference, c]));
    // Then it is among the current row's names, and not listed under the bookworm row as another image
    expect(byRef[`${own}:20`].aliases).toEqual([`${own}:20.18.1-bookworm`]);
    expect(byRef[`${own}:20-bookworm`]).toMatchObject({ aliases: [], alsoMatching: [] });
    const text = await runCli(['bases', `docker://${own}:20`, '--no-cache']);
    expect(text.stdout).not.toMatch(/other images/);
  });

  it("reads at most 8 of a row's other tags, and says the rest were not read rather than what they hold", async () => {
    // Given one image under 11 plain tags of one variant
    const many = `${registry.host}/lib/many`;
    const built = await buildOciLayout([DEBIAN('bookworm')], { config: { Cmd: ['bash'] } });
    const tags = ['12', ...Array.from({ length: 10 }, (_, i) => `12.${i}`)];
    for (const tag of tags) await skopeoCopy(`oci:${built.path}:latest`, `docker://${many}:${tag}`);
    built.cleanup();
    // When ballast bases is asked about 12
    const result = await json(['bases', `docker://${many}:12`]);
    const [row] = result.candidates as (Candidate & {
      aliases: string[];
      alsoMatching: string[];
      alsoUnread: string[];
    })[];
    // Then 8 are read and found to be the same image, and the other 2 are left as not read
    expect(row.aliases).toHaveLength(8);
    expect(row.alsoMatching).toHaveLength(2);
    expect(row.alsoUnread).toEqual(row.alsoMatching);
    const text = await runCli(['bases', `docker://${many}:12`, '--no-cache']);
    expect(text.stdout).toMatch(/\n {4}other tags of this variant, not read: 12\.\d, 12\.\d\n/);
  });

  it('names an image under several variant tags by the one closest to the tag in use: its version first, then the shortest', async () => {
    // Given debian:12 in use, and one slim image tagged both bookworm-slim and 12-slim (first alphabetically: bookworm)
    const deb = `${registry.host}/lib/deb2`;
    await push('12', [DEBIAN('bookworm'), node('full', 60_000)], {}, { repository: 'lib/deb2' });
    const slim = await buildOciLayout([DEBIAN('bookworm')], { config: { Cmd: ['bash'] } });
    await skopeoCopy(`oci:${slim.path}:latest`, `docker://${deb}:bookworm-slim`);
    await skopeoCopy(`oci:${slim.path}:latest`, `docker://${deb}:12-slim`);
    slim.cleanup();
    // When ballast bases is asked about 12 with every version offered
    const result = await json(['bases', `docker://${deb}:12`, '--any-version']);
    // Then the slim row is named 12-slim, the tag of the version in use, and bookworm-slim is its alias
    const slimRow = result.candidates.find((c) => !c.reference.endsWith(':12')) as Candidate & { aliases: string[] };
    expect(slimRow).toMatchObject({ reference: `${deb}:12-slim`, aliases: [`${deb}:bookworm-slim`] });
  });

  it('leaves out a tag of another platform only and an index without this platform, saying why, and shows tags of the current image as its aliases, in whatever manifest format', async () => {
    const edge = `${registry.host}/lib/edge`;
    const current = await buildOciLayout([DEBIAN('bookworm'), node('20.18.1', 60_000)], {
      config: { Env: ['NODE_VERSION=20.18.1'] },
    });
    await skopeoCopy(`oci:${current.path}:latest`, `docker://${edge}:20-bookworm`);
    // The same manifest under a floating tag, and the same image pushed as a Docker v2 manifest (another digest)
    await skopeoCopy(`oci:${current.path}:latest`, `docker://${edge}:20`);
    await skopeoCopy(`oci:${current.path}:latest`, `docker://${edge}:20-bookworm-docker`, { format: 'v2s2' });
    current.cleanup();
    await push(
      '20-arm64',
      [DEBIAN('bookworm'), node('20.18.1', 5_000)],
      { Env: ['NODE_VERSION=20.18.1'] },
      { repository: 'lib/edge', platform: 'linux/arm64' },
    );
    const multi = join(work, 'multi');
    await writeMultiPlatformLayout(multi, ['linux/arm64', 'linux/s390x']);
    await skopeoCopy(`oci:${multi}:latest`, `docker://${edge}:20-multi`, { all: true });

    const result = await json(['bases', `docker://${edge}:20-bookworm`]);
    // One row: the current image, every other tag of it an alias, none offered as another base
    expect(result.candidates).toEqual([
      expect.objectContaining({
        reference: `${edge}:20-bookworm`,
        current: true,
        aliases: expect.arrayContaining([`${edge}:20`, `${edge}:20-bookworm-docker`]),
      }),
    ]);
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        {
          reference: `${edge}:20-arm64`,
          reason: expect.stringMatching(/is a single-platform linux\/arm64 image, not linux\/amd64$/),
        },
        { reference: `${edge}:20-multi`, reason: expect.stringMatching(/has no image for platform linux\/amd64$/) },
      ]),
    );
    const text = await runCli(['bases', `docker://${edge}:20-bookworm`, '--no-cache']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/same image as .*lib\/edge:20-bookworm-docker/);
    expect(text.stdout).toMatch(/Not compared\n.*20-(multi|arm64)[: ]/);
    // Each reason read in full, its image named once: the part that says why is not cut off at the edge
    expect(text.stdout).toContain(`\n  ${edge}:20-arm64 is a single-platform linux/arm64 image, not linux/amd64\n`);
    expect(text.stdout).toContain(`\n  ${edge}:20-multi has no image for platform linux/amd64\n`);
  });

  it('offers the variant tag that spells the version as the current tag does, over one that only parses the same', async () => {
    // Given a repository with 20 and 20-slim, and an odd 020-slim and v20-slim of other images beside them
    const pad = `${registry.host}/lib/pad`;
    await push('20', [DEBIAN('bookworm'), node('20.18.1', 60_000)], {}, { repository: 'lib/pad' });
    await push('20-slim', [DEBIAN('bookworm'), node('20.18.1', 30_000)], {}, { repository: 'lib/pad' });
    await push('020-slim', [DEBIAN('bookworm'), node('20.18.1', 20_000)], {}, { repository: 'lib/pad' });
    await push('v20-slim', [DEBIAN('bookworm'), node('20.18.1', 10_000)], {}, { repository: 'lib/pad' });
    // When ballast bases is asked about pad:20
    const result = await json(['bases', `docker://${pad}:20`]);
    // Then the slim variant is offered as 20-slim, the others only named as matching too
    expect(result.candidates.map((c) => c.reference).sort()).toEqual([`${pad}:20`, `${pad}:20-slim`]);
  });

  it('offers the newest rebuild of the tag in use beside it, and says what it is, in JSON, text and markdown', async () => {
    // Given a user on 3.12.1-debian-12-r0 while -r1 and -r2 are out (Bitnami's rebuilds), and a dated sibling
    const bit = `${registry.host}/lib/bit`;
    const opts = { repository: 'lib/bit' };
    const env = { Env: ['PYTHON_VERSION=3.12.1'] };
    await push('3.12.1-debian-12-r0', [DEBIAN('bookworm'), node('r0', 60_000)], env, opts);
    await push('3.12.1-debian-12-r1', [DEBIAN('bookworm'), node('r1', 61_000)], env, opts);
    await push('3.12.1-debian-12-r2', [DEBIAN('bookworm'), node('r2', 62_000)], env, opts);
    // When ballast bases is asked about it
    const result = await json(['bases', `docker://${bit}:3.12.1-debian-12-r0`]);
    // Then the newest rebuild is a candidate of its own, though bigger, marked as the rebuild of the tag in use
    const byRef = Object.fromEntries(result.candidates.map((c) => [c.reference, c]));
    expect(Object.keys(byRef).sort()).toEqual([`${bit}:3.12.1-debian-12-r0`, `${bit}:3.12.1-debian-12-r2`]);
    expect(byRef[`${bit}:3.12.1-debian-12-r2`]).toMatchObject({ rebuildOf: '3.12.1-debian-12-r0', alsoMatching: [] });
    expect(byRef[`${bit}:3.12.1-debian-12-r0`]).toMatchObject({
      rebuildOf: null,
      alsoMatching: ['3.12.1-debian-12-r1'],
    });
    expect(byRef[`${bit}:3.12.1-debian-12-r2`].caveats).toContainEqual({
      kind: 'note',
      message: expect.stringMatching(/^a newer rebuild of 3\.12\.1-debian-12-r0, the tag in use: /),
    });
    const text = await runCli(['bases', `docker://${bit}:3.12.1-debian-12-r0`, '--no-cache']);
    expect(text.stdout).toMatch(
      /lib\/bit:3\.12\.1-debian-12-r2\n {4}! a newer rebuild of 3\.12\.1-debian-12-r0, the tag in use/,
    );
    const md = await runCli(['bases', `docker://${bit}:3.12.1-debian-12-r0`, '--no-cache', '--format', 'markdown']);
    expect(md.stdout).toMatch(/- a newer rebuild of 3\.12\.1-debian-12-r0, the tag in use/);
    // And a user on the newest rebuild is offered no other
    const newest = await json(['bases', `docker://${bit}:3.12.1-debian-12-r2`]);
    expect(newest.candidates.map((c) => c.reference)).toEqual([`${bit}:3.12.1-debian-12-r2`]);
  });

  it('says the newer rebuild of a pinned tag stays pinned, and names the tag that follows every rebuild', async () => {
    // Given a user on a dated snapshot while a later one is out, and the undated tag that moves to each of them
    const deb = `${registry.host}/lib/deb`;
    const opts = { repository: 'lib/deb' };
    await push('bookworm-20240101', [DEBIAN('bookworm'), node('a', 50_000)], {}, opts);
    await push('bookworm-20240301', [DEBIAN('bookworm'), node('b', 51_000)], {}, opts);
    await push('bookworm', [DEBIAN('bookworm'), node('b', 51_000)], {}, opts);
    // When ballast bases is asked about it
    const result = await json(['bases', `docker://${deb}:bookworm-20240101`]);
    // Then the later snapshot is offered, pinned as the one in use, and the undated tag named as the moving one
    const row = result.candidates.find((c) => c.reference === `${deb}:bookworm-20240301`) as Candidate & {
      rolling: string | null;
      rollingImage: unknown;
      aliases: string[];
      digest: string;
    };
    expect(row).toMatchObject({ rebuildOf: 'bookworm-20240101', rolling: 'bookworm' });
    // And, the undated tag being that very snapshot today (one manifest), the row says so
    expect(row.rollingImage).toEqual({ reference: `${deb}:bookworm`, digest: row.digest, same: true });
    expect(row.aliases).toEqual([`${deb}:bookworm`]);
    expect(row.caveats).toContainEqual({
      kind: 'note',
      message:
        'a newer rebuild of bookworm-20240101, the tag in use: same release (bookworm), later package updates, ' +
        'pinned as the tag in use is (bookworm follows every rebuild and is this image today)',
    });
    const text = await runCli(['bases', `docker://${deb}:bookworm-20240101`, '--no-cache']);
    expect(text.stdout).toMatch(/lib\/deb:bookworm-20240301\n {4}same image as [^\n]*lib\/deb:bookworm\n/);
    expect(text.stdout.replace(/\s+/g, ' ')).toContain(
      'pinned as the tag in use is (bookworm follows every rebuild and is this image today)',
    );
  });

  it('says when the tag that follows every rebuild has moved past the newest pinned rebuild', async () => {
    // Given a user on -r0, -r1 out, and the bare tag already on a build not yet pinned
    const bit = `${registry.host}/lib/roll`;
    const opts = { repository: 'lib/roll' };
    await push('3.12.1-debian-12-r0', [DEBIAN('bookworm'), node('3.12.1', 50_000)], {}, opts);
    await push('3.12.1-debian-12-r1', [DEBIAN('bookworm'), node('3.12.1', 51_000)], {}, opts);
    await push('3.12.1-debian-12', [DEBIAN('bookworm'), node('3.12.1', 52_000)], {}, opts);
    // When ballast bases is asked about -r0
    const result = await json(['bases', `docker://${bit}:3.12.1-debian-12-r0`]);
    // Then the -r1 row names the bare tag as another image, not as its alias
    const row = result.candidates.find((c) => c.reference === `${bit}:3.12.1-debian-12-r1`) as Candidate & {
      rollingImage: { reference: string; digest: string; same: boolean };
      aliases: string[];
      digest: string;
    };
    expect(row.rollingImage).toEqual({
      reference: `${bit}:3.12.1-debian-12`,
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      same: false,
    });
    expect(row.rollingImage.digest).not.toBe(row.digest);
    expect(row.aliases).toEqual([]);
    expect(row.caveats).toContainEqual({
      kind: 'note',
      message:
        'a newer rebuild of 3.12.1-debian-12-r0, the tag in use: same version and variant, later package updates, ' +
        `pinned as the tag in use is (3.12.1-debian-12 follows every rebuild; today it names another image (${row.rollingImage.digest}))`,
    });
  });

  it('names a left-out image once when its tags hold one config under two manifest formats', async () => {
    // Given 3.13.0 in use, and 3.14-slim at a release candidate pushed again as Docker v2 under 3.14-minimal
    const fmt = `${registry.host}/lib/fmt`;
    await push(
      '3.13.0',
      [DEBIAN('bookworm'), node('3.13.0', 60_000)],
      { Env: ['PYTHON_VERSION=3.13.0'] },
      {
        repository: 'lib/fmt',
      },
    );
    const rc = [DEBIAN('bookworm'), node('3.14.0rc1', 20_000)];
    await push('3.14-slim', rc, { Env: ['PYTHON_VERSION=3.14.0rc1'] }, { repository: 'lib/fmt' });
    await push('3.14-minimal', rc, { Env: ['PYTHON_VERSION=3.14.0rc1'] }, { repository: 'lib/fmt', format: 'v2s2' });
    // When ballast bases is asked about 3.13.0
    const result = await json(['bases', `docker://${fmt}:3.13.0`]);
    // Then the pre-release image is left out once, the other tag named as the same image
    expect(result.skipped).toEqual([
      {
        reference: `${fmt}:3.14-minimal`,
        reason: expect.stringMatching(/runs 3\.14\.0rc1 \(PYTHON_VERSION\), a pre-release/),
        aliases: [`${fmt}:3.14-slim`],
      },
    ]);
  });

  it('says when the tag that follows every rebuild cannot be read, and why, rather than passing over it', async () => {
    // Given a user on -r0, -r1 out, and the bare tag listed but its manifest gone (a 404 when read)
    const gone = `${registry.host}/lib/gone`;
    const opts = { repository: 'lib/gone' };
    await push('3.12.1-debian-12-r0', [DEBIAN('bookworm'), node('3.12.1', 50_000)], {}, opts);
    await push('3.12.1-debian-12-r1', [DEBIAN('bookworm'), node('3.12.1', 51_000)], {}, opts);
    await push('3.12.1-debian-12', [DEBIAN('bookworm'), node('3.12.1', 51_000)], {}, opts);
    const tags = join(registry.dir, 'data/docker/registry/v2/repositories/lib/gone/_manifests/tags');
    await rm(join(tags, '3.12.1-debian-12', 'current'), { recursive: true });
    // When ballast bases is asked about -r0
    const result = await json(['bases', `docker://${gone}:3.12.1-debian-12-r0`]);
    // Then the -r1 row has no rolling image, says why in JSON, and its note says the tag could not be read
    const row = result.candidates.find((c) => c.reference === `${gone}:3.12.1-debian-12-r1`) as Candidate & {
      rolling: string | null;
      rollingImage: unknown;
      rollingError: string | null;
    };
    expect(row).toMatchObject({ rolling: '3.12.1-debian-12', rollingImage: null });
    expect(row.rollingError).toBe(`${registry.host} has no tag lib/gone:3.12.1-debian-12`);
    const note = row.caveats.find((c) => c.message.startsWith('a newer rebuild of'));
    expect(note?.message).toContain(
      `pinned as the tag in use is (3.12.1-debian-12 follows every rebuild; could not read 3.12.1-debian-12: ${row.rollingError})`,
    );
    const text = await runCli(['bases', `docker://${gone}:3.12.1-debian-12-r0`, '--no-cache']);
    expect(text.stdout.replace(/\s+/g, ' ')).toContain('could not read 3.12.1-debian-12:');
  });

  it('takes a rolling tag for the rebuild itself when one of the two is an index and the other its platform manifest', async () => {
    // An OCI layout whose `multi` names an index listing the image's one manifest, for its platform.
    const indexed = async (layers: LayerSpec[]) => {
      const built = await buildOciLayout(layers);
      const layout = JSON.parse(await readFile(join(built.path, 'index.json'), 'utf8')) as {
        manifests: { digest: string; size: number; mediaType: string }[];
      };
      const entry = layout.manifests[0]!;
      const blob = (digest: string) => join(built.path, 'blobs', 'sha256', digest.slice(7));
      const manifest = JSON.parse(await readFile(blob(entry.digest), 'utf8')) as { config: { digest: string } };
      const config = JSON.parse(await readFile(blob(manifest.config.digest), 'utf8')) as {
        os: string;
        architecture: string;
      };
      const index = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: [
            {
              mediaType: entry.mediaType,
              digest: entry.digest,
              size: entry.size,
              platform: { os: config.os, architecture: config.architecture },
            },
          ],
        }),
      );
      const digest = `sha256:${createHash('sha256').update(index).digest('hex')}`;
      await writeFile(blob(digest), index);
      layout.manifests.push({
        mediaType: 'application/vnd.oci.image.index.v1+json',
        digest,
        size: index.length,
        annotations: { 'org.opencontainers.image.ref.name': 'multi' },
      } as (typeof layout.manifests)[number]);
      await writeFile(join(built.path, 'index.json'), JSON.stringify(layout));
      return built;
    };
    for (const [repository, rebuildAs, rollingAs] of [
      ['lib/idx-rebuild', 'multi', 'latest'],
      ['lib/idx-rolling', 'latest', 'multi'],
    ] as const) {
      // Given a user on -r0, and -r1 pushed as one of an index and its platform manifest, the bare tag as the other
      const name = `${registry.host}/${repository}`;
      await push('3.12.1-debian-12-r0', [DEBIAN('bookworm'), node('3.12.1', 50_000)], {}, { repository });
      const r1 = await indexed([DEBIAN('bookworm'), node('3.12.1', 51_000)]);
      await skopeoCopy(`oci:${r1.path}:${rebuildAs}`, `docker://${name}:3.12.1-debian-12-r1`, { all: true });
      await skopeoCopy(`oci:${r1.path}:${rollingAs}`, `docker://${name}:3.12.1-debian-12`, { all: true });
      r1.cleanup();
      // When ballast bases is asked about -r0
      const result = await json(['bases', `docker://${name}:3.12.1-debian-12-r0`]);
      // Then the -r1 row says the bare tag is this image today, not another one
      const row = result.candidates.find((c) => c.reference === `${name}:3.12.1-debian-12-r1`) as Candidate & {
        rollingImage: { reference: string; digest: string; same: boolean };
        aliases: string[];
      };
      expect({ repository, same: row.rollingImage.same }).toEqual({ repository, same: true });
      expect(row.aliases).toEqual([`${name}:3.12.1-debian-12`]);
      expect(row.caveats).toContainEqual({
        kind: 'note',
        message: expect.stringContaining('(3.12.1-debian-12 follows every rebuild and is this image today)'),
      });
    }
  });
});
