#!/usr/bin/env node
// The ballast executable: runs the compiled oclif commands and turns every failure into one line and exit code 2.
// `ballast lint FILE...` takes a fast path that skips loading oclif (about half of a cold start), because pre-commit
// runs it on every commit; it accepts the same flags and prints the same output (test/lint/fast-cli.test.ts).
// Help, the version, --debug, --verify and --image (slow anyway: a build, an image analysis) still go through oclif; BALLAST_NO_FAST_PATH=1 sends everything there (the test compares both).
// Ctrl-C / SIGTERM -> 130 / 143 with temp files removed, in every command and from before oclif loads.
const argv = process.argv.slice(2);
// Node's console, which oclif prints through, warns on stderr that NO_COLOR "is ignored" whenever FORCE_COLOR is set
// too. ballast settles the two itself (src/report/color.ts: a non-empty NO_COLOR wins, an empty one is unset), so the
// one it ignores is dropped before anything prints.
if (process.env.FORCE_COLOR !== undefined && process.env.NO_COLOR !== undefined) {
  if (process.env.NO_COLOR) delete process.env.FORCE_COLOR;
  else delete process.env.NO_COLOR;
}
// `explore` silences the terminal first thing, before oclif loads: a `q` typed in that time was echoed (see muteEarly).
if (argv[0] === 'explore')
  (await import('../dist/src/ui/hold-keys.js')).muteEarly(process.stdin, process.stdout, argv.slice(1), process.env);
(await import('../dist/src/temp-files.js')).exitCleanly();
// A command that walks a large image gets its layer workers started now, while oclif loads (src/analysis/early-workers.ts).
if (['analyze', 'diff', 'ci', 'explore'].includes(argv[0]) || (argv[0] === 'bases' && argv.includes('--deep'))) {
  const early = await import('../dist/src/analysis/early-workers.js');
  early.startWorkers(early.earlyWorkerCount(argv.slice(1), process.env));
}
const fastPath = process.env.BALLAST_NO_FAST_PATH !== '1';
if (
  fastPath &&
  argv[0] === 'lint' &&
  !argv.some(
    (a) =>
      a === '--help' ||
      a === '-h' ||
      a === '--version' ||
      a === '-v' ||
      a === '--debug' ||
      a.startsWith('--debug=') ||
      a.startsWith('--verify') ||
      a.startsWith('--image'),
  )
) {
  const { runLintCli } = await import('../dist/src/lint/cli.js');
  process.exitCode = await runLintCli(argv.slice(1));
} else {
  // oclif checks the running Node against its own engines range as it loads, which loads semver (11 files): ~25 ms of
  // every start, and ballast's own range (package.json, >= 20) is the narrower one.
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1';
  const { main } = await import('../dist/src/main.js');
  await main(argv, import.meta.url);
}
