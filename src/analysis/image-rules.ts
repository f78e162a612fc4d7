// The image rule engine: rules never read layers. The walk streams each layer once; the engine then fans the
// layers, their entries and the final facts out to every rule's visitors (`layer`, `entry`, `end`), and turns
// `ctx.report` calls into Findings (message interpolated, location with the layer and, when attributed, the
// Dockerfile line), sorted by reclaimable bytes.
import { BugError } from '../errors.js';
import type { Finding, RuleMeta, Severity } from '../lint/types.js';
import type { LayerAttribution } from './attribution.js';
import type { JunkTotals } from './junk.js';
import type { LayerMeasure, Measurements, WastedFile } from './measure.js';
import type { PackagesResult } from './packages.js';
import type { ScanEntry } from './scan-layer.js';
import { displayPath } from './tar-parser.js';

export interface ImageLayerView extends LayerMeasure {
  /** The Dockerfile instruction that made it, with --dockerfile. */
  attribution?: LayerAttribution;
  /** True for layers the final FROM brought in (known from the Dockerfile or --base). */
  base: boolean;
}

export interface ImageFacts {
  image: string;
  layers: ImageLayerView[];
  totals: Measurements['totals'];
  wastedFiles: WastedFile[];
  junk: JunkTotals[];
  packages: PackagesResult;
  /** Final-filesystem lookup (display paths). */
  finalFile(path: string): { sizeBytes: number; layer: number } | undefined;
  /**
   * The layer that first wrote a visible file: follows same-content copies (chown -R, chmod) back to the layer
   * whose instruction brought the bytes in (`COPY . /app` rather than the later `chown -R`).
   */
  originLayer(path: string, layer: number): number;
  /** Whether the base is known (Dockerfile or --base), so "your layers" are meaningful. */
  baseKnown: boolean;
}

export interface ImageReport {
  messageId: string;
  data?: Record<string, string | number>;
  layerIndex?: number;
  path?: string;
  bytes?: number;
}

export interface ImageRuleContext {
  image: string;
  options: Record<string, unknown>;
  report(descriptor: ImageReport): void;
}

export interface ImageVisitors {
  layer?(layer: ImageLayerView): void;
  entry?(entry: ScanEntry, layer: ImageLayerView): void;
  end?(facts: ImageFacts): void;
}

export interface ImageRule {
  meta: RuleMeta;
  create(ctx: ImageRuleContext): ImageVisitors;
}

export function defineImageRule(rule: ImageRule): ImageRule {
  return rule;
}

export function imageMeta(meta: Omit<RuleMeta, 'target' | 'status' | 'since' | 'recommended'> & Partial<Pick<RuleMeta, 'status' | 'recommended'>>): RuleMeta {
  return { target: 'image', status: 'preview', since: '0.1.0', recommended: true, ...meta };
}

export interface RunImageRulesOptions {
  /** code or name -> severity ('off' disables). */
  severities?: Record<string, Severity | 'off'>;
  options?: Record<string, Record<string, unknown>>;
  /** Entries per layer, for rules with an `entry` visitor. */
  entries?: ScanEntry[][];
}

function interpolate(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => (key in data ? String(data[key]) : `{{${key}}}`));
}

export function runImageRules(rules: ImageRule[], facts: ImageFacts, options: RunImageRulesOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const active: { rule: ImageRule; visitors: ImageVisitors }[] = [];
  for (const rule of rules) {
    const setting = options.severities?.[rule.meta.code] ?? options.severities?.[rule.meta.name] ?? rule.meta.defaultSeverity;
    if (setting === 'off') continue;
    const severity = setting;
    const ctx: ImageRuleContext = {
      image: facts.image,
      options: { ...(rule.meta.defaultOptions ?? {}), ...(options.options?.[rule.meta.code] ?? options.options?.[rule.meta.name] ?? {}) },
      report(d) {
        const template = rule.meta.messages[d.messageId];
        if (template === undefined) {
          throw new BugError(`rule ${rule.meta.code} reported undeclared messageId '${d.messageId}'`, {});
        }
        const layer = d.layerIndex === undefined ? undefined : facts.layers[d.layerIndex];
        const attribution = layer?.attribution;
        findings.push({
          code: rule.meta.code,
          rule: rule.meta.name,
          severity,
          message: interpolate(template, d.data),
          messageId: d.messageId,
          location: {
            kind: 'image',
            image: facts.image,
            ...(layer ? { layerIndex: layer.index, layerDigest: layer.digest } : {}),
            ...(d.path !== undefined ? { path: d.path } : {}),
            ...(attribution ? { file: attribution.file, line: attribution.line } : {}),
          },
          ...(d.bytes !== undefined ? { bytes: d.bytes } : {}),
        });
      },
    };
    active.push({ rule, visitors: rule.create(ctx) });
  }
  for (const layer of facts.layers) {
    for (const { visitors } of active) visitors.layer?.(layer);
    const entryVisitors = active.filter((a) => a.visitors.entry);
    if (entryVisitors.length && options.entries?.[layer.index]) {
      for (const entry of options.entries[layer.index]) for (const { visitors } of entryVisitors) visitors.entry!(entry, layer);
    }
  }
  for (const { visitors } of active) visitors.end?.(facts);
  return findings.sort(
    (a, b) =>
      (b.bytes ?? 0) - (a.bytes ?? 0) ||
      a.code.localeCompare(b.code) ||
      ((a.location as { layerIndex?: number }).layerIndex ?? -1) - ((b.location as { layerIndex?: number }).layerIndex ?? -1),
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
