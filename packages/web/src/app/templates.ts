import type { Workflow } from '@patchbay/sdk'

// The repository's examples/*.json, bundled at build time.
const modules = import.meta.glob<Workflow>('../../../../examples/*.json', { eager: true, import: 'default' })

/** A workflow to start from. */
export interface Template {
  /** The file's base name, e.g. `image-pipeline`. */
  key: string
  name: string
  description: string
  nodeCount: number
  document: Workflow
}

/** The bundled example workflows, by name. */
export const templates: Template[] = Object.entries(modules)
  .map(([path, document]) => ({
    key: path.replace(/^.*\/|\.json$/g, ''),
    name: document.name,
    description: typeof document.description === 'string' ? document.description : '',
    nodeCount: Array.isArray(document.nodes) ? document.nodes.length : 0,
    document,
  }))
  .sort((a, b) => a.name.localeCompare(b.name))
