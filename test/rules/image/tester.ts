// RuleTester for image rules: each row builds an image in memory (OCI layout in a temp dir), analyzes it with only
// the rule under test switched on, and compares findings (messageId, layer, path, bytes) with the row.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageRule } from '../../../src/report/rule.js';
import { analyze } from '../../../src/services/analyze.js';
import { buildOciLayout, type LayerSpec } from '../../helpers/image-builder.js';
import { loadImageRules } from '../../../rules/index.js';

export interface ExpectedFinding {
  messageId: string;
  layerIndex?: number;
  path?: string;
  bytes?: number;
  line?: number;
  /** The finding's `location.group` (a group of files named by its largest file). */
  group?: string;
  /** A substring of the message. */
  message?: string;
}

export interface ImageRow {
  name: string;
  layers: LayerSpec[];
  /** Dockerfile text, to check attribution. */
  dockerfile?: string;
}

export interface InvalidRow extends ImageRow {
  errors: ExpectedFinding[];
}

export async function findingsFor(rule: ImageRule, row: ImageRow) {
  const built = await buildOciLayout(row.layers);
  const dir = row.dockerfile ? mkdtempSync(join(tmpdir(), 'ballast-df-')) : undefined;
  try {
    const dockerfile = dir ? join(dir, 'Dockerfile') : undefined;
    if (dockerfile) writeFileSync(dockerfile, row.dockerfile!);
    const severities: Record<string, 'off'> = {};
    for (const r of await loadImageRules()) if (r.meta.code !== rule.meta.code) severities[r.meta.code] = 'off';
    const result = await analyze({ image: built.path, workers: 0, dockerfile, severities });
    return result.findings;
  } finally {
    built.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

export function runImageRuleTests(rule: ImageRule, rows: { valid: ImageRow[]; invalid: InvalidRow[] }): void {
  const names = [...rows.valid, ...rows.invalid].map((r) => r.name);
  if (new Set(names).size !== names.length) throw new Error(`duplicate row names in ${rule.meta.name} tests`);
  describe(`${rule.meta.code} ${rule.meta.name}`, () => {
    it('declares every messageId it uses and has a doc page', () => {
      expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
      expect(rule.meta.target).toBe('image');
      expect(rule.meta.code).toMatch(/^IM\d{3}$/);
    });
    for (const row of rows.valid) {
      it(`valid: ${row.name}`, async () => {
        expect(await findingsFor(rule, row)).toEqual([]);
      });
    }
    for (const row of rows.invalid) {
      it(`invalid: ${row.name}`, async () => {
        const findings = await findingsFor(rule, row);
        expect(findings.map((f) => f.messageId)).toEqual(row.errors.map((e) => e.messageId));
        row.errors.forEach((e, i) => {
          const f = findings[i];
          const loc = f.location as { layerIndex?: number; path?: string; line?: number; group?: string };
          if (e.layerIndex !== undefined) expect(loc.layerIndex).toBe(e.layerIndex);
          if (e.path !== undefined) expect(loc.path).toBe(e.path);
          if (e.line !== undefined) expect(loc.line).toBe(e.line);
          if (e.group !== undefined) expect(loc.group).toBe(e.group);
          if (e.bytes !== undefined) expect(f.bytes).toBe(e.bytes);
          if (e.message !== undefined) expect(f.message).toContain(e.message);
          expect(f.code).toBe(rule.meta.code);
        });
      });
    }
  });
}
