// A RUN `--mount` as the builder reads its options, in one place for the lint engine, the stage model and the rules:
// option names in any case, `dst`/`destination` for `target`, `src` for `source`, `ro` for `readonly`, the type in any
// case and `bind` when none is given. Each reader spelling the synonyms itself let them drift apart (some read `dst`,
// some did not; some took `TARGET=`, some did not).
import type { Instruction, InstructionFlag } from './parse.js';

export interface Mount {
  /** Lower-cased; `bind` when the mount gives none. */
  type: string;
  /** The path it mounts at, as written (variables unresolved); '' when none is given. */
  target: string;
  /** What it mounts (a path in the context or in `from`), as written; undefined when none is given. */
  source?: string;
  /** The stage or image a mount takes its files from. */
  from?: string;
  /**
   * Every option by its lower-case name, synonyms under the one name above (`readonly` for `ro`). A name written
   * twice keeps its last value, as in the builder.
   */
  options: Readonly<Record<string, string>>;
  /** The flag's value as written: `type=cache,target=/root/.npm`. */
  text: string;
}

const SYNONYMS: Readonly<Record<string, string>> = {
  dst: 'target',
  destination: 'target',
  src: 'source',
  ro: 'readonly',
};

/** The mount a `--mount` flag describes (see Mount). */
export function mountSpec(flag: InstructionFlag): Mount {
  const options: Record<string, string> = {};
  for (const [key, value] of Object.entries(flag.options)) {
    const name = key.toLowerCase();
    options[SYNONYMS[name] ?? name] = value;
  }
  return {
    type: (options.type ?? 'bind').toLowerCase(),
    target: options.target ?? '',
    source: options.source,
    from: options.from,
    options,
    text: flag.value,
  };
}

/** The mounts of an instruction's `--mount` flags, in order. */
export function mountsOf(instruction: Instruction): Mount[] {
  return instruction.flagList.filter((f) => f.name === 'mount').map(mountSpec);
}
