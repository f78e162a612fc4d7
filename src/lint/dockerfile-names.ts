// Which file names are Dockerfiles, for `lint DIR` and for the pre-commit hooks (.pre-commit-hooks.yaml's `files`,
// which pre-commit matches against each path with Python's re.search). Both use the one pattern below, so a directory
// walk and a commit lint the same files; test/lint/pre-commit.test.ts checks the YAML still holds this exact pattern.

/**
 * Names ending in these are not Dockerfiles even when named after one: documents about a Dockerfile (Dockerfile.md,
 * Containerfile.txt), editor and merge leftovers (Dockerfile.orig, api.Dockerfile.bak), and BuildKit's per-Dockerfile
 * ignore file (Dockerfile.dockerignore).
 */
export const NOT_DOCKERFILE_EXTENSIONS = [
  'md',
  'markdown',
  'rst',
  'adoc',
  'txt',
  'html?',
  'json',
  'ya?ml',
  'orig',
  'rej',
  'bak',
  'swp',
  'dockerignore',
];

/**
 * A path whose last part is Dockerfile, Dockerfile.*, Dockerfile-*, *.Dockerfile or the same for Containerfile (either
 * case for the suffix), and does not end in one of NOT_DOCKERFILE_EXTENSIONS. Written in the syntax JavaScript and
 * Python share.
 */
export const DOCKERFILE_PATH_PATTERN =
  `(^|/)(?![^/]*\\.(${NOT_DOCKERFILE_EXTENSIONS.join('|')})$)` +
  '((Docker|Container)file([.-][^/]*)?|[^/]*\\.(Dockerfile|dockerfile|Containerfile|containerfile))$';

const DOCKERFILE_PATH = new RegExp(DOCKERFILE_PATH_PATTERN);

/** Whether a directory entry with this name is linted when its directory is. */
export function isDockerfileName(name: string): boolean {
  return DOCKERFILE_PATH.test(name);
}
