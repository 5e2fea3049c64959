import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { factsFromProbe } from './probe.ts'

const mp4 = { ok: true, mime: 'video/mp4', kind: 'video' } as const

describe('factsFromProbe', () => {
  it('gives video its displayed size and duration', () => {
    const json = {
      format: { duration: '2.040000' },
      streams: [
        { codec_type: 'video', width: 1920, height: 1080 },
        { codec_type: 'audio', duration: '2.0' },
      ],
    }
    expect(factsFromProbe(json, mp4)).toEqual({
      ok: true,
      facts: { kind: 'video', mime: 'video/mp4', width: 1920, height: 1080, durationMs: 2040 },
    })
    const phone = { streams: [{ codec_type: 'video', width: 1920, height: 1080, side_data_list: [{ rotation: -90 }] }] }
    expect(factsFromProbe(phone, mp4)).toEqual({
      ok: true,
      facts: { kind: 'video', mime: 'video/mp4', width: 1080, height: 1920 },
    })
  })

  it('treats a video container holding only sound, or cover art, as audio', () => {
    const soundOnly = { format: { duration: '1.5' }, streams: [{ codec_type: 'audio' }] }
    expect(factsFromProbe(soundOnly, { ok: true, mime: 'video/webm', kind: 'video' })).toEqual({
      ok: true,
      facts: { kind: 'audio', mime: 'audio/webm', durationMs: 1500 },
    })
    const withCover = {
      format: { duration: '3' },
      streams: [
        { codec_type: 'audio' },
        { codec_type: 'video', width: 500, height: 500, disposition: { attached_pic: 1 } },
      ],
    }
    expect(factsFromProbe(withCover, { ok: true, mime: 'audio/mpeg', kind: 'audio' })).toEqual({
      ok: true,
      facts: { kind: 'audio', mime: 'audio/mpeg', durationMs: 3000 },
    })
  })

  it('refuses a file without the stream its type promises', () => {
    expect(factsFromProbe({ streams: [] }, mp4)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no video stream/),
    })
    expect(
      factsFromProbe(
        { streams: [{ codec_type: 'video', width: 4, height: 4 }] },
        { ok: true, mime: 'audio/wav', kind: 'audio' },
      ),
    ).toMatchObject({ ok: false })
  })
})

describe('probeMedia', () => {
  it('runs ffprobe on the file, and refuses what it cannot read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patchbay-probe-'))
    try {
      const report = JSON.stringify({ format: { duration: '1.25' }, streams: [{ codec_type: 'audio' }] })
      const good = join(dir, 'ffprobe-good')
      await writeFile(good, `#!/bin/sh\necho "$@" > "${dir}/args"\ncat <<'JSON'\n${report}\nJSON\n`, { mode: 0o755 })
      const bad = join(dir, 'ffprobe-bad')
      await writeFile(bad, '#!/bin/sh\necho "moov atom not found" >&2\nexit 1\n', { mode: 0o755 })
      const wav = { ok: true, mime: 'audio/wav', kind: 'audio' } as const

      const withGood = await probeWith(good)
      expect(await withGood('/data/a b.wav', wav)).toEqual({
        ok: true,
        facts: { kind: 'audio', mime: 'audio/wav', durationMs: 1250 },
      })
      expect((await readFile(join(dir, 'args'), 'utf8')).trim()).toBe(
        '-v error -print_format json -show_format -show_streams /data/a b.wav',
      )
      const withBad = await probeWith(bad)
      expect(await withBad('/data/x.wav', wav)).toEqual({
        ok: false,
        reason: 'it looks like audio/wav but cannot be read (moov atom not found)',
      })
      const withNone = await probeWith(join(dir, 'not-installed'))
      expect(await withNone('/data/x.wav', wav)).toEqual({
        ok: true,
        facts: { kind: 'audio', mime: 'audio/wav' },
        unprobed: true,
      })
    } finally {
      await rm(dir, { recursive: true, force: true })
      vi.unstubAllEnvs()
      vi.resetModules()
    }
  })
})

/** `probeMedia` of a fresh module instance that runs `binary` as ffprobe (the path is read when the module loads). */
async function probeWith(binary: string) {
  vi.stubEnv('PATCHBAY_FFPROBE', binary)
  vi.resetModules()
  const { probeMedia } = await import('./probe.ts')
  return probeMedia
}
