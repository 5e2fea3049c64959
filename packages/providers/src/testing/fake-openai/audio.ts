import type { ServerResponse } from 'node:http'
import { type RecordedRequest, sendBytes, sendJson } from '../loopback-server.ts'
import { wavBytes } from '../media.ts'
import { rejectMissing, sendOpenAIError } from './errors.ts'
import { formFields, formFiles, readFormData } from './multipart.ts'

/**
 * The Content-Type OpenAI answers each `response_format` with. The fake encodes nothing:
 * whatever the format, the body is a WAV tone (so an mp3 request gets WAV bytes labelled
 * `audio/mpeg`, and clients that sniff the bytes see WAV).
 */
const speechMimes: Record<string, string> = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  opus: 'audio/ogg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  pcm: 'audio/pcm',
}

/** `POST /v1/audio/speech`: a short tone, longer for longer input. */
export function answerSpeech(request: RecordedRequest, response: ServerResponse): void {
  const body = (request.json ?? {}) as Record<string, unknown>
  if (rejectMissing(response, body, ['model', 'input', 'voice'])) return
  const format = typeof body.response_format === 'string' ? body.response_format : 'mp3'
  const mime = speechMimes[format]
  if (!mime) {
    sendOpenAIError(
      response,
      400,
      `Invalid value: '${format}'. Supported values are: ${Object.keys(speechMimes).join(', ')}.`,
      {
        param: 'response_format',
        code: 'invalid_value',
      },
    )
    return
  }
  const seconds = Math.min(2, 0.1 + String(body.input).length / 200)
  sendBytes(response, 200, wavBytes(seconds), mime)
}

/** `POST /v1/audio/transcriptions` (multipart): `transcribed <n> bytes`, with the duration when the upload is a WAV. */
export async function answerTranscriptions(request: RecordedRequest, response: ServerResponse): Promise<void> {
  const form = await readFormData(request)
  const fields = formFields(form)
  if (rejectMissing(response, fields, ['model'])) return
  const [file] = formFiles(form, 'file')
  if (!file) {
    sendOpenAIError(response, 400, "Missing required parameter: 'file'.", {
      param: 'file',
      code: 'missing_required_parameter',
    })
    return
  }
  const bytes = new Uint8Array(await file.arrayBuffer())
  const text = `transcribed ${bytes.byteLength} bytes`
  const format = fields.response_format ?? 'json'
  if (format === 'text') {
    sendBytes(response, 200, new TextEncoder().encode(text), 'text/plain; charset=utf-8')
  } else if (format === 'verbose_json') {
    const duration = wavDurationSeconds(bytes)
    sendJson(response, 200, { task: 'transcribe', language: 'english', duration, text, segments: [] })
  } else {
    sendJson(response, 200, { text, usage: { type: 'tokens', input_tokens: 1, output_tokens: 1, total_tokens: 2 } })
  }
}

/** Reads a canonical PCM WAV header (as `wavBytes` writes); 0 for anything else. */
function wavDurationSeconds(bytes: Uint8Array): number {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.length < 44 || view.toString('ascii', 0, 4) !== 'RIFF' || view.toString('ascii', 8, 12) !== 'WAVE') return 0
  const byteRate = view.readUInt32LE(28)
  return byteRate > 0 ? view.readUInt32LE(40) / byteRate : 0
}
