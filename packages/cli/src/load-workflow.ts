import { readFile } from 'node:fs/promises'
import { PatchbayError } from '@patchbay/core'

/** Reads a workflow file as JSON, with messages a person can act on. */
export async function loadWorkflowFile(path: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as { code?: string }).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(error)
    throw new PatchbayError('FILE_NOT_FOUND', `cannot read workflow ${path}: ${reason}`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new PatchbayError('INVALID_JSON', `${path} is not valid JSON: ${(error as Error).message}`)
  }
}
