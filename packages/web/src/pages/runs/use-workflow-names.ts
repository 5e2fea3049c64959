import { useQuery } from '@tanstack/react-query'
import { api } from '../../app/api.ts'

/** Names of the organisation's workflows by id (for run tables; deleted ones are missing). */
export function useWorkflowNames() {
  const query = useQuery({
    queryKey: ['workflows', 'names'],
    queryFn: () => api.workflows.list({ limit: 500 }),
    staleTime: 60_000,
  })
  const names = new Map(query.data?.items.map((w) => [w.id, w.name]) ?? [])
  return { names, workflows: query.data?.items ?? [], isPending: query.isPending }
}
