// The cases every unpinned-package rule shares about a package list held in ARG/ENV (DF105, DF107, DF108, DF211,
// DF214, DF217, DF219), each suite giving its own base image, install command and pin.
import type { InvalidCase } from '../../src/lint/rule-tester.js';

/**
 * A package from ARG/ENV is named by its value, one word or several: the value is what to pin (a one-word `$PKG` was
 * named `$PKG`, e.g. `$PKG=<version>`, by some rules). A quoted "$PKGS" holding several words is one argument, named as
 * written; pinning it means pinning each package inside its value (`$PKGS=<version>` breaks the build).
 *
 * `from` is the FROM line, `install` the install command as written before its packages (`npm install -g`), and `pin`
 * the example pin of a package (`curl=<version>`). The message names the command without its options (`npm install`).
 */
export function packageVariableCases(from: string, install: string, pin: (pkg: string) => string): InvalidCase[] {
  const command = install
    .split(' ')
    .filter((word) => !word.startsWith('-'))
    .join(' ');
  return [
    [`${install} $PKG`, `\`${command} curl\` does not pin a version (e.g. \`${pin('curl')}\`)`],
    [`${install} "$PKG"`, `\`${command} curl\` does not pin a version (e.g. \`${pin('curl')}\`)`],
    [`${install} $PKGS`, `\`${command} curl jq\` does not pin versions (e.g. \`${pin('curl')}\`)`],
    [`${install} "$PKGS"`, `\`${command} $PKGS\` does not pin a version (pin each package in PKGS)`],
  ].map(([run, named]) => ({
    code: `${from}\nARG PKG=curl\nENV PKGS="curl jq"\nRUN ${run}`,
    errors: [{ messageId: 'unpinned', line: 4, message: `${named}: rebuilds install whatever is newest.` }],
  }));
}
