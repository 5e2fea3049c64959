export type { Caller, TestRequestInit, TestServer, TestServerOptions } from './test-server.ts'
export { freePort, sessionCookie, signUp, startTestServer } from './test-server.ts'
