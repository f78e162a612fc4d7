// ink reads CI and CONTINUOUS_INTEGRATION once, when it is first imported, and in CI draws nothing until it unmounts
// (only the last frame, for a CI log). The full-screen view runs only when both ends are a terminal, so a person is
// looking: a CI variable left in their shell, or set by a CI job that opens a terminal, must not freeze it.

/** Drops the variables ink takes for a CI run. Call it before ink is first imported. */
export function forgetCi(): void {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
}
