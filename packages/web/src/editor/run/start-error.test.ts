import { ApiError } from '@patchbay/sdk'
import { describe, expect, it } from 'vitest'
import { describeStartError } from './start-error.ts'

describe('describeStartError', () => {
  it('names the run input an issue is about, without repeating its path', () => {
    const error = new ApiError(400, 'INVALID_WORKFLOW', 'invalid inputs', {
      issues: [
        { code: 'INVALID_WORKFLOW_INPUT', message: 'input "n" must be a finite number', path: ['inputs', 'n'] },
        { code: 'INVALID_PARAM', message: 'node "a": bad', path: ['nodes', 0], nodeId: 'a' },
        { code: 'OTHER', message: 'odd', path: ['edges', 1] },
      ],
    })
    expect(describeStartError(error).issues).toEqual([
      { code: 'INVALID_WORKFLOW_INPUT', message: 'input "n" must be a finite number', input: 'n' },
      { code: 'INVALID_PARAM', message: 'node "a": bad', nodeId: 'a' },
      { code: 'OTHER', message: 'edges.1: odd' },
    ])
  })
})
