import { describe, expect, it } from 'vitest'
import {
  CanceledError,
  NodeError,
  NotFoundError,
  PatchbayError,
  TimeoutError,
  toErrorInfo,
  ValidationError,
} from './errors.ts'

describe('error classes', () => {
  it('carry a stable code, their class name and details', () => {
    const notFound = new NotFoundError('workflow', 'wf_1')
    expect(notFound).toBeInstanceOf(PatchbayError)
    expect(notFound).toBeInstanceOf(Error)
    expect(notFound).toMatchObject({
      name: 'NotFoundError',
      code: 'NOT_FOUND',
      message: 'workflow wf_1 was not found',
      details: { what: 'workflow', id: 'wf_1' },
    })
    expect(new TimeoutError(250)).toMatchObject({
      code: 'TIMEOUT',
      message: 'timed out after 250 ms',
      details: { ms: 250 },
    })
    expect(new CanceledError()).toMatchObject({ name: 'CanceledError', code: 'CANCELED', message: 'canceled' })
  })

  it('keeps the cause only when one is given', () => {
    const cause = new Error('root')
    expect(new PatchbayError('X', 'x', { cause }).cause).toBe(cause)
    expect('cause' in new PatchbayError('X', 'x')).toBe(false)
  })

  it('summarizes validation issues in the message', () => {
    const issue = (message: string) => ({ code: 'C', message, path: [] })
    expect(new ValidationError([]).message).toBe('invalid workflow')
    expect(new ValidationError([issue('first')]).message).toBe('first')
    expect(new ValidationError([issue('first'), issue('second'), issue('third')]).message).toBe(
      'first (and 2 more problems)',
    )
    expect(new ValidationError([issue('first')], 'custom').message).toBe('custom')
    const error = new ValidationError([issue('first')])
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.details).toEqual({ issues: error.issues })
  })

  it('defaults a NodeError to not retryable, without retryAfterMs', () => {
    const error = new NodeError('BAD_FILE', 'bad')
    expect(error.retryable).toBe(false)
    expect(error.retryAfterMs).toBeUndefined()
    expect(error.name).toBe('NodeError')
  })
})

describe('toErrorInfo', () => {
  it('describes a NodeError with its retryable flag and details', () => {
    const error = new NodeError('RATE_LIMITED', 'slow down', {
      retryable: true,
      retryAfterMs: 100,
      details: { status: 429 },
    })
    expect(toErrorInfo(error)).toEqual({
      code: 'RATE_LIMITED',
      message: 'slow down',
      retryable: true,
      details: { status: 429 },
    })
    expect(toErrorInfo(new NodeError('BAD_FILE', 'bad'))).toEqual({
      code: 'BAD_FILE',
      message: 'bad',
      retryable: false,
    })
  })

  it('describes a PatchbayError with details only when it has some', () => {
    expect(toErrorInfo(new TimeoutError(5))).toEqual({
      code: 'TIMEOUT',
      message: 'timed out after 5 ms',
      details: { ms: 5 },
    })
    expect(toErrorInfo(new CanceledError('stopped'))).toEqual({ code: 'CANCELED', message: 'stopped' })
  })

  it('describes a plain Error by its message, or its name when the message is empty', () => {
    expect(toErrorInfo(new Error('boom'))).toEqual({ code: 'NODE_ERROR', message: 'boom' })
    expect(toErrorInfo(new TypeError(''))).toEqual({ code: 'NODE_ERROR', message: 'TypeError' })
  })

  it('describes non-Error values by their text', () => {
    expect(toErrorInfo('plain text')).toEqual({ code: 'NODE_ERROR', message: 'plain text' })
    expect(toErrorInfo(42)).toEqual({ code: 'NODE_ERROR', message: '42' })
    expect(toErrorInfo(undefined)).toEqual({ code: 'NODE_ERROR', message: 'undefined' })
    expect(toErrorInfo(null)).toEqual({ code: 'NODE_ERROR', message: 'null' })
  })

  it('produces JSON-safe data', () => {
    const info = toErrorInfo(new NodeError('X', 'x', { retryable: true, details: { a: [1] }, cause: new Error('c') }))
    expect(JSON.parse(JSON.stringify(info))).toEqual(info)
  })
})
