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
  type ImageRule,
  type ImageRuleContext,
  type ImageVisitors,
} from '../report/rule.js';
import type { Finding, RuleMeta } from '../report/types.js';
import type { ScanEntry } from './scan-layer.js';
import { displayPath } from './tar-parser.js';

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
  entries?: ScanEntry[][];
}

// The copies each finding's bytes count (see ImageReport.counted), kept beside the findings, not in them.
const counted = new WeakMap<Finding, readonly { layer: number; path: string; sizeBytes: number }[]>();

/**
 * Reclaimable bytes of the findings, each copy (layer and path) counted once: two findings may name the same bytes
 * (a `.git` that IM006 reports and IM005's re-chowned `/app` holds; a file deleted and also overwritten).
 */
export function reclaimableBytes(findings: readonly Finding[]): number {
  const seen = new Set<string>();
  let total = 0;
  for (const f of findings) {
    const copies = counted.get(f);
    let rest = f.bytes ?? 0;
    for (const c of copies ?? []) {
      rest -= c.sizeBytes;
      const key = `${c.layer}:${c.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      total += c.sizeBytes;
    }
    // Bytes the rule did not itemize (final-filesystem junk totals) count as they are.
    total += Math.max(0, rest);
  }
  return total;
}

export function runImageRules(rules: ImageRule[], facts: ImageFacts, options: RunImageRulesOptions = {}): Finding[] {
  const findings: Finding[] = [];
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
            ...(attribution ? { file: attribution.file, line: attribution.line } : {}),
          },
          ...(d.bytes !== undefined ? { bytes: d.bytes } : {}),
        };
        if (d.counted) counted.set(finding, d.counted);
        findings.push(finding);
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
  return findings.sort(
    (a, b) =>
      (b.bytes ?? 0) - (a.bytes ?? 0) ||
      a.code.localeCompare(b.code) ||
      ((a.location as { layerIndex?: number }).layerIndex ?? -1) -
        ((b.location as { layerIndex?: number }).layerIndex ?? -1),
  );
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

/** "layer 3 (line 12)" or "layer 3". */
export function layerLabel(layer: ImageLayerView | undefined): string {
  if (!layer) return 'an unknown layer';
  return layer.attribution ? `layer ${layer.index} (line ${layer.attribution.line})` : `layer ${layer.index}`;
}

export { displayPath };
