// Lists in running text and in one-line messages, for the reports and for every message that names several things.
import { formatCount } from './figures.js';

/**
 * The first `max` of `items` joined by `separator`, then how many more. Lists in one-line messages come from the input
 * (an archive's images, an index's platforms): a docker-save archive of 10,000 images made a 218 KB notice line.
 */
export function someOf(items: readonly string[], separator = ', ', max = 20): string {
  if (items.length <= max) return items.join(separator);
  return `${items.slice(0, max).join(separator)}${separator}and ${items.length - max} more`;
}

/** `a`, `a and b`, `a, b and c`: items in running text. */
export function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * `listed` of the first `max` items and a count of the rest ("`a`, `b` and 9,998 more"): for lists a config writes,
 * which may run to thousands (10,000 ci.images patterns made one note of 129 KB).
 */
export function listedAtMost(items: readonly string[], max = 5): string {
  return items.length <= max
    ? listed(items)
    : listed([...items.slice(0, max), `${formatCount(items.length - max)} more`]);
}
