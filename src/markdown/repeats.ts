/**
 * A fence with 200,000 unknown tokens is one problem said 200,000 times: a
 * report that long hides everything else and takes seconds to print.
 */

/** Problems of one rule listed per fence; the rest are counted. */
export const MAX_REPEATS = 10

/**
 * The first `max` problems of each rule, in order, then for each rule with
 * more a single problem in their place (at the first one left out) that
 * says how many were left out.
 */
export function capRepeats<P extends { ruleId: string; message: string }>(problems: P[], max = MAX_REPEATS): P[] {
  const seen = new Map<string, number>()
  const omitted = new Map<string, P>()
  const kept = problems.filter((p) => {
    const n = (seen.get(p.ruleId) ?? 0) + 1
    seen.set(p.ruleId, n)
    if (n === max + 1) omitted.set(p.ruleId, p)
    return n <= max
  })
  for (const [ruleId, first] of omitted) {
    const left = seen.get(ruleId)! - max
    kept.push({ ...first, message: `and ${left.toLocaleString('en-US')} more ${ruleId} problems in this fence, not listed` })
  }
  return kept
}
