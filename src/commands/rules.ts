import { Args } from '@oclif/core';
import type { RulesResult } from '../services/rules.js';
import { BaseCommand } from './base.js';

export default class Rules extends BaseCommand {
  static override summary = "List the lint rules, or show one rule's documentation.";
  static override description =
    'With --json: {"rules": [...]} lists every rule; with a rule, {"rule": {...}} is that rule alone, its page in doc.';
  static override examples = [
    '<%= config.bin %> rules',
    '<%= config.bin %> rules DF001',
    '<%= config.bin %> rules DL3009',
    '<%= config.bin %> rules SC2086',
    '<%= config.bin %> rules --json',
    '<%= config.bin %> rules DF001 --json',
  ];
  static override args = {
    rule: Args.string({
      description:
        'a rule code, name, hadolint id, BuildKit check name (JSONArgsRecommended) or ShellCheck code (SC2086)',
    }),
  };

  async run(): Promise<RulesResult> {
    const { args } = await this.parse(Rules);
    const [{ listRules }, { renderRules }] = await Promise.all([
      import('../services/rules.js'),
      import('../reporters/rules-text.js'),
    ]);
    const result = await listRules({ code: args.rule });
    await this.emit(() => renderRules(result, { color: this.color(), width: this.width() }));
    return result;
  }
}
