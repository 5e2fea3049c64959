import { modelCapabilities } from '@patchbay/core'
import { z } from 'zod'

/** List prices in US dollars; a model has the ones that apply to what it does. */
export const priceSchema = z
  .object({
    perImage: z.number().nonnegative(),
    /** Per second of generated video. */
    perSecond: z.number().nonnegative(),
    perInputKTokens: z.number().nonnegative(),
    perOutputKTokens: z.number().nonnegative(),
    /** Per 1,000 characters of text spoken. */
    perKCharacters: z.number().nonnegative(),
    /** Per minute of audio transcribed. */
    perMinute: z.number().nonnegative(),
  })
  .partial()
  .strict()
export type ModelPrice = z.infer<typeof priceSchema>

/** What a model accepts; the validator checks node params against it and the canvas builds controls from it. */
export const modelParamsSchema = z
  .object({
    sizes: z.array(z.string().regex(/^\d+x\d+$/)).min(1),
    aspectRatios: z.array(z.string().regex(/^\d+:\d+$/)).min(1),
    /** Most images one call may return. */
    maxImages: z.number().int().positive(),
    /** Whether a seed is honoured (and so a fixed seed gives the same image). */
    seed: z.boolean(),
    /** Durations in seconds the model can generate. */
    durations: z.array(z.number().positive()).min(1),
    defaultDuration: z.number().positive(),
    resolutions: z.array(z.string()).min(1),
    firstFrame: z.boolean(),
    lastFrame: z.boolean(),
    temperature: z.object({ min: z.number(), max: z.number() }),
    maxOutputTokens: z.number().int().positive(),
    /** Accepts images with the prompt. */
    vision: z.boolean(),
    voices: z.array(z.string()).min(1),
  })
  .partial()
  .strict()
export type ModelParams = z.infer<typeof modelParamsSchema>

export const modelEntrySchema = z
  .object({
    /** `provider/model`, exactly what a node's `model` param holds. */
    id: z.string().regex(/^[a-z0-9-]+\/\S+$/),
    title: z.string().min(1),
    capabilities: z.array(z.enum(modelCapabilities)).min(1),
    params: modelParamsSchema.default({}),
    price: priceSchema.default({}),
    description: z.string().optional(),
  })
  .strict()
export type ModelEntry = z.infer<typeof modelEntrySchema>
export type ModelEntryInput = z.input<typeof modelEntrySchema>
