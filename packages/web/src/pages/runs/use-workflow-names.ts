import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { api } from '../../app/api.ts'

/**
 * Names of the organisation's workflows by id (for run tables; deleted ones are missing).
 * `shown` are the ids on screen: one the names do not know yet (a workflow created after they
 * loaded, whose run arrived live) makes them load again, once per id, before it is called deleted.
 */
export function useWorkflowNames(shown: readonly (string | null)[] = []) {
  const query = useQuery({
    queryKey: ['workflows', 'names'],
    queryFn: () => api.workflows.list({ limit: 500 }),
    staleTime: 60_000,
  })
  const names = new Map(query.data?.items.map((w) => [w.id, w.name]) ?? [])
  const asked = useRef(new Set<string>())
  const unknown = query.isSuccess ? shown.filter((id): id is string => id !== null && !names.has(id)) : []
  const fresh = unknown.filter((id) => !asked.current.has(id))
  const refetch = query.refetch
  const key = fresh.join(',')
  useEffect(() => {
    if (!key) return
    for (const id of key.split(',')) asked.current.add(id)
    void refetch()
  }, [key, refetch])
  return {
    names,
    workflows: query.data?.items ?? [],
    /** Still loading, or loading again for an id it did not know. */
    isPending: query.isPending || fresh.length > 0 || (unknown.length > 0 && query.isFetching),
  }
}
