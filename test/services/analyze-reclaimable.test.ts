// The findings total ("Findings (N, X reclaimable)", fix-verify, baseline) counts each wasted copy once, even when
// two findings name it.
import { analyze } from '../../src/services/analyze.js';
import { buildOciLayout, file, hardlink, layer } from '../helpers/image-builder.js';

describe('analyze: reclaimable bytes of the findings', () => {
  it('counts a copy that two findings name once (.git re-chowned with the app)', async () => {
    const built = await buildOciLayout([
      layer({ 'bin/sh': file('sh') }),
      layer({ 'app/.git/objects/pack': file('aaaa'), 'app/main.js': file('js') }),
      layer({ 'app/.git/objects/pack': file('aaaa', { uid: 1000 }), 'app/main.js': file('js', { uid: 1000 }) }),
    ]);
    try {
      const r = await analyze({ image: built.path, workers: 0 });
      const git = r.findings.find((f) => f.code === 'IM006')!;
      const chown = r.findings.find((f) => f.code === 'IM005')!;
      // IM006: the visible .git (4) and its hidden copy (4); IM005: the hidden copies of .git (4) and main.js (2).
      expect([git.bytes, chown.bytes]).toEqual([8, 6]);
      expect(r.summary.findingBytes).toBe(10);
    } finally {
      built.cleanup();
    }
  });

  it('counts a file that two final-filesystem findings cover once (a key inside .git, a key in ~/.cache)', async () => {
    // Given a .git holding a private key, and a cache under /root/.cache holding another
    const built = await buildOciLayout([
      layer({ 'bin/sh': file('sh') }),
      layer({
        'app/.git/objects/pack': file('aaaa'),
        'app/.git/id_rsa': file('kkkkkkkk'),
        'root/.cache/pip/wheel': file('ccc'),
        'root/.cache/tool/server.key': file('kk'),
      }),
    ]);
    try {
      // When the image is analyzed
      const r = await analyze({ image: built.path, workers: 0 });
      const bytes = (code: string) => r.findings.filter((f) => f.code === code).reduce((s, f) => s + (f.bytes ?? 0), 0);
      // Then each rule counts its own files: .git (4 + 8), the cache (3 + 2), the two keys (8 + 2)
      expect([bytes('IM006'), bytes('IM002'), bytes('IM009')]).toEqual([12, 5, 10]);
      // And the total counts each file once: 4 + 8 + 3 + 2
      expect(r.summary.findingBytes).toBe(17);
    } finally {
      built.cleanup();
    }
  });

  it('counts a hard-linked file once when two findings name it under different names (a key linked inside .git)', async () => {
    // Given a .git whose object is also hard-linked, inside the .git, under a key's name
    const built = await buildOciLayout([
      layer({ 'bin/sh': file('sh') }),
      layer({ 'app/.git/objects/k': file('kkkkkkkk'), 'app/.git/id_rsa': hardlink('app/.git/objects/k') }),
    ]);
    try {
      // When the image is analyzed
      const r = await analyze({ image: built.path, workers: 0 });
      // Then IM006 counts the file under the name holding it, IM009 under the key's name
      expect(r.findings.find((f) => f.code === 'IM006')).toMatchObject({ bytes: 8 });
      expect(r.findings.find((f) => f.code === 'IM009')).toMatchObject({
        bytes: 8,
        location: { path: '/app/.git/id_rsa' },
      });
      // And the total counts its bytes once
      expect(r.summary.findingBytes).toBe(8);
    } finally {
      built.cleanup();
    }
  });

  it('counts every secret file, not only the ten largest of a class, whether reported one by one or grouped', async () => {
    // Given 15 .env files (a finding each) and 60 key files (grouped into one finding of their layer)
    const envs = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`app/s${i}/.env`, 100 + i]));
    const keys = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`app/certs/k${i}.pem`, 1000 + i]));
    const built = await buildOciLayout([layer({ 'bin/sh': file('sh') }), layer({ ...envs, ...keys })]);
    try {
      // When the image is analyzed
      const r = await analyze({ image: built.path, workers: 0 });
      const secrets = r.findings.filter((f) => f.code === 'IM009');
      // Then all 75 files are in the findings and the total: 15 x 100 + 105, 60 x 1000 + 1770
      const all = 1605 + 61770;
      expect(secrets).toHaveLength(16);
      expect(secrets.every((f) => f.severity === 'error')).toBe(true);
      expect(secrets.reduce((s, f) => s + (f.bytes ?? 0), 0)).toBe(all);
      expect(r.summary.findingBytes).toBe(all);
    } finally {
      built.cleanup();
    }
  });
});
