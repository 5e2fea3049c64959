import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFileReader } from './local-files.ts'

describe('local file reader', () => {
  let base: string
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'patchbay-files-'))
    await mkdir(join(base, 'allowed'))
    await writeFile(join(base, 'allowed', 'in.txt'), 'inside')
    await writeFile(join(base, 'secret.txt'), 'outside')
    await symlink(join(base, 'secret.txt'), join(base, 'allowed', 'link.txt'))
  })
  afterAll(() => rm(base, { recursive: true, force: true }))

  it('reads files inside a root, relative to the base directory', async () => {
    const read = createFileReader([join(base, 'allowed')], join(base, 'allowed'))
    expect(new TextDecoder().decode(await read('in.txt'))).toBe('inside')
  })

  it('refuses paths outside the roots, including through a symlink or ..', async () => {
    const read = createFileReader([join(base, 'allowed')], join(base, 'allowed'))
    await expect(read('../secret.txt')).rejects.toMatchObject({ code: 'FILE_ACCESS_DENIED' })
    await expect(read('link.txt')).rejects.toMatchObject({ code: 'FILE_ACCESS_DENIED' })
    await expect(read(join(base, 'secret.txt'))).rejects.toMatchObject({ code: 'FILE_ACCESS_DENIED' })
  })

  it('answers the same for a file outside the roots whether or not it exists, without naming the roots', async () => {
    const root = join(base, 'allowed')
    const read = createFileReader([root], root)
    const existing = await read(join(base, 'secret.txt')).catch((error: unknown) => error)
    const missing = await read(join(base, 'no-such-file.txt')).catch((error: unknown) => error)
    const missingDir = await read('../no-such-dir/x.txt').catch((error: unknown) => error)
    for (const error of [existing, missing, missingDir]) {
      expect(error).toMatchObject({ code: 'FILE_ACCESS_DENIED' })
      expect((error as Error).message).not.toContain(root)
      expect((error as Error).message).toContain('outside the directories this server may read')
    }
  })

  it('explains a missing file and a server with file access disabled', async () => {
    const read = createFileReader([join(base, 'allowed')], join(base, 'allowed'))
    await expect(read('nope.txt')).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: expect.stringContaining('no such file'),
    })
    const none = createFileReader([], base)
    await expect(none('allowed/in.txt')).rejects.toMatchObject({ code: 'FILE_ACCESS_DENIED' })
  })
})
