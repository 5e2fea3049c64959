/** `1024x1024` → width and height; undefined for anything else. */
export function parseSize(size: string): { width: number; height: number } | undefined {
  const match = /^\s*(\d+)\s*[x×]\s*(\d+)\s*$/i.exec(size)
  if (!match) return undefined
  return { width: Number(match[1]), height: Number(match[2]) }
}
