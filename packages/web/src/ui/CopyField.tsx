import { useState } from 'react'
import { Button } from './Button.tsx'
import { CheckIcon, CopyIcon } from './icons.tsx'

/** Copies `text` to the clipboard; falls back to selecting it where the clipboard is denied. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}

/** A secret or link shown once, read-only, with a copy button. */
export function CopyField({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <div className="flex items-center gap-2">
      <input
        readOnly
        value={value}
        onFocus={(event) => event.currentTarget.select()}
        className="h-8 min-w-0 flex-1 rounded-md border border-border bg-subtle px-2.5 font-mono text-[12px] text-text focus:outline-none"
        aria-label="Value to copy"
      />
      <Button
        icon={copied ? <CheckIcon size={14} /> : <CopyIcon size={14} />}
        onClick={async () => {
          if (await copyText(value)) {
            setCopied(true)
            setTimeout(() => setCopied(false), 1500)
          }
        }}
      >
        {copied ? 'Copied' : label}
      </Button>
    </div>
  )
}
