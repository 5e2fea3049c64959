import { NavLink, Outlet, useLocation, useNavigate } from 'react-router'
import { IconButton } from '../ui/Button.tsx'
import { cx } from '../ui/cx.ts'
import {
  AssetsIcon,
  CheckIcon,
  ChevronDownIcon,
  LogOutIcon,
  LogoIcon,
  MoonIcon,
  RunsIcon,
  SettingsIcon,
  SunIcon,
  WorkflowIcon,
} from '../ui/icons.tsx'
import { Menu } from '../ui/Menu.tsx'
import { toast } from '../ui/toast.tsx'
import { ErrorBoundary } from './ErrorBoundary.tsx'
import { signOut, switchOrg, useCurrentOrg, useMe } from './session.ts'
import { useTheme } from './theme.ts'

const nav = [
  { to: '/', label: 'Workflows', icon: WorkflowIcon, end: true },
  { to: '/runs', label: 'Runs', icon: RunsIcon, end: false },
  { to: '/assets', label: 'Assets', icon: AssetsIcon, end: false },
  { to: '/settings', label: 'Settings', icon: SettingsIcon, end: false },
]

/** The signed-in frame: sidebar (navigation, organisation, user, theme) and the page. */
export function Layout() {
  const location = useLocation()
  return (
    <div className="flex h-full">
      <Sidebar />
      <main className="min-w-0 flex-1 overflow-y-auto">
        <div className="mx-auto w-full max-w-6xl px-8 py-8">
          <ErrorBoundary resetKey={location.pathname}>
            <Outlet />
          </ErrorBoundary>
        </div>
      </main>
    </div>
  )
}

function Sidebar() {
  return (
    <aside className="flex w-56 shrink-0 flex-col border-border border-r bg-panel">
      <div className="flex h-14 items-center gap-2 px-4">
        <LogoIcon size={22} />
        <span className="font-semibold text-[15px] tracking-tight">Patchbay</span>
      </div>
      <div className="px-3 pb-3">
        <OrgSwitcher />
      </div>
      <nav className="flex flex-1 flex-col gap-0.5 px-3" aria-label="Main">
        {nav.map((item) => (
          <NavLink
            key={item.to}
            to={item.to}
            end={item.end}
            className={({ isActive }) =>
              cx(
                'flex h-8 items-center gap-2.5 rounded-md px-2.5 font-medium transition-colors',
                isActive ? 'bg-accent-soft text-accent' : 'text-muted hover:bg-hover hover:text-text',
              )
            }
          >
            <item.icon size={16} />
            {item.label}
          </NavLink>
        ))}
      </nav>
      <div className="flex items-center gap-1 border-border border-t p-3">
        <UserMenu />
        <ThemeToggle />
      </div>
    </aside>
  )
}

function OrgSwitcher() {
  const { data: me } = useMe()
  const current = useCurrentOrg()
  const orgs = me?.organisations ?? []
  const label = (
    <>
      <span className="flex size-5 shrink-0 items-center justify-center rounded bg-subtle font-semibold text-[11px] text-muted uppercase">
        {current?.name.slice(0, 1) ?? '?'}
      </span>
      <span className="min-w-0 flex-1 truncate text-left">{current?.name ?? 'No organisation'}</span>
    </>
  )
  if (orgs.length <= 1) {
    return (
      <div className="flex h-8 items-center gap-2 rounded-md border border-border px-2 font-medium">
        {label}
        {current && <span className="text-[11px] text-muted">{current.role}</span>}
      </div>
    )
  }
  return (
    <Menu
      align="start"
      minWidth={200}
      trigger={(props) => (
        <button
          type="button"
          {...props}
          aria-label="Switch organisation"
          className="flex h-8 w-full items-center gap-2 rounded-md border border-border px-2 font-medium hover:bg-hover"
        >
          {label}
          <ChevronDownIcon size={14} className="text-muted" />
        </button>
      )}
      items={orgs.map((org) => ({
        label: (
          <span className="flex flex-1 items-center justify-between gap-3">
            <span className="truncate">{org.name}</span>
            <span className="flex items-center gap-1.5 text-[11px] text-muted">
              {org.role}
              <CheckIcon size={14} className={org.id === current?.id ? 'text-accent' : 'invisible'} />
            </span>
          </span>
        ),
        onSelect: () => {
          if (org.id !== current?.id) switchOrg(org.id)
        },
      }))}
    />
  )
}

function UserMenu() {
  const { data: me } = useMe()
  const navigate = useNavigate()
  const name = me?.user?.name || me?.user?.email || 'Local mode'
  const initials = me?.user
    ? name
        .split(/[\s@.]+/)
        .slice(0, 2)
        .map((part) => part[0]?.toUpperCase() ?? '')
        .join('')
    : 'L'
  return (
    <Menu
      align="start"
      minWidth={220}
      header={
        me?.user ? (
          <div className="min-w-0">
            <p className="truncate font-medium">{me.user.name || me.user.email}</p>
            <p className="truncate text-[12px] text-muted">{me.user.email}</p>
          </div>
        ) : (
          <div>
            <p className="font-medium">Local mode</p>
            <p className="text-[12px] text-muted">No sign-in on this machine.</p>
          </div>
        )
      }
      trigger={(props) => (
        <button
          type="button"
          {...props}
          aria-label="Account"
          className="flex h-9 min-w-0 flex-1 items-center gap-2 rounded-md px-1.5 text-left hover:bg-hover"
        >
          <span className="flex size-6 shrink-0 items-center justify-center rounded-full bg-accent-soft font-semibold text-[11px] text-accent">
            {initials}
          </span>
          <span className="min-w-0 flex-1 truncate font-medium">{name}</span>
        </button>
      )}
      items={[
        me?.user
          ? {
              label: 'Sign out',
              icon: <LogOutIcon size={14} />,
              onSelect: async () => {
                try {
                  await signOut()
                  navigate('/sign-in')
                } catch (error) {
                  toast.error(error, 'Could not sign out')
                }
              },
            }
          : { label: 'Sign in to an account', icon: <LogOutIcon size={14} />, onSelect: () => navigate('/sign-in') },
      ]}
    />
  )
}

function ThemeToggle() {
  const theme = useTheme((s) => s.theme)
  const toggle = useTheme((s) => s.toggle)
  return (
    <IconButton label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'} onClick={toggle}>
      {theme === 'dark' ? <SunIcon size={16} /> : <MoonIcon size={16} />}
    </IconButton>
  )
}
