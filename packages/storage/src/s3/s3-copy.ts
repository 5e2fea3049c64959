import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3'

/** The largest object one CopyObject may copy; larger ones are copied part by part. */
export const maxSingleCopyBytes = 5 * 1024 * 1024 * 1024
const minCopyPartBytes = 512 * 1024 * 1024
const maxParts = 10_000
const copyConcurrency = 4

export interface CopySpec {
  bucket: string
  from: string
  to: string
  /** The size of `from`, which decides between one CopyObject and a multipart copy. */
  size: number
  /** Where one CopyObject stops being enough (tests lower it). */
  singleCopyLimit?: number
}

/**
 * Copies an object inside a bucket, server-side: one CopyObject up to 5 GiB, else a multipart
 * upload whose parts are UploadPartCopy ranges of the source (aborted if any part fails).
 */
export async function copyObject(client: S3Client, spec: CopySpec): Promise<void> {
  const { bucket, from, to, size } = spec
  const source = copySource(bucket, from)
  if (size <= (spec.singleCopyLimit ?? maxSingleCopyBytes)) {
    await client.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: source }))
    return
  }
  const partBytes = Math.max(minCopyPartBytes, Math.ceil(size / maxParts))
  const created = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: to }))
  const uploadId = created.UploadId
  if (!uploadId) throw new Error(`S3 started no multipart upload for ${to}`)
  try {
    const count = Math.ceil(size / partBytes)
    const parts: { ETag: string; PartNumber: number }[] = new Array(count)
    let nextPart = 0
    let failed = false
    const worker = async () => {
      // After a failure the others stop taking parts: the upload is about to be aborted.
      for (let index = nextPart++; index < count && !failed; index = nextPart++) {
        const start = index * partBytes
        const end = Math.min(start + partBytes, size) - 1
        const copied = await client.send(
          new UploadPartCopyCommand({
            Bucket: bucket,
            Key: to,
            UploadId: uploadId,
            PartNumber: index + 1,
            CopySource: source,
            CopySourceRange: `bytes=${start}-${end}`,
          }),
        )
        const etag = copied.CopyPartResult?.ETag
        if (!etag) throw new Error(`S3 returned no ETag for part ${index + 1} of ${to}`)
        parts[index] = { ETag: etag, PartNumber: index + 1 }
      }
    }
    await Promise.all(
      Array.from({ length: Math.min(copyConcurrency, count) }, () =>
        worker().catch((error: unknown) => {
          failed = true
          throw error
        }),
      ),
    )
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: to,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
    )
  } catch (error) {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: to, UploadId: uploadId })).catch(() => {})
    throw error
  }
}

/** `bucket/key` for the x-amz-copy-source header, URL-encoded except for the slashes. */
function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`
}
