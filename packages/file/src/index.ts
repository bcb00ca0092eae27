export {
  FileStoreError,
  type FileStoreErrorCode,
  isFileStoreError,
} from './FileStoreError'
export { fileStorage } from './fileStorage'
export { type FileStore, fileStore } from './fileStore'
export type { FileStoreOptions } from './options'
