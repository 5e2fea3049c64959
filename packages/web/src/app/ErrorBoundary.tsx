import { Component, type ErrorInfo, type ReactNode } from 'react'
import { errorMessage } from './errors.ts'

interface Props {
  children: ReactNode
  /** Changing it (e.g. the route's path) clears a caught error. */
  resetKey?: string
}

/** Catches a rendering crash and shows it with a way out, instead of a blank page. */
export class ErrorBoundary extends Component<Props, { error: unknown; key: string | undefined }> {
  override state = { error: undefined as unknown, key: this.props.resetKey }

  static getDerivedStateFromError(error: unknown) {
    return { error }
  }

  static getDerivedStateFromProps(props: Props, state: { error: unknown; key: string | undefined }) {
    return props.resetKey !== state.key ? { error: undefined, key: props.resetKey } : null
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('Patchbay: a page crashed', error, info.componentStack)
  }

  override render() {
    if (this.state.error === undefined) return this.props.children
    return (
      <div className="flex h-full min-h-60 flex-col items-center justify-center gap-3 p-8 text-center">
        <p className="font-semibold text-[15px]">This page ran into a problem</p>
        <p className="max-w-lg text-muted">{errorMessage(this.state.error)}</p>
        <div className="flex gap-2">
          <button
            type="button"
            className="h-8 rounded-md border border-border bg-panel px-3 font-medium hover:bg-hover"
            onClick={() => this.setState({ error: undefined })}
          >
            Try again
          </button>
          <a href="/" className="flex h-8 items-center rounded-md px-3 font-medium text-accent hover:bg-hover">
            Go to workflows
          </a>
        </div>
      </div>
    )
  }
}
