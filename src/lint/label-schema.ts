// The label schema (hadolint's `label-schema` / `strict-labels`, ballast's `labelSchema` / `strictLabels`): a map of
// LABEL name -> value type that the label rules (DF240-DF248) check a Dockerfile against. The value checks are the
// formats the schema types name: URI (RFC 3986), RFC 3339 timestamp, SPDX license id, git hash, semver, RFC 5322 address.
import { createRequire } from 'node:module';
import { readPairs } from '../dockerfile/words.js';
import { LABEL_TYPES, type LabelSchema, type LabelType } from '../config/schema.js';
import type { Instruction } from '../dockerfile/parse.js';
import { expandValue } from '../dockerfile/stages.js';
import { defineRule, dockerfileMeta } from './helpers.js';
import type { DockerfileContext, DockerfileRule } from '../report/rule.js';

export type { LabelSchema, LabelType };

/** Reads the schema from rule options; entries with a type the schema does not know are left out (the loader rejects them). */
export function labelSchemaOf(options: Record<string, unknown>): LabelSchema {
  const raw = options.labelSchema;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const schema: LabelSchema = {};
  for (const [name, type] of Object.entries(raw))
    if ((LABEL_TYPES as readonly string[]).includes(String(type))) schema[name] = type as LabelType;
  return schema;
}

export interface LabelValue {
  key: string;
  /** The value as the builder stores it; undefined when it depends on a variable nothing defines. */
  value: string | undefined;
}

/** The key/value pairs of a LABEL, with ARG/ENV references resolved where their values are known. */
export function readLabels(ctx: DockerfileContext, instruction: Instruction): LabelValue[] {
  return readPairs(instruction.shellText, ctx.parsed.escapeChar).map(({ key, value, expandable, raw }) => {
    if (!expandable.includes('$')) return { key, value };
    // A value built from an ARG without a default is decided at build time: do not guess.
    if (ctx.resolve(expandable, instruction).includes('$')) return { key, value: undefined };
    // From the value as written: a single-quoted or escaped `$` stays literal, only the rest expands.
    return { key, value: expandValue(raw, ctx.variables(instruction), ctx.parsed.escapeChar) };
  });
}

const UNRESERVED = 'A-Za-z0-9\\-._~';
const SUB_DELIMS = "!$&'()*+,;=";
const PCT = '%[0-9A-Fa-f]{2}';
const PCHAR = `(?:[${UNRESERVED}${SUB_DELIMS}:@]|${PCT})`;
const SEGMENT = `${PCHAR}*`;
const SEGMENT_NZ = `${PCHAR}+`;
const USERINFO = `(?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT})*`;
const IP_LITERAL = `\\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\\.[${UNRESERVED}${SUB_DELIMS}:]+)\\]`;
const REG_NAME = `(?:[${UNRESERVED}${SUB_DELIMS}]|${PCT})*`;
const AUTHORITY = `(?:${USERINFO}@)?(?:${IP_LITERAL}|${REG_NAME})(?::[0-9]*)?`;
const HIER_PART = `(?://${AUTHORITY}(?:/${SEGMENT})*|/(?:${SEGMENT_NZ}(?:/${SEGMENT})*)?|${SEGMENT_NZ}(?:/${SEGMENT})*|)`;
const QUERY = `(?:${PCHAR}|[/?])*`;
const URI = new RegExp(`^[A-Za-z][A-Za-z0-9+\\-.]*:${HIER_PART}(?:\\?${QUERY})?(?:#${QUERY})?$`);

/** An absolute URI (RFC 3986 `scheme ":" hier-part [ "?" query ] [ "#" fragment ]`): `https://example.com/x`, `mailto:a@b`. */
export function isUri(value: string): boolean {
  return URI.test(value);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|[+-](\d{2}):?(\d{2}))$/;

/** An RFC 3339 date-time with a zone (`2024-05-01T12:00:00Z`, `2024-05-01T12:00:00.5+02:00`), fields in range. */
export function isRfc3339(value: string): boolean {
  const m = RFC3339.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const zoneOk = m[8] === undefined || (Number(m[8]) <= 23 && Number(m[9]) <= 59);
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 60 && zoneOk
  );
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Semantic Versioning 2.0.0: `1.2.3`, `1.0.0-rc.1+build.5`; no `v` prefix, no leading zeros. */
export function isSemver(value: string): boolean {
  return SEMVER.test(value);
}

/** A git commit hash, abbreviated (7 hex digits) or full (40). */
export function isGitHash(value: string): boolean {
  return /^(?:[0-9A-Fa-f]{7}|[0-9A-Fa-f]{40})$/.test(value);
}

let spdxIds: Set<string> | undefined;

/** One SPDX license identifier from the SPDX license list (deprecated ids included), exactly as listed: `MIT`, `Apache-2.0`. */
export function isSpdxId(value: string): boolean {
  // Loaded on first use: only Dockerfiles checked against an spdx label pay for the 700-entry list.
  if (!spdxIds) {
    const require = createRequire(import.meta.url);
    spdxIds = new Set([
      ...(require('spdx-license-ids') as string[]),
      ...(require('spdx-license-ids/deprecated.json') as string[]),
    ]);
  }
  return spdxIds.has(value);
}

const ATEXT = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~]";
const DOT_ATOM = `${ATEXT}+(?:\\.${ATEXT}+)*`;
const QUOTED = '"(?:[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\x20-\\x7e])*"';
const DOMAIN_LITERAL = '\\[[\\x21-\\x5a\\x5e-\\x7e]*\\]';
const EMAIL = new RegExp(`^(?:${DOT_ATOM}|${QUOTED})@(?:${DOT_ATOM}|${DOMAIN_LITERAL})$`);

/** An RFC 5322 addr-spec: `local@domain` with a dot-atom or quoted local part and a dot-atom or `[literal]` domain. */
export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

export interface LabelFormatRuleSpec {
  code: string;
  name: string;
  hadolintId: string;
  type: Exclude<LabelType, 'text'>;
  summary: string;
  /** The message, with {{label}} and {{value}}. */
  message: string;
  isValid: (value: string) => boolean;
}

/** The shape every value-format rule shares: each LABEL pair whose schema type is `type` must hold a valid value. */
export function defineLabelFormatRule(spec: LabelFormatRuleSpec): DockerfileRule {
  return defineRule({
    meta: dockerfileMeta({
      code: spec.code,
      name: spec.name,
      type: 'problem',
      summary: spec.summary,
      defaultSeverity: 'warning',
      fix: 'none',
      messages: { invalid: spec.message },
      defaultOptions: { labelSchema: {} },
      sources: [{ tool: 'hadolint', id: spec.hadolintId, relation: 'same' }],
    }),
    create(ctx) {
      const schema = labelSchemaOf(ctx.options);
      const checked = new Set(Object.keys(schema).filter((name) => schema[name] === spec.type));
      // Off until the schema names a label of this type, as in hadolint.
      if (checked.size === 0) return {};
      return {
        LABEL(instruction) {
          for (const { key, value } of readLabels(ctx, instruction)) {
            if (!checked.has(key) || value === undefined || spec.isValid(value)) continue;
            ctx.report({ messageId: 'invalid', data: { label: key, value }, at: instruction });
          }
        },
      };
    },
  });
}
