import { workflowSchema } from '@patchbay/core'
import { describe, expect, it } from 'vitest'
import { documentHash } from './hash.ts'

// Versions are deduplicated by this hash, computed on the parsed document; these pin down that
// optional additions to the document do not turn every stored workflow into a new version.

const plain = {
  schemaVersion: 1,
  name: 'hash',
  inputs: {},
  nodes: [{ id: 'a', type: 'text.template', params: { template: 'hi' }, position: { x: 0, y: 0 } }],
  edges: [],
}

describe('documentHash', () => {
  it('is the same for a document before and after parsing when it has no notes or groups', () => {
    expect(documentHash(workflowSchema.parse(plain))).toBe(documentHash(plain))
    // The hash of that document, as it was before notes and groups existed.
    expect(documentHash(plain)).toBe('82ce9b0c98ba6a0e6fb18773d1b1f72597212e4da48457bb2ff8ffe0b2cd30c7')
  })

  it('changes when a note or group is added', () => {
    const note = { id: 'n', text: 'why', position: { x: 0, y: 0 }, size: { width: 100, height: 80 } }
    const group = { id: 'g', label: 'all', position: { x: 0, y: 0 }, size: { width: 100, height: 80 } }
    const hashes = new Set([
      documentHash(plain),
      documentHash({ ...plain, notes: [note] }),
      documentHash({ ...plain, groups: [group] }),
    ])
    expect(hashes.size).toBe(3)
  })
})
