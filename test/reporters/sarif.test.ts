// Where SARIF results point (artifactLocation): a path inside the directory ballast ran in is a relative reference
// on %SRCROOT%, any other an absolute file: URI with no base, the log valid SARIF 2.1.0 either way (report hunt #6).
import { pathToFileURL } from 'node:url';
import type { Finding, Report } from '../../src/report/types.js';
import { renderSarif } from '../../src/reporters/sarif.js';
import { dockerfileFinding, imageFinding } from '../helpers/findings.js';
import { sarifValidator } from '../helpers/sarif.js';

const cwd = '/srv/repo';

function locationsOf(findings: { target: string; finding: Finding }[]): unknown[] {
  const report: Report = {
    tool: { name: 'ballast', version: '0.1.0' },
    targets: findings.map(({ target, finding }) => ({ target, findings: [finding], stats: {} })),
    counts: { error: 0, warning: 0, info: 0, style: 0, fixable: 0 },
    rules: {},
  };
  const sarif = JSON.parse(renderSarif(report, { color: false, cwd }));
  const validate = sarifValidator();
  expect(validate(sarif)).toBe(true);
  return (sarif.runs[0].results as { locations: { physicalLocation: { artifactLocation: unknown } }[] }[]).map(
    (r) => r.locations[0].physicalLocation.artifactLocation,
  );
}

describe('sarif artifactLocation', () => {
  it('is relative to %SRCROOT% for a path inside the working directory, given relative or absolute', () => {
    expect(
      locationsOf([
        { target: 'Dockerfile', finding: dockerfileFinding('Dockerfile') },
        { target: '/srv/repo/app/Dockerfile', finding: dockerfileFinding('/srv/repo/app/Dockerfile') },
        { target: 'build/app.oci', finding: imageFinding('build/app.oci') },
        { target: '/srv/repo/build/a b#1.oci', finding: imageFinding('/srv/repo/build/a b#1.oci') },
        // An image finding on a Dockerfile line is on the Dockerfile
        { target: '/tmp/app.oci', finding: imageFinding('/tmp/app.oci', 'Dockerfile') },
      ]),
    ).toEqual([
      { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' },
      { uri: 'app/Dockerfile', uriBaseId: '%SRCROOT%' },
      { uri: 'build/app.oci', uriBaseId: '%SRCROOT%' },
      { uri: 'build/a%20b%231.oci', uriBaseId: '%SRCROOT%' },
      { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' },
    ]);
  });

  it('is an absolute file: URI with no base for a path outside it (an absolute path on %SRCROOT% names no file)', () => {
    expect(
      locationsOf([
        // The target names the image with its tag; the result points at the file
        { target: '/tmp/images/app.tar:app:1.2', finding: imageFinding('/tmp/images/app.tar') },
        { target: '../other/Dockerfile', finding: dockerfileFinding('../other/Dockerfile') },
        { target: '/srv/repository/Dockerfile', finding: dockerfileFinding('/srv/repository/Dockerfile') },
      ]),
    ).toEqual([
      { uri: pathToFileURL('/tmp/images/app.tar').href },
      { uri: pathToFileURL('/srv/other/Dockerfile').href },
      { uri: pathToFileURL('/srv/repository/Dockerfile').href },
    ]);
  });
});
