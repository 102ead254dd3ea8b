/** "Did you mean …?" for a misspelt name: one distance for fence options, languages and host options. */

/** Optimal string alignment distance: Levenshtein plus adjacent swaps (`titel`). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1)
      d[i]![j] = best
    }
  }
  return d[a.length]![b.length]!
}

/**
 * The name in `names` closest to `word` (case-insensitive), if it is within
 * `tolerance` edits; the first of equals wins. Names whose length alone puts
 * them out of reach are skipped unmeasured (a fence may hold 200,000 typos).
 */
export function closest<T extends string>(word: string, names: Iterable<T>, tolerance: number): T | undefined {
  const lower = word.toLowerCase()
  let best: T | undefined
  let bestDistance = tolerance + 1
  for (const name of names) {
    if (Math.abs(name.length - lower.length) >= bestDistance) continue
    const distance = editDistance(lower, name.toLowerCase())
    if (distance < bestDistance) {
      best = name
      bestDistance = distance
    }
  }
  return best
}

/** The language name in `names` close enough to `language` to be a plausible typo: past a third of the word the "suggestion" is noise (cobol -> bash). */
export const closestLanguage = (language: string, names: Iterable<string>): string | undefined => closest(language, names, Math.max(1, Math.floor(language.length / 3)))

/** The first key not in `known`, as `unknown option "x", did you mean "y"? (known: …)`; undefined when every key is known. */
export function unknownOption(keys: Iterable<string>, known: ReadonlySet<string>, documented: readonly string[] = [...known]): string | undefined {
  const unknown = [...keys].find((key) => !known.has(key))
  if (unknown === undefined) return undefined
  const near = closest(unknown, documented, 2)
  return `unknown option "${unknown}"${near ? `, did you mean "${near}"?` : ''} (known: ${documented.join(', ')})`
}
