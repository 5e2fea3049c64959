import type { S3Client } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { copyObject, maxSingleCopyBytes } from './s3-copy.ts'

// s3rver implements CopyObject but not UploadPartCopy, so the multipart copy (objects above
// 5 GiB) is checked against a client that records the commands it is sent.

interface Sent {
  command: string
  input: Record<string, unknown>
}

function recordingClient(fail?: (sent: Sent) => boolean): { client: S3Client; sent: Sent[] } {
  const sent: Sent[] = []
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const entry = { command: command.constructor.name, input: command.input }
      sent.push(entry)
      if (fail?.(entry)) throw Object.assign(new Error('part failed'), { name: 'InternalError' })
      if (entry.command === 'CreateMultipartUploadCommand') return { UploadId: 'up-1' }
      if (entry.command === 'UploadPartCopyCommand')
        return { CopyPartResult: { ETag: `"etag-${entry.input.PartNumber}"` } }
      return {}
    },
  } as unknown as S3Client
  return { client, sent }
}

const GiB = 1024 * 1024 * 1024

describe('copyObject', () => {
  it('copies up to 5 GiB with one CopyObject, URL-encoding the source', async () => {
    const { client, sent } = recordingClient()
    await copyObject(client, { bucket: 'media', from: 'p x/tmp/1', to: 'p x/ab/cd/abcd', size: maxSingleCopyBytes })
    expect(sent).toEqual([
      {
        command: 'CopyObjectCommand',
        input: { Bucket: 'media', Key: 'p x/ab/cd/abcd', CopySource: 'media/p%20x/tmp/1' },
      },
    ])
  })

  it('copies a larger object in ranged parts and completes them in order', async () => {
    const { client, sent } = recordingClient()
    const size = 6 * GiB + 123
    await copyObject(client, { bucket: 'media', from: 'tmp/1', to: 'ab/cd/abcd', size })
    expect(sent[0]).toMatchObject({
      command: 'CreateMultipartUploadCommand',
      input: { Bucket: 'media', Key: 'ab/cd/abcd' },
    })
    const parts = sent.filter((entry) => entry.command === 'UploadPartCopyCommand').map((entry) => entry.input)
    const partBytes = 512 * 1024 * 1024
    expect(parts).toHaveLength(Math.ceil(size / partBytes))
    const ranges = parts
      .sort((a, b) => Number(a.PartNumber) - Number(b.PartNumber))
      .map((part) => String(part.CopySourceRange).replace('bytes=', '').split('-').map(Number))
    expect(ranges[0]).toEqual([0, partBytes - 1])
    expect(ranges.at(-1)).toEqual([12 * partBytes, size - 1])
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1]! + 1)
    const complete = sent.at(-1)!
    expect(complete.command).toBe('CompleteMultipartUploadCommand')
    const listed = (complete.input.MultipartUpload as { Parts: { PartNumber: number; ETag: string }[] }).Parts
    expect(listed.map((part) => part.PartNumber)).toEqual(ranges.map((_, index) => index + 1))
    expect(listed[0]).toEqual({ PartNumber: 1, ETag: '"etag-1"' })
  })

  it('aborts the multipart upload when a part fails', async () => {
    const { client, sent } = recordingClient((entry) => entry.input.PartNumber === 3)
    await expect(copyObject(client, { bucket: 'media', from: 'tmp/1', to: 'k', size: 6 * GiB })).rejects.toThrow(
      'part failed',
    )
    expect(sent.at(-1)).toMatchObject({ command: 'AbortMultipartUploadCommand', input: { UploadId: 'up-1', Key: 'k' } })
    expect(sent.some((entry) => entry.command === 'CompleteMultipartUploadCommand')).toBe(false)
  })
})
