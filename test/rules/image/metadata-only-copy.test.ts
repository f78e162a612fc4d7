import { rule } from '../../../rules/image/metadata-only-copy.js';
import { file, layer } from '../../helpers/image-builder.js';
import { runImageRuleTests } from './tester.js';

runImageRuleTests(rule, {
  valid: [
    { name: 'owner set at copy time', layers: [layer({ 'app/a': file('aaaa', { uid: 1000 }) })] },
    {
      // The package manager wrote it again, not a chmod or COPY: IM004 gives the advice that fits (install in one RUN).
      name: 'debconf rewriting its database with the same bytes in a second install step',
      layers: [
        layer({ base: 1 }),
        layer({ 'var/cache/debconf/config.dat': file('cfg') }),
        layer({ 'var/cache/debconf/config.dat': file('cfg') }),
      ],
    },
    {
      name: "apt's pkgcache.bin written again with the same bytes is cache (IM002)",
      layers: [
        layer({ base: 1 }),
        layer({ 'var/cache/apt/pkgcache.bin': file('pkgs') }),
        layer({ 'var/cache/apt/pkgcache.bin': file('pkgs') }),
      ],
    },
    {
      // The manifest-first pattern for layer caching: the second COPY brings the manifest again, on purpose.
      name: 'package.json copied alone before npm install, then again with the app',
      layers: [
        layer({ base: 1 }),
        layer({ 'app/package.json': file('{"name":"a"}') }, 'COPY app/package.json ./ # buildkit'),
        layer({ 'app/node_modules/x/index.js': file('x') }, 'RUN /bin/sh -c npm install # buildkit'),
        layer({ 'app/package.json': file('{"name":"a"}'), 'app/index.js': file('js') }, 'COPY app/ ./ # buildkit'),
      ],
    },
    {
      name: 'lock files of the classic builder, recorded with content hashes',
      layers: [
        layer({ base: 1 }),
        layer(
          { 'src/go.mod': file('module a'), 'src/go.sum': file('sum') },
          `/bin/sh -c #(nop) COPY multi:${'1'.repeat(64)} in ./ `,
        ),
        layer(
          { 'src/go.mod': file('module a'), 'src/go.sum': file('sum'), 'src/main.go': file('go') },
          `/bin/sh -c #(nop) COPY dir:${'2'.repeat(64)} in ./ `,
        ),
      ],
    },
  ],
  invalid: [
    {
      // It advised `COPY --chown`/`--chmod`, which changes nothing when owner and mode are the same.
      name: 'the same files copied twice with the same owner and mode',
      layers: [
        layer({ base: 1 }),
        layer({ 'app/model.bin': file('weights') }, 'COPY model.bin /app/ # buildkit'),
        layer({ 'app/model.bin': file('weights') }, 'COPY . /app/ # buildkit'),
      ],
      errors: [
        {
          messageId: 'rewritten',
          layerIndex: 1,
          path: '/app/model.bin',
          message: 'writes `/app/model.bin` (7 B) from layer 1 again with the same content, mode and owner',
        },
      ],
    },
    {
      // Only a COPY does it for caching: a RUN that touches the manifest rewrites it for nothing.
      name: 'a manifest rewritten by a RUN',
      layers: [
        layer({ base: 1 }),
        layer({ 'app/package.json': file('{}') }, 'COPY package.json ./ # buildkit'),
        layer(
          { 'app/package.json': file('{}', { mtime: new Date(2_000_000_000_000) }) },
          'RUN /bin/sh -c touch package.json # buildkit',
        ),
      ],
      errors: [{ messageId: 'rewritten', path: '/app/package.json' }],
    },
    {
      // A chown that also changed the time was told apart from a re-copy only when the owner alone changed.
      name: 'chown that changes the time too',
      layers: [
        layer({ base: 1 }),
        layer({ 'data/m': file('model') }),
        layer({ 'data/m': file('model', { uid: 1000, mtime: new Date(2_000_000_000_000) }) }),
      ],
      errors: [{ messageId: 'copied', path: '/data/m', message: 'change the owner' }],
    },
    {
      name: 'chown -R copies every file',
      layers: [
        layer({ base: 1 }),
        layer({ 'app/a': file('aaaa'), 'app/b/c': file('cc') }),
        layer({ 'app/a': file('aaaa', { uid: 1000, gid: 1000 }), 'app/b/c': file('cc', { uid: 1000, gid: 1000 }) }),
      ],
      errors: [{ messageId: 'copied', layerIndex: 1, path: '/app', bytes: 6, message: 'change the owner' }],
    },
    {
      name: 'chmod of one file',
      layers: [
        layer({ base: 1 }),
        layer({ 'data/m': file('model') }),
        layer({ 'data/m': file('model', { mode: 0o640 }) }),
      ],
      errors: [{ messageId: 'copied', path: '/data/m', bytes: 5, message: 'change the mode' }],
    },
    {
      name: 'a count in the thousands is written as the reports write counts (chown -R of a checkout)',
      layers: [
        layer({ base: 1 }),
        layer(Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`app/f${i}`, file('x')]))),
        layer(Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`app/f${i}`, file('x', { uid: 1000 })]))),
      ],
      errors: [{ messageId: 'copied', layerIndex: 1, path: '/app', bytes: 1200, message: 'copies 1,200 files under' }],
    },
    {
      // Found by the hostile-input review: one path written 100,000 times in one layer read "layer 1 copies 99,999
      // files under /usr ... from layer 1 again".
      name: 'one path written several times in the same layer is one path overwritten there, not files copied',
      layers: [
        layer({ base: 1 }),
        layer([
          ['usr/same', file('xx')],
          ['usr/same', file('xx')],
          ['usr/same', file('xx')],
          ['usr/other', file('yyy')],
          ['usr/other', file('yyy')],
        ]),
      ],
      errors: [{ messageId: 'sameLayer', layerIndex: 1, path: '/usr', bytes: 7, message: '2 files under `/usr`' }],
    },
    {
      name: 'a single path rewritten in its own layer is named',
      layers: [
        layer({ base: 1 }),
        layer([
          ['usr/same', file('xx')],
          ['usr/same', file('xx')],
          ['usr/same', file('xx')],
        ]),
      ],
      errors: [
        {
          messageId: 'sameLayer',
          layerIndex: 1,
          path: '/usr/same',
          bytes: 4,
          message: 'writes `/usr/same` more than once',
        },
      ],
    },
  ],
});
