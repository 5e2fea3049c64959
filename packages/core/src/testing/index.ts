export { skipSuite } from './skip-suite.ts'
