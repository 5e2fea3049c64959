import { createRequire } from 'node:module'
import { skipSuite } from '@patchbay/core/testing'

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
    return skipSuite(
      suite,
      `${specifier} is not installed`,
      `Install it with "npm install --no-save ${specifier}" (as .ci/run does)`,
    )
  }
}
