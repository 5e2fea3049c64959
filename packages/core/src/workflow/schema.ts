import { z } from 'zod'

/** Latest version of the workflow document; older documents are upgraded by `migrateDocument`. */
export const CURRENT_SCHEMA_VERSION = 1

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits, "_", "-", "." or ":"')

export const workflowInputTypes = ['text', 'number', 'boolean', 'json'] as const
export type WorkflowInputType = (typeof workflowInputTypes)[number]

export const workflowInputSchema = z.object({
  type: z.enum(workflowInputTypes),
  default: z.unknown().optional(),
  description: z.string().optional(),
})

export const workflowNodeSchema = z.object({
  id,
  type: z.string().min(1),
  params: z.record(z.string(), z.unknown()).default({}),
  position: z.object({ x: z.number(), y: z.number() }).optional(),
  label: z.string().optional(),
  /** Overrides the node type's retry policy. */
  retry: z
    .object({
      maxAttempts: z.number().int().min(1).max(20),
      initialDelayMs: z.number().int().min(0).max(3_600_000),
      maxDelayMs: z.number().int().min(0).max(3_600_000),
    })
    .partial()
    .optional(),
  /** Per-attempt time limit in milliseconds, overriding the node type's. */
  timeoutMs: z.number().int().positive().max(86_400_000).optional(),
})

export const workflowEdgeSchema = z.object({
  id,
  source: id,
  sourceHandle: z.string().min(1),
  target: id,
  targetHandle: z.string().min(1),
})

/** The colours a sticky note or a group may take; the canvas maps each to a light and a dark tint. */
export const annotationColors = ['yellow', 'blue', 'green', 'pink', 'purple', 'gray'] as const
export type AnnotationColor = (typeof annotationColors)[number]

/** Bounds of a note's or group's width and height, in canvas pixels. */
export const annotationSizeLimits = { min: 40, max: 10_000 } as const

const annotationPosition = z.object({ x: z.number(), y: z.number() })
const annotationSize = z.object({
  width: z.number().min(annotationSizeLimits.min).max(annotationSizeLimits.max),
  height: z.number().min(annotationSizeLimits.min).max(annotationSizeLimits.max),
})

/** A sticky note on the canvas: markdown text. The engine ignores it. */
export const workflowNoteSchema = z.object({
  id,
  text: z.string().max(20_000).default(''),
  position: annotationPosition,
  size: annotationSize,
  color: z.enum(annotationColors).optional(),
})

/**
 * A labelled frame behind nodes on the canvas. Membership is not stored: the canvas treats the
 * nodes whose centre lies inside the frame as its content. The engine ignores it.
 */
export const workflowGroupSchema = z.object({
  id,
  label: z.string().max(200).default(''),
  position: annotationPosition,
  size: annotationSize,
  color: z.enum(annotationColors).optional(),
})

/** The workflow document: what the canvas saves, the API accepts and the engine runs. */
export const workflowSchema = z.object({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  name: z.string().min(1).max(200),
  description: z.string().optional(),
  inputs: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'input names are identifiers'), workflowInputSchema)
    .default({}),
  nodes: z.array(workflowNodeSchema),
  edges: z.array(workflowEdgeSchema).default([]),
  // Optional without a default (unlike `edges`), so a document without annotations parses to
  // exactly what it was before they existed, and keeps its version hash.
  notes: z.array(workflowNoteSchema).optional(),
  groups: z.array(workflowGroupSchema).optional(),
})

export type WorkflowInput = z.infer<typeof workflowInputSchema>
export type WorkflowNode = z.infer<typeof workflowNodeSchema>
export type WorkflowEdge = z.infer<typeof workflowEdgeSchema>
export type WorkflowNote = z.infer<typeof workflowNoteSchema>
export type WorkflowGroup = z.infer<typeof workflowGroupSchema>
export type Workflow = z.infer<typeof workflowSchema>
