/**
 * Says that a suite's outside dependency (a database, a server, a tool) is missing: the suite
 * is skipped with a message naming what is missing and how to provide it, or, with
 * `PATCHBAY_TEST_REQUIRE_ALL=1` (CI), this throws so that the test file fails instead of
 * passing silently. Returns false, for `describe.skipIf(!enabled)`.
 *
 * @example
 * if (!existsSync(ffmpegPath)) return skipSuite('video nodes', 'ffmpeg is not installed', 'apt-get install ffmpeg')
 */
export function skipSuite(suite: string, problem: string, remedy: string): false {
  if (process.env.PATCHBAY_TEST_REQUIRE_ALL === '1') {
    throw new Error(`"${suite}" cannot run: ${problem}, and PATCHBAY_TEST_REQUIRE_ALL=1 forbids skipping it.`)
  }
  console.warn(`Skipping "${suite}": ${problem}. ${remedy}, or set PATCHBAY_TEST_REQUIRE_ALL=1 to make this a failure.`)
  return false
}
