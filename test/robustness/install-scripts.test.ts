// No install script that downloads (issue 12). The lockfile's packages with install scripts are a reviewed list, so a
// new one fails here until someone has read its script; for each, what the script does on this checkout is checked
// with the script's own tool, the way `npm ci` runs it:
//  - zstd-napi (optional native zstd decoder): `prebuild-install -r napi || node-gyp rebuild`. prebuild-install would
//    first download a prebuilt binary from outside the npm registry; the checkout's .prebuild-installrc tells it to build
//    from source, and it must say so and exit non-zero (so `node-gyp rebuild` compiles the bundled sources).
//  - @parcel/watcher (a dev dependency of jest): its script compiles only when npm_config_build_from_source=true and
//    otherwise does nothing; it never fetches anything.
//  - esbuild (a dev dependency: the build bundles the compiled rules): its script checks the platform's binary, which
//    npm installs from the registry as an optional dependency (@esbuild/linux-x64 here); only when that package is
//    missing would it run npm or download the package itself. With it installed, the script fetches nothing.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.cwd();
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { hasInstallScript?: boolean }>;
};

describe('install scripts', () => {
  it('are only the reviewed ones', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([, meta]) => meta.hasInstallScript)
      .map(([path]) => path)
      .sort();
    expect(withScripts).toEqual(['node_modules/@parcel/watcher', 'node_modules/esbuild', 'node_modules/zstd-napi']);
  });

  it("esbuild's script finds the binary npm installed and fetches nothing", () => {
    // Run on a copy of the package (the script rewrites its bin/ in place), beside the installed platform packages.
    const dir = mkdtempSync(join(tmpdir(), 'ballast-esbuild-install-'));
    try {
      mkdirSync(join(dir, 'node_modules'));
      cpSync(join(root, 'node_modules/esbuild'), join(dir, 'node_modules/esbuild'), { recursive: true });
      symlinkSync(join(root, 'node_modules/@esbuild'), join(dir, 'node_modules/@esbuild'));
      const run = spawnSync(process.execPath, ['install.js'], {
        cwd: join(dir, 'node_modules/esbuild'),
        encoding: 'utf8',
        timeout: 30_000,
        // A fetch, through npm or directly, would go to a closed port and fail, and the script would say it tried.
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          HTTPS_PROXY: 'http://127.0.0.1:9',
          HTTP_PROXY: 'http://127.0.0.1:9',
          npm_config_registry: 'http://127.0.0.1:9/',
        },
      });
      expect([run.status, run.stderr]).toEqual([0, '']);
      expect(`${run.stdout}`).not.toMatch(/download|Trying/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("zstd-napi's prebuild-install builds from source instead of downloading", () => {
    const pkg = join(root, 'node_modules', 'zstd-napi');
    // An optional dependency, but `npm ci` (scripts/setup-tests.sh) installs it: its absence is a broken setup.
    expect(existsSync(pkg)).toBe(true);
    const run = spawnSync(
      process.execPath,
      [join(root, 'node_modules/prebuild-install/bin.js'), '-r', 'napi', '--verbose'],
      {
        cwd: pkg,
        encoding: 'utf8',
        timeout: 30_000,
        // npm's own variables off, as far as they could change prebuild-install's mind.
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      },
    );
    const output = `${run.stdout}${run.stderr}`;
    expect(output).toContain('--build-from-source specified, not attempting download');
    expect(output).not.toMatch(/http request|https?:\/\//);
    expect(run.status).not.toBe(0); // so `|| node-gyp rebuild` runs
  });

  it("@parcel/watcher's script does nothing unless asked to build from source", () => {
    const script = readFileSync(join(root, 'node_modules/@parcel/watcher/scripts/build-from-source.js'), 'utf8');
    expect(script).not.toMatch(/https?:|fetch\(|require\(['"]https?['"]\)/);
    const run = spawnSync(process.execPath, ['scripts/build-from-source.js'], {
      cwd: join(root, 'node_modules/@parcel/watcher'),
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    expect([run.status, run.stdout, run.stderr]).toEqual([0, '', '']);
  });
});
