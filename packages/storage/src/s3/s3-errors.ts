import { NotFoundError, PatchbayError } from '@patchbay/core'

interface S3ServiceError {
  name?: string
  message?: string
  $metadata?: { httpStatusCode?: number }
}

/** The HTTP status of an AWS SDK error, when it carries one. */
export function statusOf(error: unknown): number | undefined {
  return (error as S3ServiceError | undefined)?.$metadata?.httpStatusCode
}

/**
 * Whether S3 said the object does not exist. A HEAD answers a bare 404 (`NotFound`), a GET
 * names it (`NoSuchKey`); a missing bucket is a configuration error, never a missing object.
 */
export function isMissingObject(error: unknown): boolean {
  const name = (error as S3ServiceError | undefined)?.name
  if (name === 'NoSuchBucket') return false
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(error) === 404
}

/** Whether S3 refused a byte range that starts at or past the end of the object. */
export function isUnsatisfiableRange(error: unknown): boolean {
  return (error as S3ServiceError | undefined)?.name === 'InvalidRange' || statusOf(error) === 416
}

/**
 * The error a store method throws for a failed S3 call: `NotFoundError` for a missing object,
 * else `ASSET_STORAGE_FAILED` naming the operation and object (never credentials).
 */
export function storageError(error: unknown, operation: string, where: string, key?: string): Error {
  if (key !== undefined && isMissingObject(error)) return new NotFoundError('asset', key)
  if (error instanceof PatchbayError) return error
  const { name, message } = (error ?? {}) as S3ServiceError
  const status = statusOf(error)
  const reason = [name, status === undefined ? undefined : `HTTP ${status}`, message].filter(Boolean).join(': ')
  return new PatchbayError(
    'ASSET_STORAGE_FAILED',
    `S3 ${operation} of ${where} failed (${reason || 'unknown error'})`,
    {
      cause: error,
      details: { operation, where, ...(status === undefined ? {} : { status }) },
    },
  )
}
