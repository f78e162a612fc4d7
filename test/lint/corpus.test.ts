// issue 5: the corpus Dockerfiles. bloated.Dockerfile gets the findings its comments plant; slim.Dockerfile gets none of
// the size rules. The files are the ones the corpus builder builds (scripts/corpus/dockerfiles).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lint } from '../../src/services/lint.js';
import { loadDockerfileRules } from '../../rules/index.js';
import { corpusDockerfiles as dir } from '../helpers/corpus.js';

async function lintCorpus(name: string) {
  // Given the corpus file in the build context the corpus builder gives it (scripts/corpus/app-context.sh): the demo
  // app's sources, with the node_modules its `npm ci` installs, and no .dockerignore
  const context = mkdtempSync(join(tmpdir(), 'ballast-corpus-'));
  cpSync(join(dir, '..', 'app'), context, { recursive: true });
  mkdirSync(join(context, 'node_modules'));
  writeFileSync(join(context, 'node_modules', '.package-lock.json'), '{}\n');
  writeFileSync(join(context, 'Dockerfile'), readFileSync(join(dir, `${name}.Dockerfile`)));
  // When it is linted through the service
  const result = await lint({ files: [join(context, 'Dockerfile')], cwd: context });
  return result.report.targets[0].findings;
}

describe('corpus Dockerfiles', () => {
  it('finds every anomaly bloated.Dockerfile plants, on the line that plants it', async () => {
    const findings = await lintCorpus('bloated');
    const at = (code: string) =>
      findings.filter((f) => f.code === code).map((f) => (f.location.kind === 'dockerfile' ? f.location.line : 0));
    // L1: apt without --no-install-recommends and without cleanup
    expect(at('DF001')).toEqual([11]);
    expect(at('DF002')).toEqual([11]);
    // L3: COPY the whole checkout (.git, node_modules, .env) with no .dockerignore
    expect(at('DF025')).toEqual([19]);
    // L5, L9, L10: deleting in a later layer what an earlier one added
    expect(at('DF015')).toEqual([26, 41, 45]);
    // L8 chown -R of copied files. L7's chmod changes the model.bin that L6 generated (the context's data/ holds only
    // README.md): no COPY --chmod would avoid that copy; IM005 measures it in the built image.
    expect(at('DF014')).toEqual([36]);
    // short consecutive RUNs (L4..L9)
    expect(at('DF016').length).toBeGreaterThanOrEqual(4);
  });

  it('reports none of the size rules on slim.Dockerfile', async () => {
    const findings = await lintCorpus('slim');
    const rules = await loadDockerfileRules();
    const sizeCodes = new Set(rules.filter((r) => r.meta.type === 'size').map((r) => r.meta.code));
    expect(findings.filter((f) => sizeCodes.has(f.code)).map((f) => f.message)).toEqual([]);
    // The cache rules that concern layering stay quiet too; only pinning remarks remain.
    expect(findings.map((f) => f.code).filter((c) => ['DF013', 'DF016', 'DF003'].includes(c))).toEqual([]);
  });
});
