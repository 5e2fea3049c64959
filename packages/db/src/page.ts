import type { PageQuery } from './store.ts'

/** Most rows one listing call returns. */
export const maxPageSize = 500

/**
 * Refuses a page the stores would read differently (SQL rejects a negative offset, `slice`
 * would count it from the end), so every sibling fails the same way.
 */
export function checkPage(page: PageQuery): void {
  if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > maxPageSize) {
    throw new RangeError(`limit must be an integer from 1 to ${maxPageSize}, not ${page.limit}`)
  }
  if (!Number.isInteger(page.offset) || page.offset < 0) {
    throw new RangeError(`offset must be a non-negative integer, not ${page.offset}`)
  }
}
