import { Navigate, Outlet, useLocation } from 'react-router'
import { roleAtLeast, useCurrentOrg, useRole } from '../../app/session.ts'
import { PageHeader } from '../../ui/PageHeader.tsx'
import { LinkTabs } from '../../ui/Tabs.tsx'

/** `/settings/*`: the organisation's credentials, API keys, members and usage (tabs by role). */
export function SettingsPage() {
  const org = useCurrentOrg()
  const role = useRole()
  const isAdmin = roleAtLeast(role, 'admin')
  const location = useLocation()
  const adminOnly = /\/settings\/(credentials|api-keys)/.test(location.pathname)
  if (!isAdmin && adminOnly) return <Navigate to="/settings/members" replace />
  const tabs = [
    ...(isAdmin
      ? [
          { to: '/settings/credentials', label: 'Credentials' },
          { to: '/settings/api-keys', label: 'API keys' },
        ]
      : []),
    { to: '/settings/members', label: 'Members' },
    { to: '/settings/usage', label: 'Usage' },
  ]
  return (
    <>
      <PageHeader
        title="Settings"
        description={
          org ? (
            <>
              Organisation <span className="font-medium text-text">{org.name}</span> · your role: {org.role}
            </>
          ) : undefined
        }
      />
      <LinkTabs items={tabs} className="mb-6" />
      <Outlet />
    </>
  )
}
