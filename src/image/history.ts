// config.history <-> layers. History is a superset of layers: `empty_layer` steps (ENV, CMD, ...) make none.
// When the non-empty steps do not add up to the layer count, attribution is marked unknown rather than
// shifted, because a shifted mapping would blame the wrong instruction.
import type { ConfigFile, HistoryEntry } from './types.js';

export interface HistoryStep {
  /** Position in config.history. */
  index: number;
  created?: string;
  createdBy: string;
  /** created_by in Dockerfile terms: `RUN apt-get ...`, `COPY ...`, `CMD ["sh"]`. */
  instruction: string;
  comment?: string;
  emptyLayer: boolean;
  /** The layer this step made, when the mapping is known. */
  layerIndex?: number;
}

export interface HistoryMap {
  steps: HistoryStep[];
  /** For each layer, the step that made it (undefined when the mapping is unknown). */
  layerSteps: (HistoryStep | undefined)[];
  /** False when history is absent or its non-empty steps do not match the layer count. */
  known: boolean;
}

/**
 * Turns a created_by string into the instruction it came from, across builder dialects:
 * classic `/bin/sh -c #(nop)  CMD ["sh"]` and `/bin/sh -c apt-get ...`, BuildKit `RUN /bin/sh -c ... # buildkit`
 * and `COPY x / # buildkit`, buildah `/bin/sh -c #(nop) COPY dir:<hash> in /a`, kaniko `RUN cp ...`.
 */
export function cleanCreatedBy(createdBy: string | undefined): string {
  let text = (createdBy ?? '').trim();
  if (text === '') return '';
  text = text.replace(/\s+#\s*buildkit$/, '');
  // The classic builder writes a metadata step as the SHELL in effect then `#(nop)`: `/bin/sh -c #(nop) ENV ...`, and
  // after `SHELL ["/bin/sh", "-ec"]` `/bin/sh -ec #(nop) COPY ...`.
  const nop = /^(?:\S*\/)?\w*sh(?:\s+[^\s#]+)*?\s+#\(nop\)\s*(.*)$/s.exec(text);
  if (nop) return nop[1].trim();
  // A RUN is recorded as the SHELL's argv then the script: `/bin/sh -c`, or after `SHELL ["/bin/bash", "-o",
  // "pipefail", "-c"]` `/bin/bash -o pipefail -c`, `SHELL ["sh", "-ec"]` `sh -ec` (the flag that takes the script
  // may be joined with others); build args in front (`|1 A=b`); BuildKit puts `RUN ` first.
  const body = withoutBuildArgs(text.replace(/^RUN /, ''), (rest) => SHELL_RUN.test(rest));
  const shell = SHELL_RUN.exec(body);
  if (shell) return `RUN ${shell[1].trim()}`;
  return text;
}

/**
 * An instruction in Dockerfile terms (cleanCreatedBy's) in one spelling whatever builder recorded it, for telling
 * whether two steps are the same: two builds of one Dockerfile line get the same key. Runs of spaces are folded (a
 * line continuation leaves them, and the classic builder writes `#(nop)  ENV` with two). ENV and LABEL lose their
 * quotes, as the classic builder records the values it parsed (`LABEL a=x y`) and buildah the line as written
 * (`LABEL a="x y"`); a changed value still shows, and the config's env and labels give it exactly. An exec-form CMD or
 * ENTRYPOINT is written as JSON, as buildah keeps it, where the classic builder writes Go's `["a" "b"]`; a shell-form
 * one as the argv the default shell runs, which is how the classic builder records it (`CMD ["/bin/sh" "-c" "x"]`).
 * EXPOSE's ports are listed with their protocol, in order.
 */
export function instructionKey(instruction: string): string {
  const text = instruction.replace(/\s+/g, ' ').trim();
  const [, name, rest] = /^(\S+) ?(.*)$/s.exec(text) ?? [];
  if (name === undefined) return text;
  switch (name.toUpperCase()) {
    case 'ENV':
    case 'LABEL': {
      const values = rest
        .replace(/["'\\]/g, '')
        .replace(/\s+/g, ' ')
        .trim();
      // The older `ENV A 1 2` form, which the classic builder records as `ENV A=1 2`.
      const legacy = /^([^\s=]+) (.*)$/s.exec(values);
      return `${name} ${legacy ? `${legacy[1]}=${legacy[2]}` : values}`;
    }
    case 'EXPOSE': {
      // BuildKit writes the config's port map as Go prints it, `map[8080/tcp:{}]`; a port without a protocol is TCP.
      const ports = (/^map\[(.*)\]$/s.exec(rest)?.[1].replace(/:\{\}/g, '') ?? rest).split(' ').filter(Boolean);
      return `${name} ${ports
        .map((p) => (p.includes('/') ? p : `${p}/tcp`))
        .sort()
        .join(' ')}`;
    }
    case 'CMD':
    case 'ENTRYPOINT': {
      const argv = execForm(rest) ?? (rest.startsWith('[') ? undefined : ['/bin/sh', '-c', rest]);
      return argv === undefined ? text : `${name} ${JSON.stringify(argv)}`;
    }
    default:
      return text;
  }
}

/** The argv of an exec-form list, JSON (`["a", "b"]`) or Go's (`["a" "b"]`); undefined for anything else. */
function execForm(text: string): string[] | undefined {
  if (!/^\[.*\]$/s.test(text)) return undefined;
  const words = [...text.matchAll(/"(?:[^"\\]|\\.)*"/g)].map((m) => m[0]);
  if (
    text
      .slice(1, -1)
      .replace(/"(?:[^"\\]|\\.)*"/g, '')
      .replace(/[\s,]/g, '') !== ''
  )
    return undefined;
  try {
    return words.map((w) => JSON.parse(w) as string);
  } catch {
    return undefined;
  }
}

// A shell's argv up to the flag that takes the script (`-c`, or joined with others: `-ec`), then the script.
const SHELL_RUN = /^(?:\S*\/)?\w*sh(?:\s+(?!-[A-Za-z]*c\s)\S+)*?\s+-[A-Za-z]*c\s+(.*)$/s;

/**
 * A history line without the build args the builders write in front of a RUN's command (`|2 A=1 B=x y /bin/sh -c
 * make` -> `/bin/sh -c make`), found by where `isCommand` says the command starts; the line as it is when it has no
 * such prefix or no place fits. The values are unquoted, spaces and all: `|N` says how many args there are, and each
 * value takes the words up to the next name= or, for the last, up to the command (words with no `=` after the first:
 * a value free to span a name= would split the prefix in as many ways as there are words).
 */
export function withoutBuildArgs(line: string, isCommand: (rest: string) => boolean): string {
  const count = /^\|(\d+) /.exec(line)?.[1];
  if (count === undefined) return line;
  const words = [...line.matchAll(/\S+/g)].slice(1);
  let at = 0;
  for (let arg = 0; arg < Number(count); arg += 1) {
    if (at >= words.length || !/^[^=]+=/.test(words[at][0])) return line;
    at += 1;
    if (arg < Number(count) - 1) while (at < words.length && !words[at][0].includes('=')) at += 1;
  }
  // The last value's words end where the command starts.
  for (; at < words.length; at += 1) {
    const rest = line.slice(words[at].index);
    if (isCommand(rest)) return rest;
    if (words[at][0].includes('=')) break;
  }
  return line;
}

export function mapHistory(config: Pick<ConfigFile, 'history'>, layerCount: number): HistoryMap {
  const history: HistoryEntry[] = Array.isArray(config.history) ? config.history : [];
  const steps: HistoryStep[] = history.map((entry, index) => ({
    index,
    created: entry.created,
    createdBy: entry.created_by ?? '',
    instruction: cleanCreatedBy(entry.created_by),
    comment: entry.comment,
    emptyLayer: entry.empty_layer === true,
  }));
  const nonEmpty = steps.filter((s) => !s.emptyLayer);
  const known = nonEmpty.length === layerCount && layerCount > 0;
  const layerSteps: (HistoryStep | undefined)[] = new Array(layerCount).fill(undefined);
  if (known) {
    nonEmpty.forEach((step, i) => {
      step.layerIndex = i;
      layerSteps[i] = step;
    });
  }
  return { steps, layerSteps, known };
}
