import DOMPurify from 'dompurify'
import { marked } from 'marked'
import { useMemo } from 'react'
import { cx } from '../../ui/cx.ts'

// An instance of our own, so the link hook below does not change DOMPurify for anyone else.
const purify = DOMPurify(window)
purify.addHook('afterSanitizeAttributes', (node) => {
  // Links in model output must not navigate the editor away.
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank')
    node.setAttribute('rel', 'noopener noreferrer')
  }
})

/** Markdown to sanitized HTML (model output is untrusted). */
export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false, gfm: true, breaks: true })
  return purify.sanitize(html, { USE_PROFILES: { html: true } })
}

const prose =
  'break-words [&_a]:text-accent [&_a]:underline [&_blockquote]:border-border [&_blockquote]:border-l-2 [&_blockquote]:pl-2 [&_blockquote]:text-muted ' +
  '[&_code]:rounded [&_code]:bg-subtle [&_code]:px-0.5 [&_code]:font-mono [&_code]:text-[0.92em] [&_h1]:font-semibold [&_h2]:font-semibold [&_h3]:font-semibold ' +
  '[&_h1]:text-[1.1em] [&_h2]:text-[1.05em] [&_li]:my-0 [&_ol]:list-decimal [&_ol]:pl-4 [&_p]:my-1 [&_pre]:my-1 [&_pre]:overflow-x-auto [&_pre]:rounded [&_pre]:bg-subtle [&_pre]:p-1.5 ' +
  '[&_pre_code]:bg-transparent [&_pre_code]:p-0 [&_table]:border-collapse [&_td]:border [&_td]:border-border [&_td]:px-1 [&_th]:border [&_th]:border-border [&_th]:px-1 ' +
  '[&_ul]:list-disc [&_ul]:pl-4 [&>*:first-child]:mt-0 [&>*:last-child]:mb-0'

/** Renders text as sanitized markdown; `streaming` adds a blinking caret after it. */
export function Markdown({
  text,
  streaming = false,
  className,
}: {
  text: string
  streaming?: boolean
  className?: string
}) {
  const html = useMemo(() => renderMarkdown(text), [text])
  return (
    <div className={cx(prose, className)}>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by DOMPurify above */}
      <div dangerouslySetInnerHTML={{ __html: html }} />
      {streaming && <span className="ml-0.5 inline-block h-3 w-1.5 animate-pulse bg-accent align-middle" />}
    </div>
  )
}
