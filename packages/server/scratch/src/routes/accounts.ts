import { createRouter } from '../api/router.ts'
import { memberRoutes } from './members.ts'
import { orgRoutes } from './orgs.ts'

/** Who you are, your organisations, their members and invitations. */
export function accountRoutes() {
  const app = createRouter()
  app.route('/', orgRoutes())
  app.route('/', memberRoutes())
  return app
}
