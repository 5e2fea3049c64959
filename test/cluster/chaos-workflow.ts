import type { Workflow } from '@patchbay/core'

const count = (id: string, ms: number) => ({ id, type: 'test.count', params: { ms } })
const wait = (id: string, ms: number) => ({ id, type: 'util.wait', params: { ms } })
const edge = (source: string, target: string, sourceHandle = 'out', targetHandle = 'in') => ({
  id: `${source}-${target}`,
  source,
  sourceHandle,
  target,
  targetHandle,
})

const lanes = [1, 2, 3, 4]

/**
 * 20 nodes: `s` fans out to four lanes (count → wait → count) and a short fifth branch; the
 * lanes join pairwise, the joins and the fifth branch join again, then a wait and `end`.
 */
export const chaosWorkflow: Workflow = {
  schemaVersion: 1,
  name: 'chaos',
  inputs: {},
  nodes: [
    count('s', 0),
    ...lanes.flatMap((lane) => [count(`b${lane}`, 40), wait(`w${lane}`, 80), count(`c${lane}`, 20)]),
    count('j1', 0),
    count('j2', 0),
    count('c5', 30),
    wait('w6', 60),
    count('j3', 0),
    wait('w5', 50),
    count('end', 0),
  ],
  edges: [
    ...lanes.flatMap((lane) => [
      edge('s', `b${lane}`),
      edge(`b${lane}`, `w${lane}`, 'out', 'value'),
      edge(`w${lane}`, `c${lane}`, 'value', 'in'),
    ]),
    edge('c1', 'j1'),
    edge('c2', 'j1'),
    edge('c3', 'j2'),
    edge('c4', 'j2'),
    edge('s', 'c5'),
    edge('c5', 'w6', 'out', 'value'),
    edge('w6', 'j3', 'value', 'in'),
    edge('j1', 'j3'),
    edge('j2', 'j3'),
    edge('j3', 'w5', 'out', 'value'),
    edge('w5', 'end', 'value', 'in'),
  ],
} as Workflow
