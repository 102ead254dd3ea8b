import { parseAnsi } from '../render/ansi.js'

/** How to cut a report's excerpt from one language's error output. */
interface Cut {
  /** Lines that say nothing about the program: the runtime's own frames, a server's noise. */
  noise?: RegExp
  /** Where the interesting part starts (the first line matching); absent: the last lines. */
  from?: RegExp
}

const compiler: Cut = {
  // Piston 3.1.1's gcc script runs `chmod +x a.out` even after a failed compile.
  noise: /^chmod: cannot access 'a\.out'/,
  from: /: (?:fatal )?error: /,
}

const cuts: Record<string, Cut> = {
  // Node prints the failing line, a caret and the error first, then frames inside Node itself.
  javascript: { noise: /^\s+at (?:.*\()?node:internal\/|^Node\.js v\d/, from: /\S/ },
  c: compiler,
  'c++': compiler,
}

/**
 * The lines of a stage's stderr (or stdout) that say what went wrong, plain
 * text, for a report: the error and the line it names, not the runtime's
 * last words. Python tracebacks and most others end with the error, so
 * their last lines are kept.
 */
export function errorExcerpt(language: string, stage: { stdout: string; stderr: string }, lines = 6): string | undefined {
  const { noise, from } = cuts[language] ?? {}
  const kept = parseAnsi(stage.stderr || stage.stdout)
    .map((segment) => segment.text)
    .join('')
    .split('\n')
    .filter((line) => !noise?.test(line))
  const start = from ? kept.findIndex((line) => from.test(line)) : -1
  const text = (start >= 0 ? kept.slice(start, start + lines) : kept).join('\n').trimEnd()
  if (!text) return undefined
  return start >= 0 ? text : text.split('\n').slice(-lines).join('\n')
}
