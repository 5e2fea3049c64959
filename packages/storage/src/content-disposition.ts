/**
 * A Content-Disposition header value: `inline` or `attachment`, with the file name twice, as
 * an ASCII fallback and as RFC 8187 UTF-8 (`filename*`), so any name survives every browser.
 *
 * @example
 * contentDisposition('attachment', 'café.png') // attachment; filename="caf_.png"; filename*=UTF-8''caf%C3%A9.png
 */
export function contentDisposition(type: 'inline' | 'attachment', filename?: string | null): string {
  if (!filename) return type
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_')
  // RFC 8187 leaves ' ( ) * out of the characters that may appear unescaped.
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
