import sharp from 'sharp'

/** A real PNG of one colour, so tests can check pixels that travelled through the gateway. */
export async function pngBytes(options: { width?: number; height?: number; color?: string } = {}): Promise<Uint8Array> {
  const { width = 64, height = 64, color = '#3366ff' } = options
  const buffer = await sharp({ create: { width, height, channels: 3, background: color } })
    .png()
    .toBuffer()
  return new Uint8Array(buffer)
}

/** A colour picked deterministically from text (and a seed), for fakes that "generate" images. */
export function colorFor(text: string, seed = 0): string {
  let hash = 2166136261 ^ seed
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619)
  return `#${((hash >>> 0) & 0xffffff).toString(16).padStart(6, '0')}`
}

/** A valid 16-bit mono PCM WAV file holding a sine tone. */
export function wavBytes(seconds = 1, sampleRate = 8000, frequency = 440): Uint8Array {
  const samples = Math.round(seconds * sampleRate)
  const buffer = Buffer.alloc(44 + samples * 2)
  buffer.write('RIFF', 0, 'ascii')
  buffer.writeUInt32LE(36 + samples * 2, 4)
  buffer.write('WAVEfmt ', 8, 'ascii')
  buffer.writeUInt32LE(16, 16)
  buffer.writeUInt16LE(1, 20)
  buffer.writeUInt16LE(1, 22)
  buffer.writeUInt32LE(sampleRate, 24)
  buffer.writeUInt32LE(sampleRate * 2, 28)
  buffer.writeUInt16LE(2, 32)
  buffer.writeUInt16LE(16, 34)
  buffer.write('data', 36, 'ascii')
  buffer.writeUInt32LE(samples * 2, 40)
  for (let i = 0; i < samples; i++) {
    buffer.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequency * i) / sampleRate) * 12000), 44 + i * 2)
  }
  return new Uint8Array(buffer)
}

/**
 * Bytes that start like an MP4 (an `ftyp` box) followed by `size` bytes of payload: enough
 * for MIME sniffing and byte-for-byte comparison; tests that need playable video use ffmpeg.
 */
export function mp4Bytes(size = 4096, fill = 7): Uint8Array {
  const header = Buffer.from([0, 0, 0, 0x18, ...Buffer.from('ftypisom'), 0, 0, 2, 0, ...Buffer.from('isomiso2')])
  const bytes = new Uint8Array(header.length + size)
  bytes.set(header)
  bytes.fill(fill, header.length)
  return bytes
}
