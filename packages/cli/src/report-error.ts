import { PatchbayError, ValidationError } from '@patchbay/core'
import { formatIssues } from './print-issues.ts'

/** Prints an error for a person (no stack traces for expected failures) and sets exit code 1. */
export function reportError(error: unknown): void {
  if (error instanceof ValidationError) {
    process.stderr.write(`✗ ${error.issues.length === 1 ? 'problem' : 'problems'}:\n${formatIssues(error.issues)}\n`)
  } else if (error instanceof PatchbayError) {
    process.stderr.write(`✗ ${error.message}\n`)
  } else {
    process.stderr.write(
      `✗ unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
  }
  process.exitCode = 1
}
