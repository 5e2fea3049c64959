import { type ReactNode, useRef, useState } from 'react'
import { cx } from './cx.ts'
import { UploadIcon } from './icons.tsx'

export interface DropZoneProps {
  /** Receives the dropped files. */
  onFiles: (files: File[]) => void
  /** What the overlay says while files are dragged over, e.g. "Drop to import". */
  label: string
  disabled?: boolean
  children: ReactNode
  className?: string
}

/** A region that accepts files dropped on it, outlining itself while they are dragged over. */
export function DropZone({ onFiles, label, disabled, children, className }: DropZoneProps) {
  const [over, setOver] = useState(false)
  const depth = useRef(0)
  const hasFiles = (event: React.DragEvent) => event.dataTransfer.types.includes('Files')

  return (
    <section
      aria-label={label}
      className={cx('relative', className)}
      onDragEnter={(event) => {
        if (disabled || !hasFiles(event)) return
        event.preventDefault()
        depth.current++
        setOver(true)
      }}
      onDragOver={(event) => {
        if (disabled || !hasFiles(event)) return
        event.preventDefault()
        event.dataTransfer.dropEffect = 'copy'
      }}
      onDragLeave={() => {
        if (disabled) return
        depth.current = Math.max(0, depth.current - 1)
        if (depth.current === 0) setOver(false)
      }}
      onDrop={(event) => {
        if (disabled || !hasFiles(event)) return
        event.preventDefault()
        depth.current = 0
        setOver(false)
        const files = [...event.dataTransfer.files]
        if (files.length > 0) onFiles(files)
      }}
    >
      {children}
      {over && (
        <div className="pointer-events-none absolute inset-0 z-30 flex items-center justify-center rounded-lg border-2 border-accent border-dashed bg-accent-soft/80">
          <div className="flex items-center gap-2 font-medium text-accent">
            <UploadIcon size={18} />
            {label}
          </div>
        </div>
      )}
    </section>
  )
}

/** Opens the browser's file picker. */
export function pickFiles(options: { accept?: string; multiple?: boolean } = {}): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    if (options.accept) input.accept = options.accept
    input.multiple = options.multiple ?? false
    input.addEventListener('change', () => resolve([...(input.files ?? [])]))
    input.click()
  })
}
