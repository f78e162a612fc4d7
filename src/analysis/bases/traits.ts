// What a base image offers a Dockerfile, told from its metadata alone (no layer read): the OS and libc family,
// the user it runs as, whether it has a shell and which package manager. Each trait says where it came from, since
// metadata is often silent: labels and annotations first, then the config's history (`apk add`, `apt-get`, the
// rootfs tarball's name) and Entrypoint/Cmd, then the family table, then the name (`-alpine`, `-slim`, `distroless`).
import { cleanCreatedBy } from '../../image/history.js';
import type { ConfigFile } from '../../image/types.js';
import type { FamilyCandidate, Libc } from './families.js';

export type TraitSource =
  'label' | 'annotation' | 'history' | 'config' | 'family' | 'name' | 'base-name' | 'label-text' | 'files' | 'os';

/**
 * Whether a trait was guessed from a name rather than read from the image: its own (`3.12-alpine`), the base it
 * records (`org.opencontainers.image.base.name`, a label or annotation that names the parent image, whose tag says no
 * more about this image's OS than the image's own tag would), or a word in a label or annotation that names or
 * describes the image (`org.opencontainers.image.title` of an Alpine image may well be `debian-tools`).
 */
export function guessedSource(source: TraitSource): boolean {
  return source === 'name' || source === 'base-name' || source === 'label-text';
}

export interface Trait<T> {
  value: T;
  source: TraitSource;
}

export interface BaseTraits {
  os: Trait<string> | null;
  libc: Trait<Libc> | null;
  /** Whether /bin/sh exists: known from a shell entrypoint, RUN steps that ran in it, or the family. */
  shell: Trait<boolean> | null;
  /** `apk`, `apt`, `microdnf`, `dnf`, `yum`, `zypper`; a null value means known to have none. */
  packageManager: Trait<string | null> | null;
  /** The config's User; '' (root) when unset. */
  user: string;
  /** The runtime's version from the config (`NODE_VERSION=20.11.1`, the `org.opencontainers.image.version` label). */
  runtimeVersion: { value: string; from: string } | null;
}

const LIBC: Record<string, Libc> = {
  alpine: 'musl',
  debian: 'glibc',
  ubuntu: 'glibc',
  rhel: 'glibc',
  fedora: 'glibc',
  centos: 'glibc',
  wolfi: 'glibc',
  amazonlinux: 'glibc',
  opensuse: 'glibc',
};
const PACKAGE_MANAGER: Record<string, string> = {
  alpine: 'apk',
  debian: 'apt',
  ubuntu: 'apt',
  fedora: 'dnf',
  centos: 'yum',
  amazonlinux: 'dnf',
  opensuse: 'zypper',
  wolfi: 'apk',
  rhel: 'dnf',
};
/** The OSes (as named here) whose images a package manager installs into; tdnf's (Photon, Azure Linux) are none of them. */
const OSES_OF_PACKAGE_MANAGER: Record<string, string[]> = {
  apk: ['alpine', 'wolfi'],
  apt: ['debian', 'ubuntu'],
  dnf: ['fedora', 'rhel', 'centos', 'amazonlinux'],
  microdnf: ['fedora', 'rhel', 'centos', 'amazonlinux'],
  yum: ['fedora', 'rhel', 'centos', 'amazonlinux'],
  zypper: ['opensuse'],
  tdnf: [],
};
const DEBIAN_CODENAMES = /(^|[-_/.:])(trixie|bookworm|bullseye|buster|stretch)([-_/.:]|\d|$)/;
const UBUNTU_CODENAMES = /(^|[-_/.:])(noble|jammy|focal|bionic|ubuntu)([-_/.:]|\d|$)/;
// The name itself between spaces too, as a description writes it ("Ubuntu tools"): the code names are English words
// (a "focal point", "noble") but for jammy, so they count only inside a name or a tag, as in `ubuntu:jammy`.
const UBUNTU_WORD = /(^|[\s,;(])ubuntu([\s,;)]|$)/;

/** An OS family named in free text (a label value, a base image name, a tag). */
export function osFromText(text: string): string | undefined {
  const t = text.toLowerCase();
  if (/alpine|musl/.test(t)) return 'alpine';
  if (/distroless|debian|debuerreotype/.test(t) || DEBIAN_CODENAMES.test(t)) return 'debian';
  if (UBUNTU_CODENAMES.test(t) || UBUNTU_WORD.test(t)) return 'ubuntu';
  if (/\bubi\d*|ubi\d+[-/]|redhat|rhel/.test(t)) return 'rhel';
  if (/wolfi|chainguard|cgr\.dev/.test(t)) return 'wolfi';
  if (/fedora/.test(t)) return 'fedora';
  if (/centos|rockylinux|almalinux/.test(t)) return 'centos';
  if (/amazonlinux|amzn/.test(t)) return 'amazonlinux';
  return undefined;
}

/**
 * The OS an image reference names (the image's own, or the base image's it records): as osFromText, and a `slim` tag
 * (`node:20-slim`, `python:3.12-slim`) as Debian, which the official images' slim variants are built on. Only in the
 * tag: `slim` elsewhere (a repository `api-slim`, a file `slim.oci`, an app's title) says nothing of the OS.
 */
export function osFromReference(reference: string): string | undefined {
  const named = osFromText(reference);
  if (named) return named;
  const path = reference.replace(/@.*$/, '');
  const colon = path.lastIndexOf(':');
  const tag = colon > path.lastIndexOf('/') ? path.slice(colon + 1).toLowerCase() : '';
  return /(^|[-_.])slim([-_.]|\d|$)/.test(tag) ? 'debian' : undefined;
}

/** os-release IDs named otherwise here (the family tables and osFromText use these names). */
const OS_RELEASE_IDS: Record<string, string> = {
  amzn: 'amazonlinux',
  rocky: 'centos',
  almalinux: 'centos',
  chainguard: 'wolfi',
  sles: 'opensuse',
};

/** The OS an os-release file names by its `ID=` (os-release(5): quoted or not, lower case). */
export function osFromOsRelease(text: string): string | undefined {
  const match = /^ID=(["']?)([^"'\n]*)\1[ \t]*$/m.exec(text);
  const id = match?.[2].trim().toLowerCase();
  if (!id) return undefined;
  return OS_RELEASE_IDS[id] ?? (id.startsWith('opensuse') ? 'opensuse' : id);
}

/** The package manager a shell command line calls, if any. */
export function packageManagerIn(text: string): string | undefined {
  const match = /(?:^|[\s;&|(/])(apk|apt-get|apt|aptitude|dpkg|microdnf|dnf|yum|tdnf|zypper)\s/.exec(text);
  if (!match) return undefined;
  return ({ 'apt-get': 'apt', aptitude: 'apt', dpkg: 'apt' } as Record<string, string>)[match[1]] ?? match[1];
}

const SHELLS = /^(\/usr)?(\/bin\/)?(sh|bash|ash|dash|zsh|busybox)$/;

/** The C library an OS's images use (`alpine`: musl), when it is one ballast knows. */
export function libcOfOs(os: string): Libc | undefined {
  return LIBC[os];
}

/** A trait derived from the OS is only as sure as the OS: guessed when the OS came from a name. */
function guessed(os: Trait<string>): TraitSource {
  return guessedSource(os.source) ? os.source : 'os';
}

export interface TraitInput {
  config: ConfigFile;
  annotations?: Record<string, string>;
  /** The name and tag the image was asked for (`node:20-alpine`). */
  name: string;
  family?: FamilyCandidate;
}

/**
 * The image's `org.opencontainers.image.version` (label, else manifest annotation) when it is a version, as the
 * runtime version's fallback names it. Also read beside a `*_VERSION` variable: one naming the line only
 * (`PYTHON_VERSION=3.13`) does not say the image is still a pre-release (`3.13.0rc1`), the label may.
 */
export function versionLabel(input: Pick<TraitInput, 'config' | 'annotations'>): BaseTraits['runtimeVersion'] {
  const key = 'org.opencontainers.image.version';
  const value = input.config.config?.Labels?.[key] ?? input.annotations?.[key];
  return value && /^v?\d/.test(value) ? { value, from: key } : null;
}

const BASE_NAME = 'org.opencontainers.image.base.name';
// Vendor and Red Hat's component say who made the image or its base (`Debian`, `ubi9-minimal-container`); the other
// keys hold the image's own name or words about it, which say no more of its OS than its tag does, so are read after
// the history, as guesses.
const SURE_KEYS = ['com.redhat.component', 'org.opencontainers.image.vendor'];
const WORD_KEYS = [
  'org.opencontainers.image.ref.name',
  'io.k8s.display-name',
  'org.opencontainers.image.title',
  'org.opencontainers.image.description',
];

/** The label and annotation keys baseTraits reads. */
export const TRAIT_KEYS: readonly string[] = [
  ...SURE_KEYS,
  BASE_NAME,
  ...WORD_KEYS,
  'org.opencontainers.image.version',
];

export function baseTraits(input: TraitInput): BaseTraits {
  const c = input.config.config ?? {};
  const labels = c.Labels ?? {};
  const annotations = input.annotations ?? {};
  const history = (input.config.history ?? []).map((h) => h.created_by ?? '');
  const fromMeta = (keys: string[], source: (meta: 'label' | 'annotation') => TraitSource): Trait<string> | null => {
    for (const [entries, meta] of [
      [labels, 'label'],
      [annotations, 'annotation'],
    ] as const)
      for (const key of keys) {
        const found = entries[key] && (key === BASE_NAME ? osFromReference : osFromText)(entries[key]);
        if (found) return { value: found, source: key === BASE_NAME ? 'base-name' : source(meta) };
      }
    return null;
  };
  let packageManager: Trait<string | null> | null = null;
  if (input.family && input.family.packageManager !== undefined)
    packageManager = { value: input.family.packageManager, source: 'family' };
  if (!packageManager) {
    for (const line of history) {
      const found = packageManagerIn(line);
      if (found) {
        packageManager = { value: found, source: 'history' };
        break;
      }
    }
  }
  /** Whether an OS is one the package manager read from the family or the history installs into (or none is known). */
  const fitsManager = (found: Trait<string>): boolean =>
    !packageManager?.value || OSES_OF_PACKAGE_MANAGER[packageManager.value]?.includes(found.value) !== false;

  // A vendor (or Red Hat component) label is inherited from the base an image was built on, and copied between
  // images: one naming another family than the package manager the image runs is passed over, and the OS is read
  // from the history and the rest as though it were not there.
  let os: Trait<string> | null = fromMeta(SURE_KEYS, (meta) => meta);
  if (os && !fitsManager(os)) os = null;
  if (!os) {
    // The rootfs step of official images names its tarball or the tool that made it.
    for (const line of history) {
      if (/alpine-minirootfs/.test(line)) os = { value: 'alpine', source: 'history' };
      else if (/debuerreotype|debian\.sh|rootfs\.tar\.xz.*debian/.test(line))
        os = { value: 'debian', source: 'history' };
      else if (/ubuntu-[a-z]+-oci|ubuntu/.test(line) && /ADD file:/.test(line))
        os = { value: 'ubuntu', source: 'history' };
      if (os) break;
    }
  }
  if (!os && input.family?.os) os = { value: input.family.os, source: 'family' };
  os ??= fromMeta([BASE_NAME, ...WORD_KEYS], () => 'label-text');
  if (!os) {
    const named = osFromReference(input.name);
    if (named) os = { value: named, source: 'name' };
  }

  // A name or a word in a title is no match for the package manager the image's own steps call: an image titled
  // debian-tools that runs `apk add` is not Debian. The manager alone names no one OS (apk: Alpine's musl or Wolfi's
  // glibc), so the OS, and the libc it would give, become unknown.
  if (os && guessedSource(os.source) && !fitsManager(os)) os = null;
  if (!packageManager && os && PACKAGE_MANAGER[os.value] && !/distroless/.test(input.name)) {
    packageManager = {
      value: os.value === 'rhel' && /minimal/.test(input.name) ? 'microdnf' : PACKAGE_MANAGER[os.value],
      source: guessed(os),
    };
  }
  if (!packageManager && /distroless/.test(input.name)) packageManager = { value: null, source: 'name' };

  let libc: Trait<Libc> | null = null;
  if (input.family?.libc) libc = { value: input.family.libc, source: 'family' };
  else if (os && LIBC[os.value]) libc = { value: LIBC[os.value], source: guessed(os) };

  let shell: Trait<boolean> | null = null;
  const entry = [...(c.Entrypoint ?? []), ...(c.Cmd ?? [])][0];
  if (input.family?.shell !== undefined) shell = { value: input.family.shell, source: 'family' };
  else if (entry && SHELLS.test(entry)) shell = { value: true, source: 'config' };
  // A shell-form RUN in any builder's words, read as attribution reads it: `/bin/sh -c make`, `sh -ec make`,
  // `/bin/bash -o pipefail -c make`, build args first (`|2 A=1 B=x y /bin/sh -c make`), BuildKit's and kaniko's `RUN make`.
  else if (history.some((h) => /^RUN (?!\[)/.test(cleanCreatedBy(h)))) shell = { value: true, source: 'history' };
  else if (/distroless/.test(input.name) && !/debug/.test(input.name)) shell = { value: false, source: 'name' };
  else if (os && os.value !== 'wolfi') shell = { value: true, source: guessed(os) };

  let runtimeVersion: BaseTraits['runtimeVersion'] = null;
  for (const env of c.Env ?? []) {
    const match = /^([A-Z][A-Z0-9]*)_VERSION=(v?\d[\w.+-]*)$/.exec(env);
    if (match && !['GPG', 'PIP', 'SETUPTOOLS', 'WHEEL', 'YARN', 'NPM', 'ALPINE', 'DEBIAN'].includes(match[1])) {
      runtimeVersion = { value: match[2], from: `${match[1]}_VERSION` };
      break;
    }
  }
  runtimeVersion ??= versionLabel(input);

  return { os, libc, shell, packageManager, user: c.User ?? '', runtimeVersion };
}
