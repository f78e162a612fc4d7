// issue 4 "must show": on the corpus `bloated` image with its Dockerfile, every planted anomaly is reported
// against the right Dockerfile line with the right bytes. Exact-by-construction sizes (64 MiB toolchain, 32 MiB
// model) are literal; sizes that follow the Debian mirror come from reference.py's stats for the same artifact.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../src/report/types.js';
import { analyze, type AnalyzeResult } from '../../src/services/analyze.js';
import { corpusAvailable, corpusDir, corpusDockerfiles } from '../helpers/corpus.js';

// The Dockerfile the corpus image was built from.
const dockerfilePath = join(corpusDockerfiles, 'bloated.Dockerfile');
// Without the corpus every test below is reported skipped (and the run fails unless BALLAST_ALLOW_SKIP=1).
const maybe = corpusAvailable() ? describe : describe.skip;

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => !l.trimStart().startsWith('#') && l.includes(needle));
  if (i < 0) throw new Error(`no line with ${needle}`);
  return i + 1;
}

maybe.each(['bloated.oci', 'docker-engine/bloated.docker-classic.tar'])(
  'bloated with --dockerfile (%s)',
  (artifact) => {
    let r: AnalyzeResult;
    let ref: {
      layers: { wasted: Record<string, number> }[];
      junk_in_final_fs: Record<string, { bytes: number; files: number }>;
    };
    let text: string;
    const find = (code: string, line: number, pred: (f: Finding) => boolean = () => true) =>
      r.findings.filter((f) => f.code === code && f.location.kind === 'image' && f.location.line === line && pred(f));

    beforeAll(async () => {
      text = readFileSync(dockerfilePath, 'utf8');
      r = await analyze({ image: join(corpusDir, artifact), dockerfile: dockerfilePath });
      ref = JSON.parse(readFileSync(join(corpusDir, 'stats', `${artifact.replace('/', '__')}.json`), 'utf8')).images[0];
    }, 120_000);

    it('attributes every non-base layer to its line and the base to FROM', () => {
      expect(r.summary.base).toMatchObject({ layers: 1, source: 'dockerfile' });
      expect(r.layers[1].instruction?.line).toBe(lineOf(text, 'RUN apt-get update'));
      expect(r.layers[3].instruction?.line).toBe(lineOf(text, 'COPY . /app'));
      expect(r.layers[11].instruction?.line).toBe(lineOf(text, 'Welcome to corpus-bloated'));
    });

    it('reports the 64 MiB toolchain deleted in a later layer', () => {
      const [f] = find('IM003', lineOf(text, 'mkdir -p /opt/toolchain'));
      expect(f.bytes).toBe(67108878);
      expect(f.location).toMatchObject({ layerIndex: 2, path: '/opt/toolchain' });
      expect(f.message).toContain(`line ${lineOf(text, 'rm -rf /opt/toolchain')}`);
    });

    it('reports the overwritten model and the chmod copy of it', () => {
      expect(find('IM004', lineOf(text, '--seed 1'))[0].bytes).toBe(33554432);
      const [chmod] = find('IM005', lineOf(text, '--seed 2'));
      expect(chmod.bytes).toBe(33554432);
      expect(chmod.message).toContain('change the mode');
    });

    it('reports the chown -R copy of /app', () => {
      const copy = find('IM005', lineOf(text, 'COPY . /app'))[0];
      expect(copy.message).toContain('change the owner');
      expect(copy.message).toContain(`line ${lineOf(text, 'RUN useradd')}`);
      // L3's whole checkout is copied again: its same-content waste is exactly this finding.
      expect(copy.bytes).toBe(ref.layers[3].wasted.overwritten_same_content);
      expect(find('IM005', lineOf(text, 'chmod 0640'))[0].bytes).toBe(33554432);
    });

    it('reports apt lists and the apt cache against the apt-get line', () => {
      const line = lineOf(text, 'RUN apt-get update');
      expect(find('IM001', line)[0].bytes).toBe(ref.junk_in_final_fs.apt_lists.bytes);
      expect(find('IM002', line, (f) => f.message.includes('/var/cache/apt'))[0].bytes).toBe(
        ref.junk_in_final_fs.apt_cache.bytes,
      );
    });

    it('reports .git against the COPY line, counting both copies', () => {
      const [git] = find('IM006', lineOf(text, 'COPY . /app'));
      expect(git.bytes).toBe(2 * ref.junk_in_final_fs.git_dirs.bytes);
    });

    it('reports node_modules deleted after the chown copy', () => {
      const [nm] = find(
        'IM003',
        lineOf(text, 'RUN useradd'),
        (f) => (f.location as { path?: string }).path === '/app/node_modules',
      );
      const [tests] = find(
        'IM003',
        lineOf(text, 'RUN useradd'),
        (f) => (f.location as { path?: string }).path === '/app/tests',
      );
      expect(nm.message).toContain(`line ${lineOf(text, 'rm -rf /app/node_modules')}`);
      expect(nm.bytes! + tests.bytes!).toBe(ref.layers[8].wasted.deleted);
    });

    it('sorts findings by reclaimable bytes', () => {
      const bytes = r.findings.map((f) => f.bytes ?? 0);
      expect(bytes).toEqual([...bytes].sort((a, b) => b - a));
    });
  },
);
