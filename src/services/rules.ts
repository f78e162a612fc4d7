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
export type RulesResult =
  { rules: RuleMeta[]; rule?: never } | { rule: (RuleMeta & { doc?: string }) | ShellcheckCheck; rules?: never };

/**
 * A ShellCheck check (`rules SC2086`): no rule of ballast's, but `lint` reports its findings under its code, and
 * pragmas, `rules:`, `ignore.rules` and `--ignore` take the code as a rule's. ShellCheck documents it, not ballast.
 */
export interface ShellcheckCheck {
  code: string;
  name: string;
  tool: 'shellcheck';
  target: 'dockerfile';
  summary: string;
  url: string;
  /** Where `ballast lint` reports the check otherwise than hadolint does, and why. */
  differs?: string;
}

// ShellCheck's codes lint reports otherwise than hadolint does (src/lint/word-splitting.ts for SC2086), given the
// commands whose package lists lint exempts (from the table it reads, so the page names the same ones).
const SHELLCHECK_DIFFERS: Record<string, (packageLists: string) => string> = {
  SC2086: (packageLists) =>
    `lint leaves it out for a variable that is a whole package list given to a package manager (${packageLists}; also behind sudo, env, nice, time, command or xargs), as in \`apt-mark manual $savedAptMark\` or \`apk add --virtual .run-deps $runDeps\`: there the splitting is the point, and quoting it as advised names one package "a b c" and breaks the build. Everywhere else (\`cd $DIR\`, an option's value such as \`-t $RELEASE\`, \`lib$X-dev\`) it is reported as hadolint reports it.`,
};

const shellcheckUrl = (code: string): string => `https://www.shellcheck.net/wiki/${code}`;

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
  // The codes the config and --ignore take as ShellCheck's (SC and four digits); the binary, not ballast, knows which
  // exist, so any of them is answered, bar those lint never asks ShellCheck for.
  const shellcheck = !meta && /^SC\d{4}$/i.test(key) ? key.toUpperCase() : undefined;
  // Loaded only for such a code: the ShellCheck runner's module is not on the way of `rules` otherwise.
  const excluded = shellcheck ? (await import('../lint/shellcheck.js')).EXCLUDED_CODES : [];
  const differs = shellcheck ? SHELLCHECK_DIFFERS[shellcheck] : undefined;
  if (shellcheck && !excluded.includes(shellcheck))
    return {
      rule: {
        code: shellcheck,
        name: shellcheck,
        tool: 'shellcheck',
        target: 'dockerfile',
        summary: `ShellCheck's ${shellcheck}, reported by \`ballast lint\` on the RUN whose script has it, at ShellCheck's level (when a shellcheck binary is found)`,
        url: shellcheckUrl(shellcheck),
        ...(differs ? { differs: differs((await import('../lint/word-splitting.js')).packageListCommands()) } : {}),
      },
    };
  if (!meta)
    throw new UsageError(`no rule ${key}`, {
      code: 'unknown-rule',
      hint: shellcheck
        ? `ShellCheck's ${shellcheck} is left out of \`ballast lint\`, as hadolint leaves it out: ${shellcheckUrl(shellcheck)}`
        : 'run `ballast rules` to list codes and names',
    });
  const docPath = join(packageRoot(), 'rules', meta.target, `${meta.name}.md`);
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : undefined;
  return { rule: { ...meta, doc } };
}
