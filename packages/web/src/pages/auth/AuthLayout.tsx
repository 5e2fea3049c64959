import type { ReactNode } from 'react'
import { useTheme } from '../../app/theme.ts'
import { IconButton } from '../../ui/Button.tsx'
import { LogoIcon, MoonIcon, SunIcon } from '../../ui/icons.tsx'

/** The frame of the signed-out pages: a centred card under the logo. */
export function AuthLayout({
  title,
  subtitle,
  children,
}: {
  title: string
  subtitle?: ReactNode
  children: ReactNode
}) {
  const theme = useTheme((s) => s.theme)
  const toggle = useTheme((s) => s.toggle)
  return (
    <div className="relative flex min-h-full flex-col items-center justify-center px-4 py-12">
      <div className="absolute top-4 right-4">
        <IconButton label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'} onClick={toggle}>
          {theme === 'dark' ? <SunIcon size={16} /> : <MoonIcon size={16} />}
        </IconButton>
      </div>
      <div className="mb-6 flex items-center gap-2">
        <LogoIcon size={28} />
        <span className="font-semibold text-[18px] tracking-tight">Patchbay</span>
      </div>
      <div className="w-full max-w-sm rounded-xl border border-border bg-panel p-6 shadow-pop">
        <h1 className="font-semibold text-[16px]">{title}</h1>
        {subtitle && <p className="mt-1 text-muted">{subtitle}</p>}
        <div className="mt-5">{children}</div>
      </div>
    </div>
  )
}
