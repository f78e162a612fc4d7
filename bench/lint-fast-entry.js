#!/usr/bin/env node
// What bin/run.js would do for `ballast lint ...` with the fast path wired in: used by bench/lint.js to measure it.
import { runLintCli } from '../dist/src/lint/cli.js';

process.exitCode = await runLintCli(process.argv.slice(2));
