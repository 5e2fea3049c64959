import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '@patchbay/runtime'

/**
 * The secret that signs session cookies and asset links: `PATCHBAY_AUTH_SECRET`, or one
 * generated into `<dataDir>/auth.secret` on first start. Every process of an installation must
 * share it, so deployments with several processes set the variable.
 */
export async function loadAuthSecret(env: NodeJS.ProcessEnv, dataDir: string, logger: Logger): Promise<string> {
  const fromEnv = env.PATCHBAY_AUTH_SECRET?.trim()
  if (fromEnv) return fromEnv
  const file = join(dataDir, 'auth.secret')
  try {
    const stored = (await readFile(file, 'utf8')).trim()
    if (stored) return stored
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const secret = randomBytes(32).toString('base64url')
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error) => {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  })
  logger.info(`generated a session secret in ${file}; set PATCHBAY_AUTH_SECRET when running several processes`)
  return (await readFile(file, 'utf8')).trim()
}
