// The image rule engine: rules never read layers. The walk streams each layer once; the engine then fans the
// layers, their entries and the final facts out to every rule's visitors (`layer`, `entry`, `end`), and turns
// `ctx.report` calls into Findings (message interpolated, location with the layer and, when attributed, the
// Dockerfile line), sorted by reclaimable bytes. The contract (ImageRule, ImageFacts, ...) is src/report/rule.ts.
import {
  ruleMessage,
  ruleOptions,
  ruleSeverity,
  type EngineOptions,
  type ImageFacts,
  type ImageLayerView,
  type ImageReport,
  type ImageRule,
  type ImageRuleContext,
  type ImageVisitors,
} from '../report/rule.js';
import { instructionKey } from '../image/history.js';
import type { Finding, RuleMeta } from '../report/types.js';
import type { EntryList } from './entry-list.js';
import { displayPath } from './tar-parser.js';
import { linesText, spansLines } from '../report/dockerfile-lines.js';

export function defineImageRule(rule: ImageRule): ImageRule {
  return rule;
}

export function imageMeta(
  meta: Omit<RuleMeta, 'target' | 'status' | 'since' | 'recommended'> &
    Partial<Pick<RuleMeta, 'status' | 'recommended'>>,
): RuleMeta {
  return { target: 'image', status: 'preview', since: '0.1.0', recommended: true, ...meta };
}

export interface RunImageRulesOptions extends EngineOptions {
  /** Entries per layer, for rules with an `entry` visitor. */
  entries?: EntryList[];
}

type Counted = NonNullable<ImageReport['counted']>;

/**
 * Reclaimable bytes of the findings, each copy (layer and path) counted once: two findings may name the same bytes
 * (a `.git` that IM006 reports and IM005's re-chowned `/app` holds; a key inside `.git` that IM009 reports too).
 */
function reclaimableBytes(reported: readonly { finding: Finding; counted?: Counted }[]): number {
  const seen = new Set<string>();
  let total = 0;
  for (const { finding, counted } of reported) {
    let rest = finding.bytes ?? 0;
    for (const c of counted ?? []) {
      rest -= c.sizeBytes;
      const key = `${c.layer}:${c.holder ?? c.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      total += c.sizeBytes;
    }
    // Bytes the rule did not itemize count as they are.
    total += Math.max(0, rest);
  }
  return total;
}

/**
 * What names a layer from one build of a Dockerfile to the next, where its index does not: a RUN line inserted above
 * shifts every later index. The instruction that made it, as history records it in Dockerfile terms and in one
 * spelling whichever builder wrote it (cleanCreatedBy, instructionKey, as diff compares history steps), without the
 * content hashes the classic builder writes for a COPY (`file:<sha>`, which change with every edit of a copied file);
 * else the Dockerfile line it is attributed to; else its index, when
 * nothing else names it. Two layers made by the same instruction get the same name, and the CI formats number such
 * repeats in layer order (numberKeys), which an insertion above them keeps.
 */
function layerName(layer: ImageLayerView): string {
  const instruction = instructionKey((layer.instruction ?? '').replace(/\b(file|dir|multi):[0-9a-f]{64}\b/g, '$1:'));
  if (instruction !== '') return instruction;
  if (layer.attribution) return layer.attribution.text;
  return `layer ${layer.index}`;
}

/** A finding's `location.layerKey`: its layer's name, and the name of the other layer its group is of after `>`. */
function layerKey(layer: ImageLayerView, other: ImageLayerView | undefined): string {
  return other === undefined ? layerName(layer) : `${layerName(layer)} > ${layerName(other)}`;
}

/**
 * The findings of `rules` on the image, largest first, and their reclaimable bytes with each copy counted once (the
 * "Findings (N, X reclaimable)" total).
 */
export function runImageRules(
  rules: ImageRule[],
  facts: ImageFacts,
  options: RunImageRulesOptions = {},
): { findings: Finding[]; reclaimableBytes: number } {
  const reported: { finding: Finding; counted?: Counted }[] = [];
  const active: { rule: ImageRule; visitors: ImageVisitors }[] = [];
  for (const rule of rules) {
    const setting = ruleSeverity(rule.meta, options.severities);
    if (setting === 'off') continue;
    const severity = setting;
    const ctx: ImageRuleContext = {
      image: facts.image,
      options: ruleOptions(rule.meta, options.ruleOptions),
      report(d) {
        const message = ruleMessage(rule.meta, d.messageId, d.data);
        const layer = d.layerIndex === undefined ? undefined : facts.layers[d.layerIndex];
        // A base layer's bytes are there because of the FROM line: that is the line to change (a slimmer base).
        const attribution = layer?.attribution ?? (layer?.base ? facts.from : undefined);
        const finding: Finding = {
          code: rule.meta.code,
          rule: rule.meta.name,
          severity,
          message,
          messageId: d.messageId,
          location: {
            kind: 'image',
            image: facts.image,
            ...(facts.reference ? { reference: true as const } : {}),
            ...(layer ? { layerIndex: layer.index, layerDigest: layer.digest } : {}),
            ...(d.path !== undefined ? { path: d.path } : {}),
            ...(d.group !== undefined ? { group: d.group } : {}),
            ...(layer && (d.group !== undefined || d.path === undefined)
              ? { layerKey: layerKey(layer, d.groupLayer === undefined ? undefined : facts.layers[d.groupLayer]) }
              : {}),
            ...(attribution ? { file: attribution.file, line: attribution.line } : {}),
            ...(attribution && spansLines(attribution)
              ? { endLine: attribution.endLine, merged: attribution.merged }
              : {}),
          },
          ...(d.bytes !== undefined ? { bytes: d.bytes } : {}),
        };
        reported.push({ finding, ...(d.counted ? { counted: d.counted } : {}) });
      },
    };
    active.push({ rule, visitors: rule.create(ctx) });
  }
  for (const layer of facts.layers) {
    for (const { visitors } of active) visitors.layer?.(layer);
    const entryVisitors = active.filter((a) => a.visitors.entry);
    if (entryVisitors.length && options.entries?.[layer.index]) {
      for (const entry of options.entries[layer.index])
        for (const { visitors } of entryVisitors) visitors.entry!(entry, layer);
    }
  }
  for (const { visitors } of active) visitors.end?.(facts);
  const findings = reported
    .map((r) => r.finding)
    .sort(
      (a, b) =>
        (b.bytes ?? 0) - (a.bytes ?? 0) ||
        a.code.localeCompare(b.code) ||
        ((a.location as { layerIndex?: number }).layerIndex ?? -1) -
          ((b.location as { layerIndex?: number }).layerIndex ?? -1),
    );
  return { findings, reclaimableBytes: reclaimableBytes(reported) };
}

/** `12.3 MB`, for messages (the JSON keeps exact bytes). */
export function bytesText(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${units[unit]}`;
}

/** "layer 3 (line 12)", "layer 3 (lines 12-15)" for a layer several instructions were committed as, or "layer 3". */
export function layerLabel(layer: ImageLayerView | undefined): string {
  if (!layer) return 'an unknown layer';
  return layer.attribution ? `layer ${layer.index} (${linesText(layer.attribution)})` : `layer ${layer.index}`;
}

export { displayPath };
