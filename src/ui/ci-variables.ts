// The CI variables, read the way ink reads them (its is-in-ci check): CI or CONTINUOUS_INTEGRATION set to anything but
// `0` or `false`. `CI=false` is how a shell says "not CI" (some tools' users export it). One place for both uses: the
// progress bar stays silent in CI (its output ends up in a log), and the full-screen view drops the variables before
// ink loads.

/** Whether `env` says this is a CI job. */
export function inCi(env: NodeJS.ProcessEnv): boolean {
  const set = (value: string | undefined) => value !== undefined && value !== '0' && value !== 'false';
  return set(env.CI) || set(env.CONTINUOUS_INTEGRATION);
}

/**
 * Drops the variables ink takes for a CI run. Call it before ink is first imported. ink reads them once, when it is
 * imported, and in CI draws nothing until it unmounts (only the last frame, for a CI log). The full-screen view runs
 * only when both ends are a terminal, so a person is looking: a CI variable left in their shell, or set by a CI job
 * that opens a terminal, must not freeze it.
 */
export function forgetCi(): void {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
}
