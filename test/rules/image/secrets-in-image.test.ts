import { rule } from '../../../rules/image/secrets-in-image.js';
import { file, hardlink, layer, symlink } from '../../helpers/image-builder.js';
import { findingsFor, runImageRuleTests } from './tester.js';

// An image where dpkg installed libfoo, whose file list names `listed` (image paths, no leading `/`).
const dpkg = (listed: string[]): Record<string, string> => ({
  'var/lib/dpkg/status': 'Package: libfoo\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1\n',
  'var/lib/dpkg/info/libfoo:amd64.list': ['/.', ...listed.map((p) => `/${p}`)].join('\n') + '\n',
});

// `n` files of `bytes` each under `dir`, one `.env` per service: more than the ten largest a junk class keeps in `top`.
const envFiles = (n: number, bytes = 10): Record<string, number> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`app/svc${String(i).padStart(3, '0')}/.env`, bytes + i]));

runImageRuleTests(rule, {
  valid: [
    {
      name: 'CA certificates are not secrets',
      layers: [layer({ 'etc/ssl/certs/ca.pem': 100, 'usr/share/doc/x.key': 10 })],
    },
    {
      name: 'a test certificate a dpkg package installed',
      layers: [layer({ ...dpkg(['usr/lib/foo/test/keycert.pem']), 'usr/lib/foo/test/keycert.pem': 100 })],
    },
    {
      name: 'a key an apk package installed',
      layers: [layer({ 'lib/apk/db/installed': 'P:foo\nV:1\nF:usr/lib/foo\nR:key.pem\n', 'usr/lib/foo/key.pem': 100 })],
    },
    {
      name: 'a key a dpkg list names through a symlinked directory (merged /usr)',
      layers: [layer({ lib: symlink('usr/lib'), ...dpkg(['lib/foo/key.pem']), 'usr/lib/foo/key.pem': 100 })],
    },
  ],
  invalid: [
    {
      name: '.env copied with the app, reported at the COPY even after a chown copy',
      layers: [layer({ 'app/.env': file('TOKEN=1') }), layer({ 'app/.env': file('TOKEN=1', { uid: 5 }) })],
      errors: [{ messageId: 'secret', layerIndex: 0, path: '/app/.env', message: 'environment file' }],
    },
    // A packaged path whose copy is newer than the list naming it was written by the build (a real key over a
    // conffile's .pem), not by the package.
    {
      name: 'a key a later layer copied over a path a dpkg list names',
      layers: [
        layer({ ...dpkg(['etc/foo/server.pem']), 'etc/foo/server.pem': 100 }),
        layer({ 'etc/foo/server.pem': file('-----BEGIN PRIVATE KEY-----') }),
      ],
      errors: [{ messageId: 'secret', layerIndex: 1, path: '/etc/foo/server.pem' }],
    },
    {
      name: 'a private key',
      layers: [layer({ 'root/.ssh/id_rsa': file('-----BEGIN KEY-----') })],
      errors: [{ messageId: 'secret', path: '/root/.ssh/id_rsa' }],
    },
    {
      name: 'a private key whose bytes sit under an innocent name, hard-linked as the key',
      layers: [layer({ 'srv/k': file('-----BEGIN KEY-----'), 'root/.ssh/id_rsa': hardlink('srv/k') })],
      errors: [{ messageId: 'secret', layerIndex: 0, path: '/root/.ssh/id_rsa', bytes: 19 }],
    },
    {
      name: '.env hard-linked from a data file in a later layer',
      layers: [layer({ 'data/x': file('TOKEN=1') }), layer({ 'app/.env': hardlink('data/x') })],
      errors: [{ messageId: 'secret', layerIndex: 0, path: '/app/.env', message: 'environment file' }],
    },
    {
      name: 'a key beside a package-installed certificate, named by no package list',
      layers: [
        layer({
          ...dpkg(['usr/lib/foo/test/keycert.pem']),
          'usr/lib/foo/test/keycert.pem': 100,
          'usr/lib/foo/test/mine.pem': 50,
        }),
      ],
      errors: [{ messageId: 'secret', path: '/usr/lib/foo/test/mine.pem', bytes: 50 }],
    },
    {
      name: "a key a package's maintainer script generated: the package's list does not name it",
      layers: [
        layer({
          ...dpkg(['etc/ssl/private']),
          'etc/ssl/private/ssl-cert-snakeoil.key': 100,
        }),
      ],
      errors: [{ messageId: 'secret', path: '/etc/ssl/private/ssl-cert-snakeoil.key' }],
    },
    {
      name: 'fifteen .env files: each is reported, not only the ten largest',
      layers: [layer(envFiles(15))],
      errors: Array.from({ length: 15 }, (_, i) => ({
        messageId: 'secret',
        layerIndex: 0,
        path: `/app/svc${String(14 - i).padStart(3, '0')}/.env`,
        bytes: 24 - i,
      })),
    },
  ],
});

describe('IM009 with very many secret files', () => {
  it('groups them per layer in one finding that names the count and every path', async () => {
    const findings = await findingsFor(rule, {
      name: 'many',
      layers: [layer({ 'root/.ssh/id_rsa': 5 }), layer(envFiles(60, 1))],
    });
    // The key stays a finding of its own; the sixty .env files become one finding of the layer that brought them.
    expect(findings.map((f) => f.messageId)).toEqual(['secrets', 'secret']);
    const [group, key] = findings;
    expect(group.severity).toBe('error');
    expect(group.bytes).toBe(Array.from({ length: 60 }, (_, i) => 1 + i).reduce((a, b) => a + b));
    // Its kind, with the layer, names it in CI fingerprints: the largest file changes as sizes do.
    expect(group.location).toMatchObject({ layerIndex: 1, path: '/app/svc059/.env', group: 'dotenvFiles' });
    expect(group.message).toMatch(/^60 environment files are in the image, brought in by layer 1/);
    for (let i = 0; i < 60; i++) expect(group.message).toContain(`/app/svc${String(i).padStart(3, '0')}/.env`);
    expect(key.location).toMatchObject({ layerIndex: 0, path: '/root/.ssh/id_rsa' });
    expect(key.location).not.toHaveProperty('group');
  });
});
