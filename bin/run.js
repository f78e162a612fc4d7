#!/usr/bin/env node
// The ballast executable: runs the compiled oclif commands and turns every failure into one line and exit code 2.
import { main } from '../dist/src/main.js';

await main(process.argv.slice(2), import.meta.url);
