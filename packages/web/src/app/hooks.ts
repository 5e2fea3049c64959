import { useEffect, useState } from 'react'

/** `value`, once it has stopped changing for `ms` (for search boxes). */
export function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}

/** A piece of state remembered in localStorage under `key`. */
export function useStoredState<T extends string>(key: string, initial: T, allowed: readonly T[]) {
  const [value, setValue] = useState<T>(() => {
    try {
      const saved = localStorage.getItem(key)
      return saved && (allowed as readonly string[]).includes(saved) ? (saved as T) : initial
    } catch {
      return initial
    }
  })
  function set(next: T) {
    setValue(next)
    try {
      localStorage.setItem(key, next)
    } catch {
      // Remembered for this page only.
    }
  }
  return [value, set] as const
}
