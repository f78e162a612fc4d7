// SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Check, Finding, RuleMeta } from '../report/types.js';
import type { FingerprintKey, Reporter } from './index.js';
import {
  budgetRule,
  checkTargets,
  findingFile,
  findingPosition,
  imageFindingIdentity,
  numberKeys,
  referencedImage,
  repeatCounter,
  repositoryPath,
  rootedPath,
  withHint,
} from './index.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'note', style: 'note' } as const;

function ruleDescriptor(meta: RuleMeta): Record<string, unknown> {
  const same = meta.sources.filter((s) => s.relation === 'same').map((s) => `${s.tool}:${s.id}`);
  return {
    id: meta.code,
    name: meta.name,
    shortDescription: { text: meta.summary },
    fullDescription: { text: `${meta.summary}.` },
    help: { text: `Run \`ballast rules ${meta.code}\` for the full description.` },
    defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
    properties: { tags: [meta.type, meta.target, ...same], precision: 'high' },
  };
}

// A budget of the ci gate as a SARIF rule, so code scanning lists failed budgets next to rule findings.
function budgetDescriptor(check: Check): Record<string, unknown> {
  return {
    id: `budget/${check.id}`,
    name: budgetRule(check.id),
    shortDescription: { text: `Budget: ${check.title}` },
    // Named by where its limit came from: a dive rule from a .dive-ci or a flag is no budget of the ci: section.
    fullDescription: {
      text: check.origin
        ? `The ${check.id} check of ballast ci, set by ${check.origin}.`
        : `The ${check.id} check of ballast ci.`,
    },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['budget', 'size'], precision: 'high' },
  };
}

/**
 * Where a result is, as an artifactLocation. The rule for its URI: a path inside the checkout (which %SRCROOT% names:
 * the CI system's repository root, else the directory ballast ran in) is a relative reference from it, `/`-separated and percent-encoded, with uriBaseId
 * %SRCROOT%, as code scanning maps it onto the repository. Any other path (an image archive in /tmp, an absolute
 * path elsewhere, `../Dockerfile`) is an absolute `file:` URI with no uriBaseId: a base applies to relative references
 * only, and an absolute path or `..` joined to %SRCROOT% names no file under it. An image named by a reference (a
 * registry's, a daemon's) is no file: its name, percent-encoded, with no uriBaseId, so that it is never read as a
 * path under %SRCROOT%.
 */
function artifactLocation(file: string, cwd: string, root?: string): { uri: string; uriBaseId?: string } {
  const inside = repositoryPath(file, cwd, root);
  if (inside === undefined) return { uri: pathToFileURL(resolve(cwd, file)).href };
  return { uri: inside.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

// A ShellCheck code found in a RUN script: not a ballast rule, so the report has no metadata for it, but code scanning
// shows a result without a rule entry with no description or help.
function shellcheckDescriptor(code: string, level: Finding['severity']): Record<string, unknown> {
  return {
    id: code,
    name: code,
    shortDescription: { text: `ShellCheck ${code} in a RUN script` },
    fullDescription: { text: `ShellCheck's ${code}, reported on the RUN instruction whose script has it.` },
    helpUri: `https://www.shellcheck.net/wiki/${code}`,
    help: { text: `See https://www.shellcheck.net/wiki/${code}.` },
    defaultConfiguration: { level: LEVEL[level] },
    properties: { tags: ['shellcheck'], precision: 'high' },
  };
}

export const renderSarif: Reporter = (report, options) => {
  const budgets = (report.checks ?? []).filter((c) => c.status === 'fail');
  const shellcheck = new Map<string, Finding['severity']>();
  for (const target of report.targets)
    for (const f of target.findings)
      if (!(f.code in report.rules) && /^SC\d+$/.test(f.code) && !shellcheck.has(f.code))
        shellcheck.set(f.code, f.severity);
  const scCodes = [...shellcheck.keys()].sort();
  const codes = [...Object.keys(report.rules).sort(), ...budgets.map((c) => `budget/${c.id}`), ...scCodes];
  const index = new Map(codes.map((code, i) => [code, i]));
  const onLine = repeatCounter();
  /**
   * What code scanning knows a result by from one run to the next, for the results a hash of their line's text (what
   * code scanning computes for a result without one) would not tell: a failed budget points at its biggest place,
   * which moves as sizes change, so it is its id on its file (the Dockerfile or the image, as GitLab's fingerprint in
   * the codeclimate format); an image finding points at the instruction that brought its file in, which the other
   * files of that layer share, so it is its rule, file and path in the image (not its size, which changes); for a
   * group of files (IM002's caches of a class in a layer), whose path is its largest file and changes as sizes do,
   * it is the group and its layer, named by the instruction that made it (layerKey), which a layer inserted above does
   * not change as it does the layer's index. A result that repeats a key is numbered, as the first keeps the one it
   * has alone; image findings in layer order (numberKeys), as their report order follows size and would swap them.
   * Dockerfile findings keep code scanning's hash of their line, which follows the line as others are added above it.
   * The key is `primaryLocationLineHash`, the one code scanning matches alerts by; its upload action keeps one that
   * is there.
   *
   * That hash is of the line's text alone, so it is the same for every result on the line, and code scanning shows the
   * results of one rule with one fingerprint as one alert (SARIF's partialFingerprints make a result's identity): a
   * rule that fires twice on a line (ShellCheck's SC2086 on `RUN echo $a $b`) would lose the second. Its second and
   * later results there get a key of their own, of rule, file, message and their number on the line (not the line
   * number, which moves as lines are added above), numbered again when another line has the same; the first keeps
   * the hash of its line.
   */
  const fingerprintKey = (finding: Finding, uri: string, line: number | undefined): FingerprintKey | undefined => {
    if (finding.location.kind !== 'image') {
      const repeat = onLine(JSON.stringify([finding.code, uri, line]));
      if (repeat === 0) return undefined;
      return { key: JSON.stringify([finding.code, uri, finding.message, repeat]) };
    }
    if (finding.messageId === 'budget') return { key: JSON.stringify([finding.code, uri, '']) };
    const what = imageFindingIdentity(finding.location, finding.messageId);
    return { key: JSON.stringify([finding.code, uri, what]), layerIndex: finding.location.layerIndex };
  };
  // Filled in once every result's key is known, as a repeat's number depends on the ones after it in report order.
  const fingerprints: { key: FingerprintKey | undefined; into?: Record<string, string> }[] = [];
  const results = [
    ...report.targets,
    // A failed budget's advice names its file as the result's location does (from the root, absolute outside it).
    ...checkTargets(report, (file) => rootedPath(file, options.cwd, options.root)),
  ].flatMap((target) =>
    target.findings.map((finding: Finding) => {
      const at = findingPosition(finding, target.target);
      // An image finding on no Dockerfile line is on the image file, as it was named (the target adds a tag).
      const file = findingFile(finding, target.target);
      const image = referencedImage(finding);
      const where =
        image === undefined
          ? artifactLocation(file, options.cwd, options.root)
          : { uri: image.split('/').map(encodeURIComponent).join('/') };
      const region: Record<string, number> = {};
      if (at.line !== undefined) {
        region.startLine = at.line;
        if (at.column !== undefined) region.startColumn = at.column;
        if (at.endLine !== undefined) region.endLine = at.endLine;
        if (at.endColumn !== undefined) region.endColumn = at.endColumn;
      }
      const result: Record<string, unknown> = {
        ruleId: finding.code,
        level: LEVEL[finding.severity],
        message: { text: finding.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: where,
              ...(at.line !== undefined ? { region } : {}),
            },
            ...(finding.location.kind === 'image' && finding.location.path
              ? { logicalLocations: [{ name: finding.location.path, kind: 'resource' }] }
              : {}),
          },
        ],
      };
      if (index.has(finding.code)) result.ruleIndex = index.get(finding.code);
      const key = fingerprintKey(finding, where.uri, at.line);
      const into = key ? {} : undefined;
      if (into) result.partialFingerprints = into;
      fingerprints.push({ key, into });
      if (finding.bytes !== undefined) result.properties = { reclaimableBytes: finding.bytes };
      if (finding.fix && finding.fix.edits.length > 0) {
        // An edit to a build-context file (DF025's new .dockerignore) is a change of that file, which the report names
        // from the working directory: on the Dockerfile's artifact, a consumer applying fixes would paste it there.
        const changes = new Map<string, { artifactLocation: typeof where; replacements: unknown[] }>();
        for (const e of finding.fix.edits) {
          const at = e.context ? artifactLocation(e.file, options.cwd, options.root) : where;
          const change = changes.get(at.uri) ?? { artifactLocation: at, replacements: [] };
          changes.set(at.uri, change);
          change.replacements.push({
            deletedRegion: {
              startLine: e.range.line,
              startColumn: e.range.column,
              endLine: e.range.endLine,
              endColumn: e.range.endColumn,
            },
            insertedContent: { text: e.text },
          });
        }
        result.fixes = [{ description: { text: finding.fix.title }, artifactChanges: [...changes.values()] }];
      }
      return result;
    }),
  );
  numberKeys(fingerprints.map((f) => f.key)).forEach((key, i) => {
    const into = fingerprints[i].into;
    if (key !== undefined && into)
      into.primaryLocationLineHash = createHash('sha256').update(key).digest('hex').slice(0, 32);
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            informationUri: 'https://github.com/ballast-dev/ballast',
            rules: [
              ...Object.keys(report.rules)
                .sort()
                .map((code) => ruleDescriptor(report.rules[code])),
              ...budgets.map(budgetDescriptor),
              ...scCodes.map((code) => shellcheckDescriptor(code, shellcheck.get(code)!)),
            ],
          },
        },
        columnKind: 'unicodeCodePoints',
        // Files that could not be read: the run did not finish, and code scanning must not take it for a clean one.
        ...(report.unreadable?.length
          ? {
              invocations: [
                {
                  executionSuccessful: false,
                  exitCode: 2,
                  toolExecutionNotifications: report.unreadable.map((e) => ({
                    level: 'error',
                    message: { text: withHint(e) },
                    descriptor: { id: e.code },
                  })),
                },
              ],
            }
          : {}),
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
};
