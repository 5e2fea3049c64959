import { create } from 'zustand'

/** What the user picked; `system` follows `prefers-color-scheme`. */
export type ThemeChoice = 'light' | 'dark' | 'system'

const storageKey = 'patchbay.theme'
const media = typeof window === 'undefined' ? undefined : window.matchMedia('(prefers-color-scheme: dark)')

function readChoice(): ThemeChoice {
  try {
    const saved = localStorage.getItem(storageKey)
    return saved === 'light' || saved === 'dark' ? saved : 'system'
  } catch {
    return 'system'
  }
}

function resolve(choice: ThemeChoice): 'light' | 'dark' {
  if (choice !== 'system') return choice
  return media?.matches ? 'dark' : 'light'
}

/** Puts `dark` (or `light`) on <html>; the CSS tokens in styles.css follow it. */
function apply(theme: 'light' | 'dark'): void {
  const root = document.documentElement
  root.classList.toggle('dark', theme === 'dark')
  root.classList.toggle('light', theme === 'light')
}

interface ThemeState {
  choice: ThemeChoice
  /** The theme in effect. */
  theme: 'light' | 'dark'
  setChoice: (choice: ThemeChoice) => void
  /** Switches to the other theme and remembers it. */
  toggle: () => void
}

/**
 * The colour theme, persisted in localStorage.
 *
 * @example
 * const theme = useTheme((s) => s.theme) // 'light' | 'dark'
 */
export const useTheme = create<ThemeState>((set, get) => ({
  choice: readChoice(),
  theme: resolve(readChoice()),
  setChoice: (choice) => {
    try {
      if (choice === 'system') localStorage.removeItem(storageKey)
      else localStorage.setItem(storageKey, choice)
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    const theme = resolve(choice)
    apply(theme)
    set({ choice, theme })
  },
  toggle: () => get().setChoice(get().theme === 'dark' ? 'light' : 'dark'),
}))

/** Applies the saved theme before the first render, and follows the system while on `system`. */
export function initTheme(): void {
  apply(useTheme.getState().theme)
  media?.addEventListener('change', () => {
    const { choice } = useTheme.getState()
    if (choice !== 'system') return
    const theme = resolve(choice)
    apply(theme)
    useTheme.setState({ theme })
  })
}
