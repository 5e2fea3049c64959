type Size = `${number}x${number}`

const gptImageSizes: Size[] = ['1024x1024', '1536x1024', '1024x1536']
const dallE3Sizes: Size[] = ['1024x1024', '1792x1024', '1024x1792']

/**
 * OpenAI image models take a size, not an aspect ratio (the SDK drops `aspectRatio` with a
 * warning), so a requested ratio becomes the model's size whose shape is closest to it.
 * DALL·E 2 only draws squares: there a ratio is left to the default size.
 */
export function openaiSizeForAspectRatio(model: string, aspectRatio: string | undefined): Size | undefined {
  const ratio = parseRatio(aspectRatio)
  if (ratio === undefined || model === 'dall-e-2') return undefined
  const sizes = model === 'dall-e-3' ? dallE3Sizes : gptImageSizes
  let best = sizes[0]
  let bestDistance = Number.POSITIVE_INFINITY
  for (const size of sizes) {
    const [width, height] = size.split('x').map(Number) as [number, number]
    const distance = Math.abs(Math.log(width / height / ratio))
    if (distance < bestDistance) {
      best = size
      bestDistance = distance
    }
  }
  return best
}

function parseRatio(aspectRatio: string | undefined): number | undefined {
  const match = aspectRatio?.match(/^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/)
  if (!match) return undefined
  const ratio = Number(match[1]) / Number(match[2])
  return Number.isFinite(ratio) && ratio > 0 ? ratio : undefined
}
