/** Imagen's aspect ratios, which also all work for Gemini image models. */
const supportedRatios = ['1:1', '3:4', '4:3', '9:16', '16:9'] as const

type AspectRatio = `${number}:${number}`

/** The requested aspect ratio, or the supported one closest to a requested `WxH` size. */
export function aspectRatioFor(request: { aspectRatio?: string; size?: string }): AspectRatio | undefined {
  if (request.aspectRatio) return request.aspectRatio as AspectRatio
  const match = /^(\d+)x(\d+)$/.exec(request.size ?? '')
  if (!match) return undefined
  const wanted = Math.log(Number(match[1]) / Number(match[2]))
  let best: AspectRatio = '1:1'
  let bestDistance = Number.POSITIVE_INFINITY
  for (const ratio of supportedRatios) {
    const [width, height] = ratio.split(':').map(Number) as [number, number]
    const distance = Math.abs(Math.log(width / height) - wanted)
    if (distance < bestDistance) {
      best = ratio
      bestDistance = distance
    }
  }
  return best
}
