// The one rule registry: code -> lazy import, so start-up runs only the rules it needs (and `ballast rules` only
// metadata; the build bundles them into one compiled module, scripts/bundle-rules.js). Dockerfile rules live in
// rules/dockerfile/, image rules in rules/image/; both register here, and only here, under their stable codes
// (scripts/check-rules.js checks every file in both folders against this registry).
// A retired or renamed code goes into `redirects`, never reused.
import type { DockerfileRule, ImageRule } from '../src/report/rule.js';
import type { RuleMeta } from '../src/report/types.js';

type Loader<T extends { meta: RuleMeta }> = () => Promise<T>;

export const dockerfileRules: Record<string, Loader<DockerfileRule>> = {
  DF001: async () => (await import('./dockerfile/apt-lists-not-removed.js')).rule,
  DF002: async () => (await import('./dockerfile/apt-install-recommends.js')).rule,
  DF003: async () => (await import('./dockerfile/apt-update-alone.js')).rule,
  DF004: async () => (await import('./dockerfile/apt-upgrade.js')).rule,
  DF005: async () => (await import('./dockerfile/apk-add-cache.js')).rule,
  DF006: async () => (await import('./dockerfile/pip-cache.js')).rule,
  DF007: async () => (await import('./dockerfile/yarn-cache-not-cleaned.js')).rule,
  DF008: async () => (await import('./dockerfile/node-package-cache-not-cleaned.js')).rule,
  DF009: async () => (await import('./dockerfile/yum-cache-not-cleaned.js')).rule,
  DF010: async () => (await import('./dockerfile/dnf-cache-not-cleaned.js')).rule,
  DF011: async () => (await import('./dockerfile/zypper-cache-not-cleaned.js')).rule,
  DF012: async () => (await import('./dockerfile/npm-install-in-final-image.js')).rule,
  DF013: async () => (await import('./dockerfile/broad-copy-before-install.js')).rule,
  DF014: async () => (await import('./dockerfile/chmod-after-copy.js')).rule,
  DF015: async () => (await import('./dockerfile/deleted-in-later-layer.js')).rule,
  DF016: async () => (await import('./dockerfile/consecutive-run.js')).rule,
  DF017: async () => (await import('./dockerfile/add-instead-of-copy.js')).rule,
  DF018: async () => (await import('./dockerfile/add-remote-url.js')).rule,
  DF019: async () => (await import('./dockerfile/installer-left-behind.js')).rule,
  DF020: async () => (await import('./dockerfile/wget-and-curl.js')).rule,
  DF021: async () => (await import('./dockerfile/build-tools-in-final-image.js')).rule,
  DF022: async () => (await import('./dockerfile/base-image-untagged.js')).rule,
  DF023: async () => (await import('./dockerfile/base-image-latest.js')).rule,
  DF024: async () => (await import('./dockerfile/large-base-image.js')).rule,
  DF025: async () => (await import('./dockerfile/missing-dockerignore.js')).rule,
  DF026: async () => (await import('./dockerfile/dockerignore-incomplete.js')).rule,
  DF027: async () => (await import('./dockerfile/credential-in-dockerfile.js')).rule,
  DF028: async () => (await import('./dockerfile/secret-file-copied.js')).rule,
  DF029: async () => (await import('./dockerfile/python-tool-cache.js')).rule,
  DF030: async () => (await import('./dockerfile/conda-cache-not-cleaned.js')).rule,
  DF031: async () => (await import('./dockerfile/pacman-cache-not-cleaned.js')).rule,
  DF032: async () => (await import('./dockerfile/composer-cache-not-cleaned.js')).rule,
  DF033: async () => (await import('./dockerfile/cpanm-cache-not-cleaned.js')).rule,
  DF034: async () => (await import('./dockerfile/apt-cache-not-cleaned.js')).rule,
  DF100: async () => (await import('./dockerfile/unknown-instruction.js')).rule,
  DF101: async () => (await import('./dockerfile/workdir-relative.js')).rule,
  DF102: async () => (await import('./dockerfile/last-user-root.js')).rule,
  DF103: async () => (await import('./dockerfile/cd-in-run.js')).rule,
  DF104: async () => (await import('./dockerfile/sudo.js')).rule,
  DF105: async () => (await import('./dockerfile/apt-get-unpinned.js')).rule,
  DF106: async () => (await import('./dockerfile/pip-unpinned.js')).rule,
  DF107: async () => (await import('./dockerfile/npm-unpinned.js')).rule,
  DF108: async () => (await import('./dockerfile/apk-unpinned.js')).rule,
  DF109: async () => (await import('./dockerfile/shell-form-cmd.js')).rule,
  DF110: async () => (await import('./dockerfile/maintainer.js')).rule,
  DF200: async () => (await import('./dockerfile/interactive-tool-in-run.js')).rule,
  DF201: async () => (await import('./dockerfile/archive-copied-then-extracted.js')).rule,
  DF202: async () => (await import('./dockerfile/expose-port-out-of-range.js')).rule,
  DF203: async () => (await import('./dockerfile/multiple-healthchecks.js')).rule,
  DF204: async () => (await import('./dockerfile/apt-get-install-without-yes.js')).rule,
  DF205: async () => (await import('./dockerfile/copy-multiple-sources-without-slash.js')).rule,
  DF206: async () => (await import('./dockerfile/copy-from-unknown-stage.js')).rule,
  DF207: async () => (await import('./dockerfile/copy-from-own-stage.js')).rule,
  DF208: async () => (await import('./dockerfile/duplicate-stage-name.js')).rule,
  DF209: async () => (await import('./dockerfile/untrusted-registry.js')).rule,
  DF210: async () => (await import('./dockerfile/apt-in-run.js')).rule,
  DF211: async () => (await import('./dockerfile/gem-install-unpinned.js')).rule,
  DF212: async () => (await import('./dockerfile/from-platform-constant.js')).rule,
  DF213: async () => (await import('./dockerfile/yum-install-without-yes.js')).rule,
  DF214: async () => (await import('./dockerfile/yum-install-unpinned.js')).rule,
  DF215: async () => (await import('./dockerfile/zypper-without-non-interactive.js')).rule,
  DF216: async () => (await import('./dockerfile/zypper-dist-upgrade.js')).rule,
  DF217: async () => (await import('./dockerfile/zypper-install-unpinned.js')).rule,
  DF218: async () => (await import('./dockerfile/dnf-install-without-yes.js')).rule,
  DF219: async () => (await import('./dockerfile/dnf-install-unpinned.js')).rule,
  DF220: async () => (await import('./dockerfile/onbuild-forbidden-trigger.js')).rule,
  DF221: async () => (await import('./dockerfile/env-self-reference.js')).rule,
  DF222: async () => (await import('./dockerfile/copy-relative-without-workdir.js')).rule,
  DF223: async () => (await import('./dockerfile/useradd-without-no-log-init.js')).rule,
  DF224: async () => (await import('./dockerfile/wget-without-progress.js')).rule,
  DF225: async () => (await import('./dockerfile/invalid-label-key.js')).rule,
  DF226: async () => (await import('./dockerfile/instruction-before-from.js')).rule,
  DF227: async () => (await import('./dockerfile/go-install-unpinned.js')).rule,
  DF228: async () => (await import('./dockerfile/reserved-stage-name.js')).rule,
  DF229: async () => (await import('./dockerfile/secret-in-arg-or-env.js')).rule,
  DF230: async () => (await import('./dockerfile/redundant-target-platform.js')).rule,
  DF231: async () => (await import('./dockerfile/user-not-numeric.js')).rule,
  DF232: async () => (await import('./dockerfile/copy-whole-stage-filesystem.js')).rule,
  DF233: async () => (await import('./dockerfile/multiple-cmd.js')).rule,
  DF234: async () => (await import('./dockerfile/multiple-entrypoints.js')).rule,
  DF235: async () => (await import('./dockerfile/ln-bin-sh.js')).rule,
  DF236: async () => (await import('./dockerfile/pipe-without-pipefail.js')).rule,
  DF240: async () => (await import('./dockerfile/required-label-missing.js')).rule,
  DF241: async () => (await import('./dockerfile/label-not-in-schema.js')).rule,
  DF242: async () => (await import('./dockerfile/label-empty.js')).rule,
  DF243: async () => (await import('./dockerfile/label-invalid-url.js')).rule,
  DF244: async () => (await import('./dockerfile/label-invalid-rfc3339.js')).rule,
  DF245: async () => (await import('./dockerfile/label-invalid-spdx.js')).rule,
  DF246: async () => (await import('./dockerfile/label-invalid-git-hash.js')).rule,
  DF247: async () => (await import('./dockerfile/label-invalid-semver.js')).rule,
  DF248: async () => (await import('./dockerfile/label-invalid-email.js')).rule,
  DF249: async () => (await import('./dockerfile/inline-ignore-pragma.js')).rule,
  DF250: async () => (await import('./dockerfile/missing-healthcheck.js')).rule,
  DF251: async () => (await import('./dockerfile/stage-name-casing.js')).rule,
  DF252: async () => (await import('./dockerfile/from-as-casing.js')).rule,
  DF253: async () => (await import('./dockerfile/consistent-instruction-casing.js')).rule,
  DF254: async () => (await import('./dockerfile/legacy-key-value-format.js')).rule,
  DF255: async () => (await import('./dockerfile/expose-proto-casing.js')).rule,
  DF256: async () => (await import('./dockerfile/expose-invalid-format.js')).rule,
  DF257: async () => (await import('./dockerfile/no-empty-continuation.js')).rule,
  DF258: async () => (await import('./dockerfile/undefined-arg-in-from.js')).rule,
  DF259: async () => (await import('./dockerfile/invalid-default-arg-in-from.js')).rule,
  DF260: async () => (await import('./dockerfile/undefined-var.js')).rule,
  DF261: async () => (await import('./dockerfile/copy-ignored-file.js')).rule,
  DF264: async () => (await import('./dockerfile/run-swallows-instruction.js')).rule,
};

/** Image rules (rules/image/<name>.ts) register the same way: `IM001: async () => (await import('./image/x.js')).rule`. */
export const imageRules: Record<string, Loader<ImageRule>> = {
  IM001: async () => (await import('./image/apt-lists-in-image.js')).rule,
  IM002: async () => (await import('./image/package-cache-in-image.js')).rule,
  IM003: async () => (await import('./image/deleted-file-still-shipped.js')).rule,
  IM004: async () => (await import('./image/overwritten-in-later-layer.js')).rule,
  IM005: async () => (await import('./image/metadata-only-copy.js')).rule,
  IM006: async () => (await import('./image/git-directory-shipped.js')).rule,
  IM007: async () => (await import('./image/build-toolchain-in-final-image.js')).rule,
  IM008: async () => (await import('./image/dev-dependencies-shipped.js')).rule,
  IM009: async () => (await import('./image/secrets-in-image.js')).rule,
};

/** Retired or renamed codes -> their replacement. */
export const redirects: Record<string, string> = {};

async function loadRules<T extends { meta: RuleMeta }>(
  registry: Record<string, Loader<T>>,
  codes?: Iterable<string>,
): Promise<T[]> {
  const wanted = codes ? [...codes] : Object.keys(registry);
  const known = wanted
    .map((code) => redirects[code] ?? code)
    .filter((code) => code in registry)
    .sort();
  return loadAll(known.map((code) => registry[code]));
}

/**
 * Runs the loaders, in order. The compiled CLI runs them concurrently: before the build bundled the rules into this
 * module (scripts/bundle-rules.js) that overlapped their file reads (84 rules in 128-152 ms against 176-185 ms one
 * after another); now each loader only runs its rule's module body. The tests run these sources under jest, whose ESM
 * loader fails on concurrent imports of shared modules: there (a `.ts` file) they go one after another.
 */
async function loadAll<T>(loaders: Array<() => Promise<T>>): Promise<T[]> {
  if (import.meta.url.endsWith('.js')) return Promise.all(loaders.map((load) => load()));
  const loaded: T[] = [];
  for (const load of loaders) loaded.push(await load());
  return loaded;
}

/** Loads the Dockerfile rules (all, or those whose code is listed), in code order. */
export function loadDockerfileRules(codes?: Iterable<string>): Promise<DockerfileRule[]> {
  return loadRules(dockerfileRules, codes);
}

/** Loads the image rules (all, or those whose code is listed), in code order. */
export function loadImageRules(codes?: Iterable<string>): Promise<ImageRule[]> {
  return loadRules(imageRules, codes);
}

/** Loads every registered rule's meta (Dockerfile and image rules). */
export async function loadAllRuleMeta(): Promise<RuleMeta[]> {
  const rules = await loadAll<{ meta: RuleMeta }>([...Object.values(dockerfileRules), ...Object.values(imageRules)]);
  return rules.map((r) => r.meta).sort((a, b) => a.code.localeCompare(b.code));
}
