// Helpers the standalone benchmarks share: reading `--name value` options and taking medians.

/** Removes `name value` from `args` and returns the value (or `fallback` when absent). */
export function takeOption(args, name, fallback) {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
