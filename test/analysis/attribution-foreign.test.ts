// A Dockerfile that is not the image's own, on a real image: multiarch (debian-base, then one RUN and a CMD) given
// slim's or bloated's Dockerfile. They share only the closing CMD by keyword, none of their RUN/COPY/ADD lines. That
// used to "line up": every layer was counted as base, and ci skipped the budgets on your layers with "no layers of
// yours" while its note said the Dockerfile was used (test/ci/dockerfile-mismatch.test.ts). It is now "does not line
// up", as with big.Dockerfile, whose RUNs differ from the image's.
import { join } from 'node:path';
import { analyze } from '../../src/services/analyze.js';
import { corpusDir, corpusDockerfiles, describeWithCorpus } from '../helpers/corpus.js';

const MULTIARCH = join(corpusDir, 'multiarch.oci');
const dockerfileOf = (name: string) => join(corpusDockerfiles, `${name}.Dockerfile`);

describeWithCorpus('a Dockerfile from another image, on multiarch.oci', () => {
  it.each([
    // name, matched, base layers and where they came from, your layers
    ['multiarch', true, 1, 'dockerfile', 1],
    ['slim', false, 1, 'first-layer', 1],
    ['bloated', false, 1, 'first-layer', 1],
    ['big', false, 1, 'first-layer', 1],
  ])(
    'analyze with %s.Dockerfile: matched %s, %s base (%s), %s yours',
    async (name, matched, base, source, yours) => {
      const r = await analyze({ image: MULTIARCH, dockerfile: dockerfileOf(name as string), workers: 0 });
      expect(r.attribution?.matched).toBe(matched);
      expect(r.summary.base).toMatchObject({ layers: base, source });
      expect(r.summary.user.layers).toBe(yours);
    },
    120_000,
  );
});
