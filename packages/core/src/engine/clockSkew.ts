/**
 * Estimates the issuer's clock minus the local clock, in ms, from the `iat` of a
 * token that has just arrived. Only fresh tokens may be used: a token restored from
 * storage hours after it was issued would look like hours of skew. Offsets within
 * `toleranceMs` are network latency, not skew, and count as zero.
 */
export function estimateClockOffset(
  issuedAtSeconds: number | undefined,
  receivedAt: number,
  toleranceMs: number,
): number {
  if (issuedAtSeconds === undefined) return 0
  const offset = issuedAtSeconds * 1000 - receivedAt
  return Math.abs(offset) <= toleranceMs ? 0 : offset
}
