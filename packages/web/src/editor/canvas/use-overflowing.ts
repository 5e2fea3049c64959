import { type RefObject, useLayoutEffect, useState } from 'react'

/**
 * Whether the element's content is taller than the element: measured when `content` changes
 * and whenever the element is resized. A note that overflows scrolls under the wheel instead
 * of zooming the canvas.
 */
export function useOverflowing(ref: RefObject<HTMLElement | null>, content: unknown): boolean {
  const [overflowing, setOverflowing] = useState(false)
  // biome-ignore lint/correctness/useExhaustiveDependencies: `content` is what changes the height to measure
  useLayoutEffect(() => {
    const element = ref.current
    if (!element) return
    const measure = () => setOverflowing(element.scrollHeight > element.clientHeight + 1)
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(element)
    return () => observer.disconnect()
  }, [ref, content])
  return overflowing
}
