import { toast } from '../ui/index.ts'

/**
 * Runs what a confirm dialog confirmed, then says how it went. A failure is shown and thrown
 * again, so the dialog stays open for another try.
 */
export async function confirmedAction(
  action: () => Promise<unknown>,
  messages: { success: string; failure: string },
  after?: () => void,
): Promise<void> {
  try {
    await action()
    after?.()
    toast.success(messages.success)
  } catch (error) {
    toast.error(error, messages.failure)
    throw error
  }
}
