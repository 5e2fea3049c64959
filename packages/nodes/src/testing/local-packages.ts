import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/**
 * Decides whether a suite that needs an opt-in package (such as the AGPL background-removal
 * model) runs. Without the package the suite is skipped with a message saying how to install
 * it, or, with `PATCHBAY_TEST_REQUIRE_ALL=1` (CI, which installs it), this throws.
 */
export function localPackageSuiteEnabled(specifier: string, suite: string): boolean {
  try {
    require.resolve(specifier)
    return true
  } catch {
    const how = `install it with "npm install --no-save ${specifier}" (as .ci/run does)`
    if (process.env.PATCHBAY_TEST_REQUIRE_ALL === '1') {
      throw new Error(
        `"${suite}" needs ${specifier}, which is not installed; ${how}. PATCHBAY_TEST_REQUIRE_ALL=1 forbids skipping it.`,
      )
    }
    console.warn(
      `Skipping "${suite}": ${specifier} is not installed; ${how}, or set PATCHBAY_TEST_REQUIRE_ALL=1 to make this a failure.`,
    )
    return false
  }
}
