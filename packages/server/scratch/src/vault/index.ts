export type { SealedValue, VaultEntryRef } from './cipher.ts'
export type { LoadedKeyring, MasterKey } from './keyring.ts'
export {
  generateMasterKey,
  Keyring,
  loadKeyring,
  MASTER_KEY_ENV,
  masterKeyId,
  masterKeyPath,
  parseMasterKey,
  parseMasterKeyList,
  readKeyFile,
} from './keyring.ts'
export type { PruneResult, RotationAccounts, RotationOptions, RotationResult } from './rotate.ts'
export { pruneKeys, rotateMasterKey } from './rotate.ts'
export type { SealedRecord } from './vault.ts'
export { Vault } from './vault.ts'
