// The rules service: every registered rule's metadata, and one rule's documentation page.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAllRuleMeta } from '../../rules/index.js';
import { UsageError } from '../errors.js';
import type { RuleMeta } from '../report/types.js';

/**
 * Every rule, or with a code or name that rule alone, with its doc page (markdown): `rules IM001 --json` is asked
 * about one rule, and the list of all of them around it hid it.
 */
export type RulesResult = { rules: RuleMeta[]; rule?: never } | { rule: RuleMeta & { doc?: string }; rules?: never };

/** The package root (where rules/**\/*.md ship), found from this module's location in src/ or dist/src/. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i += 1) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'rules'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export async function listRules(options: { code?: string } = {}): Promise<RulesResult> {
  const rules = await loadAllRuleMeta();
  if (!options.code) return { rules };
  const key = options.code;
  const meta = rules.find(
    (r) =>
      r.code === key.toUpperCase() ||
      r.name === key ||
      r.sources.some((s) => s.relation === 'same' && s.id.toUpperCase() === key.toUpperCase()),
  );
  if (!meta)
    throw new UsageError(`no rule ${key}`, {
      code: 'unknown-rule',
      hint: 'run `ballast rules` to list codes and names',
    });
  const docPath = join(packageRoot(), 'rules', meta.target, `${meta.name}.md`);
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : undefined;
  return { rule: { ...meta, doc } };
}
