export type { Caller, TestRequestInit, TestServer, TestServerOptions } from './test-server.ts'
export { sessionCookie, signUp, startTestServer } from './test-server.ts'
