import type { S3ClientConfig } from '@aws-sdk/client-s3'
import { maxPresignSeconds } from '../presigning.ts'

/** The S3 client of a store: static credentials or the SDK's chain, checksums only where S3 insists. */
export function clientConfig(options: {
  region: string
  endpoint?: string
  forcePathStyle?: boolean
  accessKeyId?: string
  secretAccessKey?: string
}): S3ClientConfig {
  const { accessKeyId, secretAccessKey, endpoint } = options
  return {
    region: options.region,
    ...(endpoint === undefined ? {} : { endpoint }),
    forcePathStyle: options.forcePathStyle ?? endpoint !== undefined,
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    // Checksums only where S3 insists: browsers PUT to presigned URLs without them, and
    // S3-compatible services do not all support the newer checksum headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  }
}

/** `''` or a prefix ending in one `/`, without a leading one. */
export function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '')
  return trimmed === '' ? '' : `${trimmed}/`
}

/** A presigned URL's lifetime, checked against what SigV4 allows. */
export function checkedExpiry(seconds: number): number {
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > maxPresignSeconds) {
    throw new RangeError(`a presigned URL lives 1 to ${maxPresignSeconds} seconds, not ${seconds}`)
  }
  return seconds
}
