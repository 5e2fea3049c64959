export type { S3ForTests } from './s3-for-tests.ts'
export { startS3ForTests } from './s3-for-tests.ts'
