#!/usr/bin/env node
// How `ballast lint` scales with hostile Dockerfile shapes (run after `npm run build`): `node bench/lint-scale.js`.
// For each shape (N RUN instructions, one RUN continued over N package lines for apt-get and apk, one heredoc of N
// lines, an ONBUILD chain N deep) prints the time to lint it in-process (no ShellCheck) at growing N. Nothing is
// asserted: the time per line should stay about flat as N grows (it was quadratic for several of these).
// --quick: the two smallest sizes only.
import { performance } from 'node:perf_hooks';
import { loadDockerfileRules } from '../dist/rules/index.js';
import { lintText } from '../dist/src/lint/engine.js';
import { quick } from './common.js';

const SIZES = quick ? [1_000, 5_000] : [1_000, 5_000, 20_000, 100_000];
const continued = (command, n) =>
  [`RUN ${command} \\`, ...Array.from({ length: n }, (_, i) => `  pkg${i} \\`), '  last'].join('\n');
const SHAPES = {
  'RUN true x N': (n) => Array.from({ length: n }, () => 'RUN true').join('\n'),
  'apt-get install, N lines': (n) => continued('apt-get install -y', n),
  'apk add, N lines': (n) => continued('apk add', n),
  'heredoc, N lines': (n) => ['RUN <<EOF', ...Array.from({ length: n }, (_, i) => `echo ${i}`), 'EOF'].join('\n'),
  'ONBUILD x N': (n) => `${'ONBUILD '.repeat(n)}RUN apt-get install x`,
};

const rules = await loadDockerfileRules();
for (const [shape, body] of Object.entries(SHAPES)) {
  for (const n of SIZES) {
    const text = `FROM alpine:3.19\n${body(n)}\n`;
    const start = performance.now();
    const findings = lintText(text, 'Dockerfile', rules).findings.length;
    const ms = performance.now() - start;
    console.log(
      `${shape.padEnd(26)} N=${String(n).padStart(7)}  ${(text.length / 1e6).toFixed(2)} MB  ${ms.toFixed(0).padStart(7)} ms  ${((ms * 1000) / n).toFixed(1)} µs/line  ${findings} findings`,
    );
  }
}
