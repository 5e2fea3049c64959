import { type AnyNodeDefinition, type AssetRef, createRegistry, isAssetRef, nodeCatalog } from '@patchbay/core'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { splitImage } from '../testing/test-images.ts'
import { imageNodes } from './index.ts'
import { audioRef, storeGarbage, storeImage } from './test-fixtures.ts'

/** Params that make each node do real work; the others run with their defaults. */
const paramsFor: Record<string, Record<string, unknown>> = {
  'image.resize': { width: 10 },
  'image.convert': { format: 'webp' },
  'image.text': { text: 'Hi' },
}

/** Every node that processes images, i.e. all but `image.load`. */
const processors = Object.values(imageNodes).filter((node) => node.type !== 'image.load') as AnyNodeDefinition[]

/** Inputs for `node` with `value` on every image input (as a one-item array for `multiple` ones). */
function inputsFor(node: AnyNodeDefinition, value: (port: string) => unknown): Record<string, unknown> {
  const inputs: Record<string, unknown> = {}
  for (const [port, spec] of Object.entries(node.inputs)) {
    if (spec.type === 'image') inputs[port] = spec.multiple ? [value(port)] : value(port)
  }
  return inputs
}

function run(node: AnyNodeDefinition, inputs: Record<string, unknown>, test: TestContext) {
  return runNode(node as never, { params: paramsFor[node.type] ?? {}, inputs } as never, test) as Promise<
    Record<string, unknown>
  >
}

describe('imageNodes', () => {
  it('holds every image node, keyed by its type', () => {
    for (const [type, node] of Object.entries(imageNodes)) expect(node.type).toBe(type)
    expect(Object.keys(imageNodes)).toHaveLength(18)
  })

  it('describes every node in the catalog, params as JSON Schema with descriptions', () => {
    const catalog = nodeCatalog(createRegistry(imageNodes))
    expect(catalog).toHaveLength(18)
    for (const entry of catalog) {
      expect(entry.params, entry.type).toMatchObject({ type: 'object' })
      const properties = (entry.params as { properties?: Record<string, { description?: string }> }).properties ?? {}
      for (const [name, property] of Object.entries(properties)) {
        expect(property.description, `${entry.type}.${name}`).toBeTruthy()
      }
    }
  })
})

describe('image nodes', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  const withImageOutputs = processors.filter((node) =>
    Object.values(node.outputs).some((port) => port.type === 'image'),
  )
  it.each(withImageOutputs.map((node) => [node.type, node] as const))(
    '%s records width and height on every image it outputs',
    async (_type, node) => {
      test = createTestContext()
      const image = await storeImage(test, await splitImage({ width: 40, height: 20 }))
      const outputs = await run(
        node,
        inputsFor(node, () => image),
        test,
      )
      const refs = Object.values(outputs).flatMap((value) => (Array.isArray(value) ? value : [value]))
      const images = refs.filter((value): value is AssetRef => isAssetRef(value))
      expect(images.length).toBeGreaterThan(0)
      for (const ref of images) {
        expect(ref.width).toBeGreaterThan(0)
        expect(ref.height).toBeGreaterThan(0)
      }
    },
  )

  it.each(processors.map((node) => [node.type, node] as const))(
    '%s rejects a non-image input with INVALID_INPUT',
    async (_type, node) => {
      test = createTestContext()
      const image = await storeImage(test, await splitImage({ width: 20, height: 20 }))
      for (const port of Object.keys(inputsFor(node, () => image))) {
        const inputs = inputsFor(node, (each) => (each === port ? audioRef : image))
        const result = run(node, inputs, test)
        await expect(result, port).rejects.toMatchObject({ code: 'INVALID_INPUT', retryable: false })
      }
    },
  )

  it.each(processors.map((node) => [node.type, node] as const))(
    '%s fails with INVALID_IMAGE on empty or damaged bytes and stores nothing',
    async (_type, node) => {
      test = createTestContext()
      const empty = await test.ctx.assets.put(new Uint8Array(0), { mime: 'image/png' })
      const png = await splitImage({ width: 20, height: 20 })
      const truncated = await test.ctx.assets.put(png.slice(0, 60), { mime: 'image/png' })
      for (const bad of [empty, truncated, await storeGarbage(test)]) {
        const before = test.stored.length
        await expect(
          run(
            node,
            inputsFor(node, () => bad),
            test,
          ),
        ).rejects.toMatchObject({
          code: 'INVALID_IMAGE',
          retryable: false,
        })
        expect(test.stored).toHaveLength(before)
      }
    },
  )

  it.each(processors.map((node) => [node.type, node] as const))(
    '%s stops when the run is cancelled',
    async (_type, node) => {
      test = createTestContext()
      const image = await storeImage(test, await splitImage({ width: 20, height: 20 }))
      test.controller.abort()
      await expect(
        run(
          node,
          inputsFor(node, () => image),
          test,
        ),
      ).rejects.toMatchObject({ code: 'CANCELED' })
      expect(test.stored).toHaveLength(1)
    },
  )
})
