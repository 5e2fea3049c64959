import { z } from 'zod'
import { describePort, isCompatible } from '../data-types.ts'
import type { ValidationIssue } from '../errors.ts'
import { buildAdjacency, findCycles } from '../graph.ts'
import { MAX_JSON_DEPTH, pathDeeperThan } from '../json-depth.ts'
import type { NodeRegistry } from '../registry.ts'
import { findInputRefs } from '../template.ts'
import { migrateDocument } from '../workflow/migrations.ts'
import {
  type Workflow,
  type WorkflowEdge,
  type WorkflowGroup,
  type WorkflowNode,
  type WorkflowNote,
  workflowEdgeSchema,
  workflowGroupSchema,
  workflowNodeSchema,
  workflowNoteSchema,
  workflowSchema,
} from '../workflow/schema.ts'
import { checkInputDefault } from './run-inputs.ts'

export type ValidationResult = { ok: true; workflow: Workflow } | { ok: false; issues: ValidationIssue[] }

/**
 * The one validator used by the API, CLI, canvas and engine. Reports every problem at once,
 * each naming the node, edge, handle or field it concerns.
 */
export function validateWorkflow(input: unknown, registry: NodeRegistry): ValidationResult {
  const tooDeep = pathDeeperThan(input, MAX_JSON_DEPTH)
  if (tooDeep) {
    const message = `the document nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`
    return { ok: false, issues: [{ code: 'JSON_TOO_DEEP', message, path: tooDeep.slice(0, 8) }] }
  }
  const doc = migrateDocument(input)
  const issues: ValidationIssue[] = []

  const workflow = parseDocument(doc, issues)
  if (!workflow) return { ok: false, issues }

  issues.push(...checkWorkflowInputs(workflow))
  const nodeById = checkNodes(workflow, registry, issues)
  checkAnnotationIds(workflow, issues)
  const validEdges = checkEdges(workflow, registry, nodeById, issues)
  checkRequiredInputs(workflow, registry, validEdges, issues)
  checkRunOutputs(workflow, registry, issues)
  const adjacency = buildAdjacency(nodeById.keys(), validEdges)
  for (const cycle of findCycles([...nodeById.keys()], adjacency)) {
    issues.push({
      code: 'CYCLE',
      message: `the graph has a cycle: ${cycle.join(' → ')}`,
      path: ['edges'],
      nodeId: cycle[0],
    })
  }

  return issues.length === 0 ? { ok: true, workflow } : { ok: false, issues }
}

const arrayOfUnknown = z.array(z.unknown())
const envelopeSchema = workflowSchema.extend({
  nodes: arrayOfUnknown,
  edges: arrayOfUnknown.default([]),
  notes: arrayOfUnknown.optional(),
  groups: arrayOfUnknown.optional(),
})

/**
 * The document's shape. A well-formed document takes one fast pass; otherwise nodes, edges,
 * notes and groups are parsed one by one so a bad edge does not hide a bad node, and every
 * well-formed item still takes part in the graph checks. Undefined when the envelope itself
 * is broken.
 */
function parseDocument(doc: unknown, issues: ValidationIssue[]): Workflow | undefined {
  const whole = workflowSchema.safeParse(doc)
  if (whole.success) return whole.data
  const envelope = envelopeSchema.safeParse(doc)
  if (!envelope.success) {
    issues.push(...zodIssues(envelope.error, [], 'INVALID_DOCUMENT'))
    return undefined
  }
  const nodes: WorkflowNode[] = []
  envelope.data.nodes.forEach((raw, index) => {
    const parsed = workflowNodeSchema.safeParse(raw)
    if (parsed.success) nodes.push(parsed.data)
    else issues.push(...zodIssues(parsed.error, ['nodes', index], 'INVALID_NODE', idOf(raw)))
  })
  const edges: WorkflowEdge[] = []
  envelope.data.edges.forEach((raw, index) => {
    const parsed = workflowEdgeSchema.safeParse(raw)
    if (parsed.success) edges.push(parsed.data)
    else issues.push(...zodIssues(parsed.error, ['edges', index], 'INVALID_EDGE', undefined, idOf(raw)))
  })
  const { notes: rawNotes, groups: rawGroups, ...rest } = envelope.data
  const workflow: Workflow = { ...rest, nodes, edges }
  if (rawNotes) workflow.notes = parseAnnotations(rawNotes, workflowNoteSchema, 'note', issues)
  if (rawGroups) workflow.groups = parseAnnotations(rawGroups, workflowGroupSchema, 'group', issues)
  return workflow
}

function parseAnnotations<T extends WorkflowNote | WorkflowGroup>(
  raw: unknown[],
  schema: z.ZodType<T>,
  kind: 'note' | 'group',
  issues: ValidationIssue[],
): T[] {
  const items: T[] = []
  raw.forEach((item, index) => {
    const parsed = schema.safeParse(item)
    if (parsed.success) {
      items.push(parsed.data)
      return
    }
    const id = idOf(item)
    for (const issue of zodIssues(parsed.error, [`${kind}s`, index], `INVALID_${kind.toUpperCase()}`)) {
      const where = id === undefined ? `${kind} ${index}` : `${kind} "${id}"`
      issues.push({ ...issue, message: `${where}: ${issue.message}` })
    }
  })
  return items
}

/**
 * Notes and groups become canvas elements beside the nodes, so their ids must be unique among
 * all three. A clash between two nodes is `DUPLICATE_NODE_ID`, reported by `checkNodes`.
 */
function checkAnnotationIds(workflow: Workflow, issues: ValidationIssue[]): void {
  const owners = new Map<string, string>(workflow.nodes.map((node) => [node.id, `node "${node.id}"`]))
  const annotations = [
    ...(workflow.notes ?? []).map((item, index) => ({ kind: 'note', path: ['notes', index], id: item.id })),
    ...(workflow.groups ?? []).map((item, index) => ({ kind: 'group', path: ['groups', index], id: item.id })),
  ]
  for (const { kind, path, id } of annotations) {
    const owner = owners.get(id)
    if (owner !== undefined) {
      issues.push({
        code: 'DUPLICATE_ID',
        message: `${kind} "${id}": the id is already used by ${owner}`,
        path: [...path, 'id'],
        field: 'id',
        details: { kind, id },
      })
    } else owners.set(id, `${kind} "${id}"`)
  }
}

function checkWorkflowInputs(workflow: Workflow): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  for (const [name, input] of Object.entries(workflow.inputs)) {
    const problem = input.default === undefined ? undefined : checkInputDefault(input.type, input.default)
    if (problem) {
      issues.push({
        code: 'INVALID_INPUT_DEFAULT',
        message: `workflow input "${name}": default ${problem}`,
        path: ['inputs', name, 'default'],
        field: name,
      })
    }
  }
  return issues
}

function checkNodes(workflow: Workflow, registry: NodeRegistry, issues: ValidationIssue[]): Map<string, WorkflowNode> {
  const byId = new Map<string, WorkflowNode>()
  workflow.nodes.forEach((node, index) => {
    const path = ['nodes', index]
    if (byId.has(node.id)) {
      issues.push({ code: 'DUPLICATE_NODE_ID', message: `node id "${node.id}" is used twice`, path, nodeId: node.id })
      return
    }
    byId.set(node.id, node)
    const definition = registry.get(node.type)
    if (!definition) {
      issues.push({
        code: 'UNKNOWN_NODE_TYPE',
        message: `node "${node.id}": unknown node type "${node.type}"`,
        path: [...path, 'type'],
        nodeId: node.id,
      })
    } else {
      const parsed = definition.params.safeParse(node.params)
      if (!parsed.success) issues.push(...zodIssues(parsed.error, [...path, 'params'], 'INVALID_PARAM', node.id))
    }
    for (const name of findInputRefs(node.params)) {
      if (!Object.hasOwn(workflow.inputs, name)) {
        issues.push({
          code: 'UNKNOWN_WORKFLOW_INPUT',
          message: `node "${node.id}": {{inputs.${name}}} refers to an input the workflow does not declare`,
          path: [...path, 'params'],
          nodeId: node.id,
          field: name,
        })
      }
    }
  })
  return byId
}

function checkEdges(
  workflow: Workflow,
  registry: NodeRegistry,
  nodeById: Map<string, WorkflowNode>,
  issues: ValidationIssue[],
): WorkflowEdge[] {
  const seenIds = new Set<string>()
  const edgesIntoHandle = new Map<string, number>()
  const valid: WorkflowEdge[] = []
  for (const [index, edge] of workflow.edges.entries()) {
    const path = ['edges', index]
    const problem = (code: string, message: string, extra: Partial<ValidationIssue> = {}) =>
      void issues.push({ code, message: `edge "${edge.id}": ${message}`, path, edgeId: edge.id, ...extra })
    if (seenIds.has(edge.id)) {
      problem('DUPLICATE_EDGE_ID', 'edge id is used twice')
      continue
    }
    seenIds.add(edge.id)
    const source = nodeById.get(edge.source)
    const target = nodeById.get(edge.target)
    if (!source) problem('UNKNOWN_NODE', `source node "${edge.source}" does not exist`, { nodeId: edge.source })
    if (!target) problem('UNKNOWN_NODE', `target node "${edge.target}" does not exist`, { nodeId: edge.target })
    if (!source || !target) continue
    const sourceDef = registry.get(source.type)
    const targetDef = registry.get(target.type)
    // Edges of unknown node types still count for cycles; their handles cannot be checked.
    if (!sourceDef || !targetDef) {
      valid.push(edge)
      continue
    }
    const out = sourceDef.outputs[edge.sourceHandle]
    const into = targetDef.inputs[edge.targetHandle]
    if (!out) {
      problem('UNKNOWN_HANDLE', `node "${source.id}" (${source.type}) has no output "${edge.sourceHandle}"`, {
        nodeId: source.id,
        handle: edge.sourceHandle,
      })
    }
    if (!into) {
      problem('UNKNOWN_HANDLE', `node "${target.id}" (${target.type}) has no input "${edge.targetHandle}"`, {
        nodeId: target.id,
        handle: edge.targetHandle,
      })
    }
    if (!out || !into) continue
    if (!isCompatible(out, into)) {
      problem(
        'INCOMPATIBLE_TYPES',
        `output "${source.id}.${edge.sourceHandle}" (${describePort(out)}) cannot feed input "${target.id}.${edge.targetHandle}" (${describePort(into)})`,
        { nodeId: target.id, handle: edge.targetHandle },
      )
      continue
    }
    const handleKey = `${target.id}\u0000${edge.targetHandle}`
    const count = (edgesIntoHandle.get(handleKey) ?? 0) + 1
    edgesIntoHandle.set(handleKey, count)
    if (count > 1 && !into.multiple) {
      problem('TOO_MANY_EDGES', `input "${target.id}.${edge.targetHandle}" accepts only one connection`, {
        nodeId: target.id,
        handle: edge.targetHandle,
      })
      continue
    }
    valid.push(edge)
  }
  return valid
}

function checkRequiredInputs(
  workflow: Workflow,
  registry: NodeRegistry,
  edges: WorkflowEdge[],
  issues: ValidationIssue[],
): void {
  const connected = new Set(edges.map((edge) => `${edge.target}\u0000${edge.targetHandle}`))
  workflow.nodes.forEach((node, index) => {
    const definition = registry.get(node.type)
    if (!definition) return
    for (const [handle, spec] of Object.entries(definition.inputs)) {
      if (spec.required && !connected.has(`${node.id}\u0000${handle}`)) {
        issues.push({
          code: 'MISSING_REQUIRED_INPUT',
          message: `node "${node.id}": required input "${handle}" (${describePort(spec)}) is not connected`,
          path: ['nodes', index],
          nodeId: node.id,
          handle,
        })
      }
    }
  })
}

function checkRunOutputs(workflow: Workflow, registry: NodeRegistry, issues: ValidationIssue[]): void {
  const owners = new Map<string, string>()
  workflow.nodes.forEach((node, index) => {
    const definition = registry.get(node.type)
    if (!definition?.runOutput) return
    const parsed = definition.params.safeParse(node.params)
    if (!parsed.success) return
    const name = (definition.runOutput as (params: unknown) => string)(parsed.data)
    const owner = owners.get(name)
    if (owner !== undefined) {
      issues.push({
        code: 'DUPLICATE_OUTPUT_NAME',
        message: `nodes "${owner}" and "${node.id}" both produce the run output "${name}"`,
        path: ['nodes', index, 'params'],
        nodeId: node.id,
        field: 'name',
      })
    } else owners.set(name, node.id)
  })
}

function zodIssues(
  error: z.ZodError,
  prefix: (string | number)[],
  code: string,
  nodeId?: string,
  edgeId?: string,
): ValidationIssue[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))]
    const where = nodeId ? `node "${nodeId}": ` : edgeId ? `edge "${edgeId}": ` : ''
    const field = issue.path.length > 0 ? issue.path.join('.') : undefined
    const subject = code === 'INVALID_PARAM' ? `param "${field ?? ''}"` : field ? `"${field}"` : 'document'
    return {
      code,
      message: `${where}${subject}: ${issue.message}`,
      path,
      ...(nodeId ? { nodeId } : {}),
      ...(edgeId ? { edgeId } : {}),
      ...(field ? { field } : {}),
    }
  })
}

function idOf(raw: unknown): string | undefined {
  if (typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string') return raw.id
  return undefined
}
