// The build arguments the builder defines without an ARG, and the `$VAR` references of an instruction's text: what the
// rules about undefined variables (DF258 in FROM, DF260 elsewhere) compare.
import { formatPlatform } from '../image/platform.js';
import type { Platform } from '../image/types.js';

/** The platform arguments: set in the global scope (FROM sees them), in a stage only once declared with `ARG NAME`. */
export const PLATFORM_ARGS: ReadonlySet<string> = new Set([
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
]);

/**
 * The values the builder gives the platform arguments: TARGET* for the platform the image is built for, BUILD* for
 * the one building it (`TARGETARCH=arm`, `TARGETVARIANT=v7`; a platform without a variant gives an empty one).
 */
export function platformArgValues(target: Platform, build: Platform): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [prefix, p] of [
    ['TARGET', target],
    ['BUILD', build],
  ] as const) {
    values[`${prefix}PLATFORM`] = formatPlatform(p);
    values[`${prefix}OS`] = p.os;
    values[`${prefix}ARCH`] = p.architecture;
    values[`${prefix}VARIANT`] = p.variant ?? '';
  }
  return values;
}

/** The proxy arguments, in both cases: the builder passes them to every RUN without an ARG. */
export const PROXY_ARGS: readonly string[] = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'FTP_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
].flatMap((n) => [n, n.toLowerCase()]);

/**
 * Every build argument the builder knows without a Dockerfile declaring it: the platform ones, the proxy ones (in
 * both cases), BuildKit's own settings and SOURCE_DATE_EPOCH. A Dockerfile using one undeclared is not wrong.
 */
export const PREDEFINED_ARGS: ReadonlySet<string> = new Set([
  ...PLATFORM_ARGS,
  'TARGETSTAGE',
  ...PROXY_ARGS,
  'BUILDKIT_CACHE_MOUNT_NS',
  'BUILDKIT_CONTEXT_KEEP_GIT_DIR',
  'BUILDKIT_DOCKERFILE_CHECK',
  'BUILDKIT_INLINE_CACHE',
  'BUILDKIT_MULTI_PLATFORM',
  'BUILDKIT_SANDBOX_HOSTNAME',
  'BUILDKIT_SYNTAX',
  'SOURCE_DATE_EPOCH',
]);

export interface VariableRef {
  name: string;
  /** `:-`, `-`, `:+`, `+`, `:?`, `?` for `${NAME<op>word}`; undefined for `$NAME` and `${NAME}`. */
  operator?: string;
  /** Offset of the `$` in the text. */
  index: number;
}

/**
 * The `$NAME` and `${NAME...}` references in `text`, in order, as the builder expands them: a `$` preceded by the escape
 * character is literal, and so is text in single quotes (outside double quotes).
 */
export function variableRefs(text: string, escapeChar = '\\'): VariableRef[] {
  const refs: VariableRef[] = [];
  // The quote the text is inside: in single quotes nothing expands; in double quotes a `'` is just a character.
  let quote: string | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === escapeChar && quote !== "'") {
      i += 1;
      continue;
    }
    if ((ch === "'" || ch === '"') && (quote === undefined || quote === ch)) quote = quote ? undefined : ch;
    if (ch !== '$' || quote === "'") continue;
    const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(:?[-+?])?|([A-Za-z_][A-Za-z0-9_]*))/.exec(text.slice(i, i + 260));
    if (!m) continue;
    refs.push({ name: m[1] ?? m[3], ...(m[2] ? { operator: m[2] } : {}), index: i });
  }
  return refs;
}

/**
 * Whether a reference is written for its variable to be unset: `${NAME:-word}` and `${NAME-word}` give a default, and
 * `${NAME:?message}` stops the build with the author's message. `${NAME:+word}` is not: it only ever gives `word` when
 * something sets NAME, so an undefined NAME (a typo, a missing ARG) silently drops it. References inside the word after
 * an operator (`${A:-$TYPO}`) are references of their own.
 */
export function meantUnset(ref: VariableRef): boolean {
  return ref.operator !== undefined && !ref.operator.endsWith('+');
}
