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
 * their last lines are kept, after a `…` when there were more; a traceback
 * whose last lines are all a library's keeps, before them, the innermost
 * frame in the program's own `files` too: the line of the post that called it.
 */
export function errorExcerpt(language: string, stage: { stdout: string; stderr: string }, files: string[] = [], lines = 6): string | undefined {
  const { noise, from } = cuts[language] ?? {}
  const kept = parseAnsi(stage.stderr || stage.stdout)
    .map((segment) => segment.text)
    .join('')
    .trimEnd()
    .split('\n')
    .filter((line) => !noise?.test(line))
  while (kept.length && !kept.at(-1)!.trim()) kept.pop()
  if (!kept.length) return undefined
  const start = from ? kept.findIndex((line) => from.test(line)) : -1
  if (start >= 0) {
    // A library's error (`JSON.parse`) is thrown under its own frames: the program's own one too, the line of the post that called it.
    const names = (line: string) => files.some((name) => line.startsWith(`${name}:`) || [' ', '(', '/'].some((before) => line.includes(`${before}${name}:`)))
    const excerpt = kept.slice(start, start + lines)
    const own = files.length && !excerpt.some(names) ? kept.slice(start + lines).find(names) : undefined
    return (own ? [...excerpt, '…', own] : excerpt).join('\n').trimEnd()
  }
  if (kept.length <= lines) return kept.join('\n')
  if (language !== 'python') return ['…', ...kept.slice(-lines)].join('\n')
  // A traceback is cut at a frame, never between a frame's line and its code: the innermost frames, whole.
  const cut = kept.length - lines
  const frames = kept.flatMap((line, i) => (FRAME.test(line) ? [i] : []))
  const at = frames.find((i) => i >= cut) ?? frames.at(-1) ?? cut
  const isOwn = (line: string) => files.includes(FRAME.exec(line)?.[1] ?? '')
  const own = kept.slice(at).some(isOwn) ? [] : ownFrame(kept.slice(0, at), isOwn)
  return [...own, '…', ...kept.slice(at)].join('\n')
}

const FRAME = /^\s*File "(?:[^"]*\/)?([^"/]+)", line \d+/

/** The innermost traceback frame that `isOwn` (its line, and the code and carets under it); none when there is none. */
function ownFrame(lines: string[], isOwn: (line: string) => boolean): string[] {
  const at = lines.findLastIndex(isOwn)
  if (at < 0) return []
  const next = lines.findIndex((line, i) => i > at && (FRAME.test(line) || !/^\s/.test(line)))
  return lines.slice(at, next < 0 ? undefined : next)
}
