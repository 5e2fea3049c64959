/** What a fake chat model answers: the scripted reply, else an echo of the last user text. */
export class FakeReplies {
  private scripted: string | undefined

  set(text: string): void {
    this.scripted = text
  }

  answer(userText: string): string {
    return this.scripted ?? `echo: ${userText}`
  }
}

/** Splits an answer into word-sized deltas (each keeps its trailing space) so streaming is observable. */
export function textChunks(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? []
}

/** A stand-in tokenizer: one token per whitespace-separated word. */
export function countTokens(...texts: string[]): number {
  return texts.reduce((sum, text) => sum + (text.match(/\S+/g)?.length ?? 0), 0)
}

/** The text parts of a message `content`, which the APIs send as a string or an array of typed parts. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .map((part) => (typeof part?.text === 'string' && typeof part?.type === 'string' ? part.text : ''))
    .filter((text) => text.length > 0)
    .join('\n')
}
