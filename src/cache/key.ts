import { createHash } from 'node:crypto'
import type { ExecuteRequest } from '../execution/types.js'
import { canonicalJson } from './canonical.js'

/** Bump when the meaning of a cached entry changes; old entries then miss. */
export const CACHE_FORMAT = 1

/** CRLF and lone CR become LF, so a checkout on Windows hashes the same. */
function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n')
}

/**
 * The request exactly as it will be sent, with text normalised: the key is
 * computed from this and this is what is sent, so the two cannot disagree.
 */
export function normalizeRequest(request: ExecuteRequest): ExecuteRequest {
  const { stdin, args, ...rest } = request
  const normalized: ExecuteRequest = {
    ...rest,
    files: request.files.map((f) => ({ name: f.name, content: normalizeNewlines(f.content) })),
  }
  // Piston treats a missing stdin or args like empty ones: one key for both.
  if (stdin) normalized.stdin = normalizeNewlines(stdin)
  if (args?.length) normalized.args = args
  return normalized
}

/**
 * SHA-256 over everything that determines a result: language and version
 * selector as requested, every file's name and content, stdin, args, limits,
 * and the cache format. Titles, prose and display options are not in the
 * request, so they never change the key.
 */
export function cacheKey(request: ExecuteRequest): string {
  return keyedRequest(request).key
}

/** The normalised request, to send, and its key: normalised once for both. */
export function keyedRequest(raw: ExecuteRequest): { request: ExecuteRequest; key: string } {
  const request = normalizeRequest(raw)
  const material = canonicalJson({ format: CACHE_FORMAT, request })
  return { request, key: createHash('sha256').update(material).digest('hex') }
}
