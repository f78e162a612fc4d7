// `ballast lint --image`: the bytes each fix is expected to save, read off an image built from that Dockerfile (the
// corpus's bloated image, built by buildah from scripts/corpus/dockerfiles/bloated.Dockerfile).
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimateFix } from '../../src/lint/estimate.js';
import type { Finding } from '../../src/report/types.js';
import { analyze } from '../../src/services/analyze.js';
import { lint } from '../../src/services/lint.js';
import { runCli } from '../helpers/cli.js';
import { corpusDir, corpusDockerfiles, describeWithCorpus } from '../helpers/corpus.js';
import { buildOciLayout, layer } from '../helpers/image-builder.js';

const dockerfile = join(corpusDockerfiles, 'bloated.Dockerfile');
const image = join(corpusDir, 'bloated.oci');
const fixable = (findings: Finding[], code: string, line: number) =>
  findings.find((f) => f.code === code && f.fix && f.location.kind === 'dockerfile' && f.location.line === line);

describeWithCorpus('lint --image: estimated bytes per fix', () => {
  it('reads each fix’s saving off the layer of its instruction', async () => {
    const result = await lint({
      files: [dockerfile],
      cwd: corpusDockerfiles,
      image,
      shellcheck: false,
      unsafeFixes: true,
    });
    const findings = result.report.targets[0]!.findings;
    // DF015 at line 26 (`rm -rf /opt/toolchain`): the Dockerfile writes 64 MiB plus a 14-byte VERSION file at line 14.
    // It offers no fix there (`python3 tools/gen_model.py` runs in between and might read the toolchain), so its
    // estimate is asked for directly, as if it had one.
    const df015 = findings.find(
      (f) => f.code === 'DF015' && f.location.kind === 'dockerfile' && f.location.line === 26,
    );
    expect(df015?.fix).toBeUndefined();
    const everything = await analyze({ image, dockerfile, top: Number.MAX_SAFE_INTEGER });
    expect(estimateFix({ ...df015!, fix: { applicability: 'unsafe', title: 'move', edits: [] } }, everything)).toEqual({
      bytes: 64 * 1024 * 1024 + 'toolchain 1.0\n'.length,
      basis: '2 file(s) of earlier layers deleted by this layer',
    });
    // DF001 at line 11: its fix adds `apt-get clean && rm -rf /var/lib/apt/lists/*`, so the lists and the apt caches
    // analyze measured in that RUN's layer (IM001, IM002) are what it saves.
    const analyzed = await analyze({ image, dockerfile });
    const inLayer = (code: string, line: number) =>
      analyzed.findings
        .filter((f) => f.code === code && f.location.kind === 'image' && f.location.line === line)
        .reduce((n, f) => n + (f.bytes ?? 0), 0);
    const apt = inLayer('IM001', 11) + inLayer('IM002', 11);
    expect(apt).toBeGreaterThan(100_000_000);
    expect(fixable(findings, 'DF001', 11)?.fix?.estimate?.bytes).toBe(apt);
    // DF025 at line 19 (`COPY .` with no .dockerignore): the .git and .env the COPY layer holds, and the Python
    // bytecode it wrote that the `chown -R` layer (line 36) copied again (its .dockerignore has **/__pycache__, *.pyc)
    const all = await analyze({ image, dockerfile, top: Number.MAX_SAFE_INTEGER });
    const copyLayer = all.layers.find((l) => l.instruction?.line === 19)!.index;
    const bytecode = all.wastedFiles
      .filter((w) => w.layer === copyLayer && /\/__pycache__\/|\.pyc$/.test(w.path))
      .reduce((n, w) => n + w.sizeBytes, 0);
    expect(bytecode).toBeGreaterThan(0);
    expect(fixable(findings, 'DF025', 19)?.fix?.estimate?.bytes).toBe(
      inLayer('IM006', 19) + inLayer('IM009', 19) + bytecode,
    );
    // Joining the RUN at line 29 onto the one at line 26 (`rm -rf /opt/toolchain`): that layer only deletes, so line
    // 29's layer hides none of its bytes, and the join saves none.
    expect(fixable(findings, 'DF016', 29)?.fix?.edits[0]?.range.line).toBe(26);
    expect(fixable(findings, 'DF016', 29)?.fix?.estimate).toEqual({
      bytes: 0,
      basis: "0 file(s) of the first RUN's layer deleted or rewritten by the second",
    });
    // Dropping recommends: the image cannot show what it saves, and the estimate says so.
    expect(fixable(findings, 'DF002', 11)?.fix?.estimate).toEqual({
      bytes: null,
      basis: 'unknown: the image shows no measure of what this fix removes',
    });
  }, 120_000);

  it('a .dockerignore fix per entry counts only what its own entry keeps out of the COPY (no double count)', async () => {
    // bloated's Dockerfile with a .dockerignore that has neither .git nor node_modules: DF026 offers one fix for each.
    const dir = mkdtempSync(join(tmpdir(), 'ballast-fix-estimate-'));
    copyFileSync(dockerfile, join(dir, 'Dockerfile'));
    writeFileSync(join(dir, '.dockerignore'), '.env*\n');
    writeFileSync(join(dir, 'package.json'), '{}\n');
    const result = await lint({ files: ['Dockerfile'], cwd: dir, image, shellcheck: false, unsafeFixes: true });
    const findings = result.report.targets[0]!.findings.filter((f) => f.code === 'DF026');
    const analyzed = await analyze({ image, dockerfile, top: Number.MAX_SAFE_INTEGER });
    const at19 = (code: string, path: RegExp) =>
      analyzed.findings
        .filter((f) => f.code === code && f.location.kind === 'image' && f.location.line === 19)
        .filter((f) => path.test(f.location.kind === 'image' ? (f.location.path ?? '') : ''))
        .reduce((n, f) => n + (f.bytes ?? 0), 0);
    const git = at19('IM006', /\/\.git$/);
    expect(git).toBeGreaterThan(0);
    // bloated's node_modules is deleted by a later RUN (line 41): the image does not ship it, the COPY layer holds it.
    expect(at19('IM008', /node_modules/)).toBe(0);
    const copyLayer = analyzed.layers.find((l) => l.instruction?.line === 19)!.index;
    const modules = analyzed.wastedFiles
      .filter((w) => w.layer === copyLayer && w.path.startsWith('app/node_modules/'))
      .reduce((n, w) => n + w.sizeBytes, 0);
    expect(modules).toBeGreaterThan(0);
    expect(findings.map((f) => [f.fix!.title, f.fix!.estimate!.bytes])).toEqual([
      ['Add .git to .dockerignore', git],
      ['Add node_modules to .dockerignore', modules],
    ]);
  }, 120_000);

  it('shows the estimate next to each fixable finding in the text report and --fix-dry-run; none without --image', async () => {
    const args = ['lint', 'bloated.Dockerfile', '--no-shellcheck', '--fail-on', 'none', '--unsafe-fixes'];
    const dry = await runCli([...args, '--fix-dry-run', '--image', image], {
      cwd: corpusDockerfiles,
      timeoutMs: 120_000,
    });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^\+RUN apt-get update/m);
    expect(dry.stdout).toMatch(/^ {2}19:1 .*\[fix saves ~[\d.]+ MB\] +DF025/m);
    expect(dry.stdout).toMatch(/^ {2}11:1 .*\[fix saves unknown\] +DF002/m);
    const plain = await runCli(args, { cwd: corpusDockerfiles });
    expect(plain.stdout).not.toMatch(/fix saves/);
  }, 150_000);
});

// conda's and Composer's caches have no one directory IM002 names (two Composer caches in a layer are named by the home
// above both): their fixes are measured by the cache class IM002 names, pacman's by its directory.
describe('lint --image: the conda, pacman and Composer cache fixes', () => {
  it('save the cache IM002 measured in the layer of their RUN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-fix-estimate-'));
    const run = (script: string) => `RUN /bin/sh -c ${script} # buildkit`;
    writeFileSync(
      join(dir, 'Dockerfile'),
      [
        'FROM archlinux:base-20241201.0.285667',
        'RUN pacman -Syu --noconfirm php composer',
        'RUN composer global require phpstan/phpstan:1.12',
        'ENV CONDA_DIR=/opt/conda',
        'RUN conda install -y numpy=2.1',
      ].join('\n'),
    );
    const built = await buildOciLayout(
      [
        layer({ 'etc/os-release': 10 }, 'ADD file:abc in / '),
        layer(
          { 'usr/bin/php': 100, 'var/cache/pacman/pkg/php-8.4.1-1-x86_64.pkg.tar.zst': 4000 },
          run('pacman -Syu --noconfirm php composer'),
        ),
        layer(
          {
            'root/.config/composer/vendor/autoload.php': 10,
            'root/.cache/composer/files/phpstan/phpstan/a.zip': 2000,
            'root/.composer/cache/repo/packages.json': 100,
          },
          run('composer global require phpstan/phpstan:1.12'),
        ),
        layer(
          { 'opt/conda/pkgs/numpy-2.1.0.conda': 5000, 'opt/conda/lib/np.so': 50 },
          run('conda install -y numpy=2.1'),
        ),
      ],
      { emptySteps: [{ before: 3, createdBy: 'ENV CONDA_DIR=/opt/conda' }] },
    );
    try {
      const result = await lint({ files: ['Dockerfile'], cwd: dir, image: built.path, shellcheck: false });
      const saves = (code: string) =>
        fixable(result.report.targets[0]!.findings, code, code === 'DF031' ? 2 : code === 'DF032' ? 3 : 5)?.fix
          ?.estimate;
      expect(saves('DF031')).toEqual({ bytes: 4000, basis: 'image findings IM002 at this line' });
      expect(saves('DF032')).toEqual({ bytes: 2100, basis: 'image findings IM002 at this line' });
      expect(saves('DF030')).toEqual({ bytes: 5000, basis: 'image findings IM002 at this line' });
    } finally {
      built.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// yum is dnf on EL 8 and later, and dnf is dnf5 on Fedora 41 and later: their fixes empty /var/cache/dnf and
// /var/cache/libdnf5 there, which IM002 measures.
describe('lint --image: the yum and dnf cache fixes where yum is dnf', () => {
  it('save the dnf cache IM002 measured in the layer of their RUN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-fix-estimate-'));
    const run = (script: string) => `RUN /bin/sh -c ${script} # buildkit`;
    const cases: [string, string, Record<string, number>][] = [
      ['ubi9/ubi:9.5', 'yum install -y httpd-2.4.62', { 'var/cache/dnf/ubi-9-baseos/repodata/primary.xml.gz': 3000 }],
      ['fedora:41', 'dnf install -y httpd-2.4.62', { 'var/cache/libdnf5/fedora/repodata/primary.xml.zst': 4000 }],
    ];
    try {
      for (const [base, script, cache] of cases) {
        writeFileSync(join(dir, 'Dockerfile'), [`FROM ${base}`, `RUN ${script}`].join('\n'));
        const built = await buildOciLayout([
          layer({ 'etc/os-release': 10 }, 'ADD file:abc in / '),
          layer({ 'usr/sbin/httpd': 100, ...cache }, run(script)),
        ]);
        try {
          const result = await lint({ files: ['Dockerfile'], cwd: dir, image: built.path, shellcheck: false });
          const code = script.startsWith('yum') ? 'DF009' : 'DF010';
          expect(fixable(result.report.targets[0]!.findings, code, 2)?.fix?.estimate).toEqual({
            bytes: Object.values(cache)[0],
            basis: 'image findings IM002 at this line',
          });
        } finally {
          built.cleanup();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('lint --image: the cpanm work directory fix', () => {
  it('saves the cpanm work directory IM002 measured in the layer of its RUN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-fix-estimate-'));
    const script = 'cpanm --notest Mojolicious@9.38';
    writeFileSync(join(dir, 'Dockerfile'), ['FROM perl:5.40-slim', `RUN ${script}`].join('\n'));
    const built = await buildOciLayout([
      layer({ 'etc/os-release': 10 }, 'ADD file:abc in / '),
      layer(
        {
          'usr/local/lib/perl5/site_perl/5.40.0/Mojolicious.pm': 100,
          'root/.cpanm/work/1733430000.7/Mojolicious-9.38.tar.gz': 3000,
          'root/.cpanm/work/1733430000.7/build.log': 50,
        },
        `RUN /bin/sh -c ${script} # buildkit`,
      ),
    ]);
    try {
      const result = await lint({ files: ['Dockerfile'], cwd: dir, image: built.path, shellcheck: false });
      expect(fixable(result.report.targets[0]!.findings, 'DF033', 2)?.fix?.estimate).toEqual({
        bytes: 3050,
        basis: 'image findings IM002 at this line',
      });
    } finally {
      built.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// DF034 appends `apt-get clean` on a base without docker-clean (a root filesystem added FROM scratch): the saving is /var/cache/apt in its RUN's layer (the
// .deb files and apt's package caches), as IM002 measures it there.
describe('lint --image: the apt cache fix where no docker-clean empties it', () => {
  it('saves /var/cache/apt as IM002 measured it in the layer of its RUN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-fix-estimate-'));
    const script = 'apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*';
    writeFileSync(join(dir, 'Dockerfile'), ['FROM scratch', 'ADD rootfs.tar.xz /', `RUN ${script}`].join('\n'));
    const built = await buildOciLayout([
      layer({ 'etc/os-release': 10 }, 'ADD file:abc in / '),
      layer(
        {
          'usr/bin/curl': 500,
          'var/cache/apt/archives/curl_7.88.1-10_amd64.deb': 3000,
          'var/cache/apt/pkgcache.bin': 2000,
          'var/cache/apt/srcpkgcache.bin': 1000,
        },
        `RUN /bin/sh -c ${script} # buildkit`,
      ),
    ]);
    try {
      const result = await lint({ files: ['Dockerfile'], cwd: dir, image: built.path, shellcheck: false });
      expect(fixable(result.report.targets[0]!.findings, 'DF034', 3)?.fix?.estimate).toEqual({
        bytes: 6000,
        basis: 'image findings IM002 at this line',
      });
    } finally {
      built.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// DF019 appends `rm -f` for the downloads its RUN leaves: the files at those paths in that RUN's layer are the saving,
// every one of them (a variable in the path matches its value there), and nothing else the layer holds.
describe('lint --image: the fix for downloads left behind', () => {
  it('saves the downloaded files the layer of their RUN holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-fix-estimate-'));
    const both =
      'curl -fsSL -o /tmp/a.tar.gz http://x/a.tar.gz && tar -xzf /tmp/a.tar.gz -C /opt && curl -fsSL -o /root/b.deb http://x/b.deb && dpkg -i /root/b.deb';
    const versioned = 'curl -fsSL -o /tmp/app-${V}.tar.gz http://x/app.tar.gz && tar -xzf /tmp/app-${V}.tar.gz -C /opt';
    writeFileSync(
      join(dir, 'Dockerfile'),
      ['FROM debian:12', `RUN ${both}`, 'ENV V=1.0', `RUN ${versioned}`].join('\n'),
    );
    const built = await buildOciLayout(
      [
        layer({ 'etc/os-release': 10 }, 'ADD file:abc in / '),
        layer(
          { 'tmp/a.tar.gz': 3000, 'root/b.deb': 2000, 'opt/a/bin': 500, 'usr/bin/b': 700 },
          `RUN /bin/sh -c ${both} # buildkit`,
        ),
        layer(
          { 'tmp/app-1.0.tar.gz': 4000, 'tmp/other.tar.gz': 60, 'opt/app/bin': 80 },
          `RUN /bin/sh -c ${versioned} # buildkit`,
        ),
      ],
      { emptySteps: [{ before: 2, createdBy: 'ENV V=1.0' }] },
    );
    try {
      const result = await lint({ files: ['Dockerfile'], cwd: dir, image: built.path, shellcheck: false });
      const findings = result.report.targets[0]!.findings;
      expect(fixable(findings, 'DF019', 2)?.fix?.estimate).toEqual({
        bytes: 5000,
        basis: "2 downloaded file(s) this RUN's layer holds",
      });
      expect(fixable(findings, 'DF019', 4)?.fix?.estimate).toEqual({
        bytes: 4000,
        basis: "1 downloaded file(s) this RUN's layer holds",
      });
    } finally {
      built.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('lint --image: a layer several instructions were committed as', () => {
  it('gives no estimate for a fix on one of them: the layer cannot tell which line left the bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-fix-estimate-'));
    const download = 'curl -fsSL -o /tmp/a.tar.gz http://x/a.tar.gz && tar -xzf /tmp/a.tar.gz -C /opt';
    writeFileSync(join(dir, 'Dockerfile'), ['FROM debian:12', 'RUN echo hi > /etc/hi', `RUN ${download}`].join('\n'));
    // As buildah without --layers commits it: the first RUN an empty step, its files in the layer of the last.
    const built = await buildOciLayout(
      [
        layer({ 'etc/os-release': 10 }, 'ADD file:abc in / '),
        layer({ 'etc/hi': 3, 'tmp/a.tar.gz': 3000, 'opt/a/bin': 500 }, `/bin/sh -c ${download}`),
      ],
      { emptySteps: [{ before: 1, createdBy: '/bin/sh -c echo hi > /etc/hi' }] },
    );
    try {
      const result = await lint({ files: ['Dockerfile'], cwd: dir, image: built.path, shellcheck: false });
      const findings = result.report.targets[0]!.findings;
      const analyzed = await analyze({ image: built.path, dockerfile: join(dir, 'Dockerfile') });
      expect(analyzed.layers[1]!.instruction).toMatchObject({ line: 2, endLine: 3, merged: 2 });
      // Not 0 B read off line 2's attribution: the archive is in the layer, from one of its lines.
      expect(fixable(findings, 'DF019', 3)?.fix?.estimate).toEqual({
        bytes: null,
        basis:
          'unknown: lines 2-3 were committed as one layer (layer 1), which does not tell which of them left these bytes',
      });
    } finally {
      built.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
