// Prints jest's totals as one plain "tests: N passed, N failed, N skipped" line, the closing line CI reads.
// Written at process exit so that it comes after jest's own summary.
//
// A skipped test is a check that did not run (no real-image corpus, a tool missing), so a run with skipped tests
// fails unless BALLAST_ALLOW_SKIP=1 says that is intended; the skipped count is in the closing line either way.
// Tests left out by `-t PATTERN` are reported as skipped by jest too; a run with -t is not held to this.
class SummaryReporter {
  constructor(globalConfig) {
    this.filtered = Boolean(globalConfig && globalConfig.testNamePattern);
    this.root = `${(globalConfig && globalConfig.rootDir) || process.cwd()}/`;
    this.error = undefined;
  }

  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const allowed = process.env.BALLAST_ALLOW_SKIP === '1';
    const lines = [];
    if (skipped > 0 && !allowed && !this.filtered) {
      this.error = new Error(`${skipped} tests skipped`);
      const files = results.testResults
        .filter((file) => file.numPendingTests + file.numTodoTests > 0)
        .map((file) => `${file.testFilePath.replace(this.root, '')} (${file.numPendingTests + file.numTodoTests})`);
      lines.push(
        `error: ${skipped} tests were skipped, so this run did not check everything: ${files.join(', ')} ` +
          '(hint: bash scripts/setup-tests.sh installs the tools and builds the real-image corpus; ' +
          'BALLAST_ALLOW_SKIP=1 if skipping is intended)',
      );
    }
    lines.push(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`);
    process.once('exit', () => process.stdout.write(`${lines.join('\n')}\n`));
  }

  // jest fails the run (exit code 1) when a reporter has an error after onRunComplete.
  getLastError() {
    return this.error;
  }
}
module.exports = SummaryReporter;
