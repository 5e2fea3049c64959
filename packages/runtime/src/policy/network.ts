import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP } from 'node:net'
import { NodeError } from '@patchbay/core'
import { Agent, fetch as undiciFetch } from 'undici'

export interface NetworkPolicy {
  /** Hosts (exact names or IPs) nodes may reach even though they resolve to private addresses. */
  allowPrivateHosts: readonly string[]
  /** Allow every private, loopback and link-local address (trusted single-user setups and tests). */
  allowAllPrivate?: boolean
  /** Resolves a host name to its addresses (default: the system resolver); replaceable in tests. */
  resolve?: (host: string) => Promise<string[]>
}

const privateRanges = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv4')
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  // (IPv4-mapped IPv6 is unwrapped in isPrivateAddress; listing ::ffff:0:0/96 here would make
  // BlockList match every IPv4 address.)
  privateRanges.addSubnet(network, prefix, 'ipv6')
}

/** Whether an IP address is private, loopback, link-local or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return true
  if (family === 6 && address.toLowerCase().startsWith('::ffff:')) {
    const v4 = address.slice(7)
    if (isIP(v4) === 4) return privateRanges.check(v4, 'ipv4')
  }
  return privateRanges.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

/**
 * A `fetch` for nodes that refuses non-http(s) URLs and private targets (SSRF protection),
 * follows redirects itself so each hop is checked, and is bound to the node's signal.
 *
 * Addresses are checked twice: before the request, for a clear error, and again by the
 * connection's own DNS lookup, so a name that resolves to a public address for the check and
 * to a private one for the connection (DNS rebinding) is still refused.
 */
export function createGuardedFetch(policy: NetworkPolicy, signal: AbortSignal) {
  const dispatcher = dispatcherFor(policy)
  return async function guardedFetch(input: string, init: RequestInit = {}): Promise<Response> {
    let url = parseUrl(input)
    for (let hop = 0; hop <= 5; hop++) {
      await assertAllowed(url, policy)
      let response: Response
      try {
        const request = { ...init, redirect: 'manual', signal: init.signal ?? signal, dispatcher }
        response = (await undiciFetch(url, request as Parameters<typeof undiciFetch>[1])) as unknown as Response
      } catch (error) {
        if (signal.aborted) throw signal.reason
        const cause = error instanceof Error ? (error.cause as Error | undefined) : undefined
        if (cause instanceof NodeError) throw cause
        const reason = error instanceof Error ? (cause?.message ?? error.message) : String(error)
        throw new NodeError('NETWORK_ERROR', `request to ${url.host} failed: ${reason}`, { retryable: true })
      }
      const location = response.headers.get('location')
      if (response.status >= 300 && response.status < 400 && location) {
        url = parseUrl(new URL(location, url).toString())
        continue
      }
      return response
    }
    throw new NodeError('TOO_MANY_REDIRECTS', `${input} redirected more than 5 times`)
  }
}

function parseUrl(input: string): URL {
  let url: URL
  try {
    url = new URL(input)
  } catch {
    throw new NodeError('INVALID_URL', `"${input}" is not a valid URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NodeError('INVALID_URL', `only http and https URLs are allowed, got ${url.protocol}`)
  }
  return url
}

async function assertAllowed(url: URL, policy: NetworkPolicy): Promise<void> {
  if (policy.allowAllPrivate) return
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (policy.allowPrivateHosts.includes(host)) return
  let addresses: string[]
  try {
    addresses = isIP(host) ? [host] : await resolverOf(policy)(host)
  } catch {
    throw new NodeError('NETWORK_ERROR', `cannot resolve ${host}`, { retryable: true })
  }
  const blocked = addresses.find(isPrivateAddress)
  if (blocked) throw blockedError(host, blocked)
}

function blockedError(host: string, address: string): NodeError {
  return new NodeError(
    'PRIVATE_ADDRESS_BLOCKED',
    `${host} resolves to the private address ${address}; allow it with PATCHBAY_ALLOW_PRIVATE_HOSTS=${host}`,
  )
}

function systemResolve(host: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, entries) =>
      error ? reject(error) : resolve(entries.map((entry) => entry.address)),
    ),
  )
}

function resolverOf(policy: NetworkPolicy): (host: string) => Promise<string[]> {
  return policy.resolve ?? systemResolve
}

/** One connection pool per policy, whose connections resolve names through the policy's check. */
const dispatchers = new WeakMap<NetworkPolicy, Agent>()

function dispatcherFor(policy: NetworkPolicy): Agent {
  let agent = dispatchers.get(policy)
  if (!agent) {
    agent = new Agent({ connect: { lookup: guardedLookup(policy) } })
    dispatchers.set(policy, agent)
  }
  return agent
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void

/** A `net.connect` lookup that resolves like the system's but refuses private addresses. */
function guardedLookup(policy: NetworkPolicy) {
  return (host: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolverOf(policy)(host).then(
      (addresses) => {
        const allowed = policy.allowAllPrivate || policy.allowPrivateHosts.includes(host)
        const blocked = allowed ? undefined : addresses.find(isPrivateAddress)
        if (blocked) return callback(blockedError(host, blocked), [])
        if (addresses.length === 0) return callback(new Error(`cannot resolve ${host}`), [])
        const entries = addresses.map((address) => ({ address, family: isIP(address) }))
        if (options.all) callback(null, entries)
        else callback(null, entries[0]?.address ?? '', entries[0]?.family)
      },
      (error: Error) => callback(error, []),
    )
  }
}
