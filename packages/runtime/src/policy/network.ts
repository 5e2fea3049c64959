import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'
import { NodeError } from '@patchbay/core'

export interface NetworkPolicy {
  /** Hosts (exact names or IPs) nodes may reach even though they resolve to private addresses. */
  allowPrivateHosts: readonly string[]
  /** Allow every private, loopback and link-local address (trusted single-user setups and tests). */
  allowAllPrivate?: boolean
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
 */
export function createGuardedFetch(policy: NetworkPolicy, signal: AbortSignal) {
  return async function guardedFetch(input: string, init: RequestInit = {}): Promise<Response> {
    let url = parseUrl(input)
    for (let hop = 0; hop <= 5; hop++) {
      await assertAllowed(url, policy)
      let response: Response
      try {
        response = await fetch(url, { ...init, redirect: 'manual', signal: init.signal ?? signal })
      } catch (error) {
        if (signal.aborted) throw signal.reason
        const reason =
          error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)
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
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address)
  } catch {
    throw new NodeError('NETWORK_ERROR', `cannot resolve ${host}`, { retryable: true })
  }
  const blocked = addresses.find(isPrivateAddress)
  if (blocked) {
    throw new NodeError(
      'PRIVATE_ADDRESS_BLOCKED',
      `${host} resolves to the private address ${blocked}; allow it with PATCHBAY_ALLOW_PRIVATE_HOSTS=${host}`,
    )
  }
}
