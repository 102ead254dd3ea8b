import { describe, expect, it } from 'vitest'
import { type FenceOptions, optionDocs, optionNames, readFenceOptions } from '../../src/markdown/options.js'

const defaults: FenceOptions = { run: false, skip: false, hidden: false, prepend: [], files: [], live: true, markedLines: [] }

/** Options of a meta string that must be free of problems. */
function valid(meta: string): FenceOptions {
  const { options, problems } = readFenceOptions(meta)
  expect(problems).toEqual([])
  return options
}

/** Problems as [rule, offending text, message]. */
function problemsOf(meta: string) {
  return readFenceOptions(meta).problems.map((p) => [p.ruleId, meta.slice(p.start, p.end), p.message])
}

/** The single invalid-option message of a meta string. */
function invalid(meta: string): string {
  const { problems } = readFenceOptions(meta)
  expect(problems.map((p) => p.ruleId)).toEqual(['invalid-option'])
  return problems[0]!.message
}

describe('readFenceOptions', () => {
  it('returns the defaults for no meta', () => {
    for (const meta of [null, undefined, '', '   ']) expect(readFenceOptions(meta)).toEqual({ options: defaults, problems: [], tokens: [] })
  })

  describe('booleans', () => {
    it('accept a bare flag, =true and =false', () => {
      expect(valid('run hidden live=false')).toEqual({ ...defaults, run: true, hidden: true, live: false })
      expect(valid('run=true hidden=true live=true')).toEqual({ ...defaults, run: true, hidden: true })
      expect(valid('hidden=false live')).toEqual(defaults)
    })

    it('reject anything else', () => {
      expect(invalid('hidden=yes')).toBe('hidden must be a bare flag, true or false, got "yes"')
      expect(invalid('live=')).toBe('live must be a bare flag, true or false, got ""')
      expect(invalid('run=TRUE')).toBe('run must be a bare flag, true or false, got "TRUE"')
    })
  })

  describe('run and skip', () => {
    it('skip and run=false both mean a run fence that is not executed', () => {
      expect(valid('skip')).toMatchObject({ run: false, skip: true })
      expect(valid('run=false')).toMatchObject({ run: false, skip: true })
      expect(valid('run=false skip')).toMatchObject({ run: false, skip: true })
      expect(valid('run skip=false')).toMatchObject({ run: true, skip: false })
    })

    it('report run and skip that contradict each other, at the later one', () => {
      expect(problemsOf('run title=x skip')).toEqual([['invalid-option', 'skip', 'run contradicts skip']])
      expect(problemsOf('skip=false run=false')).toEqual([['invalid-option', 'run=false', 'run=false contradicts skip=false']])
      // Executing would ignore the author's skip.
      expect(readFenceOptions('run skip').options).toMatchObject({ run: true, skip: true })
    })
  })

  describe('role flags and inline stdin', () => {
    it('reads bare stdin and output as the role of the fence', () => {
      expect(valid('stdin')).toEqual({ ...defaults, role: 'stdin' })
      expect(valid('output')).toEqual({ ...defaults, role: 'output' })
    })

    it('reads stdin with a value as inline stdin, not a role', () => {
      expect(valid('run stdin="3 4"')).toEqual({ ...defaults, run: true, stdin: '3 4' })
      expect(valid('run stdin=')).toEqual({ ...defaults, run: true, stdin: '' })
      expect(valid('run stdin=true')).toMatchObject({ stdin: 'true' })
    })

    it('rejects output with a value', () => {
      expect(invalid('output=x')).toBe('output must be a bare flag, got "x"; use stdin="..." for inline input')
    })

    it('rejects a fence that is both stdin and output', () => {
      expect(problemsOf('output stdin')).toEqual([['invalid-option', 'stdin', 'a fence cannot be both stdin and output']])
    })

    it('rejects a role fence that is itself run or skipped', () => {
      expect(problemsOf('run output')).toEqual([
        ['invalid-option', 'output', 'run contradicts output: output marks a fence that belongs to the run fence above'],
      ])
      expect(problemsOf('stdin run=false')).toEqual([
        ['invalid-option', 'run=false', 'run=false contradicts stdin: stdin marks a fence that belongs to the run fence above'],
      ])
    })
  })

  describe('title', () => {
    it('takes any non-empty text', () => {
      expect(valid(`title="Hello, world" run`).title).toBe('Hello, world')
      expect(valid(`title='a "b"'`).title).toBe('a "b"')
      expect(valid('title=日本語').title).toBe('日本語')
    })

    it('needs a value', () => {
      expect(invalid('title')).toBe('title must be non-empty text, got no value')
      expect(invalid('title=""')).toBe('title must be non-empty text, got ""')
    })
  })

  describe('version', () => {
    it('takes * or a semver range, as given', () => {
      for (const version of ['*', '3.12', '3.x', '3.10.0', '>=3.10 <4', '^18', '~1.2']) {
        expect(valid(`run version="${version}"`).version).toBe(version)
      }
      expect(valid('run').version).toBeUndefined()
    })

    it('rejects anything else', () => {
      const message = (got: string) => `version must be a semver range such as 3.12, 3.x, >=3.10 or *, got ${got}`
      expect(invalid('version=latest')).toBe(message('"latest"'))
      expect(invalid('version=')).toBe(message('""'))
      expect(invalid('version')).toBe(message('no value'))
    })
  })

  describe('args', () => {
    it('splits the value like a shell', () => {
      // The meta string's quotes come off first, then the shell's.
      expect(valid(`run args="a 'b c' '\\d' \\\\e"`).args).toEqual(['a', 'b c', '\\d', 'e'])
      expect(valid(`run args='-n "x y"'`).args).toEqual(['-n', 'x y'])
      expect(valid('run args=--verbose').args).toEqual(['--verbose'])
      expect(valid('run args=""').args).toEqual([])
    })

    it('reports an argument list that does not split', () => {
      expect(invalid(`args="a 'b"`)).toBe(`args must be a shell-style argument list, got "a 'b": unterminated ' quote at character 3`)
      expect(invalid('args')).toBe(`args must be a shell-style argument list such as args="a 'b c'", got no value`)
    })
  })

  describe('timeout', () => {
    it('takes a positive whole number of milliseconds', () => {
      expect(valid('run timeout=1').timeout).toBe(1)
      expect(valid('run timeout=2500').timeout).toBe(2500)
    })

    it('rejects anything else', () => {
      for (const [meta, got] of [
        ['timeout=abc', '"abc"'],
        ['timeout=0', '"0"'],
        ['timeout=-5', '"-5"'],
        ['timeout=1.5', '"1.5"'],
        ['timeout=1e3', '"1e3"'],
        ['timeout=01', '"01"'],
        ['timeout=99999999999999999999', '"99999999999999999999"'],
        ['timeout', 'no value'],
      ]) {
        expect(invalid(meta!)).toBe(`timeout must be a positive whole number of milliseconds, got ${got}`)
      }
    })

    it("rejects a wait longer than Node's timers hold (a longer one fires at once)", () => {
      expect(valid('run timeout=2147483647').timeout).toBe(2 ** 31 - 1)
      expect(invalid('timeout=2147483648')).toBe(
        `timeout must be at most 2147483647 ms (about 24 days), the longest wait Node's timers can hold, got "2147483648"`,
      )
    })
  })

  describe('file', () => {
    it('takes a plain file name', () => {
      expect(valid('run file=main.py').file).toBe('main.py')
      expect(valid('file=Util_2.java').file).toBe('Util_2.java')
    })

    it('rejects paths, dot files and other odd names, saying why', () => {
      const message = (got: string, why: string) => `file must be a plain file name such as main.py, got ${got}: ${why}`
      expect(invalid('file=src/a.py')).toBe(message('"src/a.py"', 'it contains "/"'))
      expect(invalid('file=a\\b.py')).toBe(message('"a\\\\b.py"', 'it contains "\\"'))
      expect(invalid('file=../a.py')).toBe(message('"../a.py"', 'it contains ".."'))
      expect(invalid('file=a..py')).toBe(message('"a..py"', 'it contains ".."'))
      expect(invalid('file=.env')).toBe(message('".env"', 'it starts with "."'))
      expect(invalid('file=')).toBe(message('""', 'it is empty'))
      expect(invalid('file')).toBe(message('no value', 'it is missing'))
      expect(invalid('file="a b.py"')).toBe(message('"a b.py"', 'it contains whitespace or a comma'))
      expect(invalid('file="a\tb"')).toBe(message('"a\\tb"', 'it contains whitespace or a comma'))
      expect(invalid('file=a\u0007b')).toBe(message('"a\\u0007b"', 'it contains a control character'))
      expect(invalid(`file=${'x'.repeat(101)}`)).toMatch(/: it is longer than 100 characters$/)
      expect(valid(`file=${'x'.repeat(100)}`).file).toHaveLength(100)
    })
  })

  describe('id', () => {
    it('takes a letter followed by letters, digits, - and _', () => {
      expect(valid('id=setup').id).toBe('setup')
      expect(valid('id=a-1_B').id).toBe('a-1_B')
    })

    it('rejects anything else', () => {
      const message = (got: string) => `id must be a letter followed by letters, digits, - or _, got ${got}`
      expect(invalid('id=1a')).toBe(message('"1a"'))
      expect(invalid('id=_a')).toBe(message('"_a"'))
      expect(invalid('id=a.b')).toBe(message('"a.b"'))
      expect(invalid('id')).toBe(message('no value'))
    })
  })

  describe('prepend and files', () => {
    it('take ids and file names separated by spaces or commas', () => {
      expect(valid('run prepend=setup').prepend).toEqual(['setup'])
      expect(valid('run prepend="a, b c,d"').prepend).toEqual(['a', 'b', 'c', 'd'])
      expect(valid('run files=util.py,data.txt').files).toEqual(['util.py', 'data.txt'])
      expect(valid('run files="util.py data.txt"').files).toEqual(['util.py', 'data.txt'])
    })

    it('reject an empty list, a bad item and an item given twice', () => {
      expect(invalid('prepend')).toBe('prepend must list fence ids separated by spaces or commas, got no value')
      expect(invalid('prepend=" , "')).toBe('prepend must list fence ids separated by spaces or commas, got " , "')
      expect(invalid('prepend="a 1b"')).toBe('prepend must list fence ids, got "1b": not a valid id')
      expect(invalid('prepend="a b a"')).toBe('prepend lists "a" twice')
      expect(invalid('files=')).toBe('files must list file names separated by spaces or commas, got ""')
      expect(invalid('files="a.py ../b.py"')).toBe('files must list file names, got "../b.py": it contains ".."')
      expect(invalid('files=a.py,a.py')).toBe('files lists "a.py" twice')
    })

    it('reject a fence that names itself', () => {
      expect(problemsOf('prepend=a,b id=a')).toEqual([
        ['invalid-option', 'prepend=a,b', `prepend cannot name the fence's own id "a"`],
      ])
      expect(problemsOf('run file=main.py files=main.py')).toEqual([
        ['invalid-option', 'files=main.py', `files cannot list the fence's own file "main.py"`],
      ])
    })
  })

  describe('exit and expect', () => {
    it('take an exit code, nonzero or any, and a known ending', () => {
      expect(valid('run exit=0').exit).toBe(0)
      expect(valid('run exit=255').exit).toBe(255)
      expect(valid('run exit=nonzero').exit).toBe('nonzero')
      expect(valid('run exit=any').exit).toBe('any')
      for (const ending of ['success', 'failure', 'timeout', 'compile-error', 'output-limit', 'any'] as const) {
        expect(valid(`run expect=${ending}`).expect).toBe(ending)
      }
    })

    it('reject anything else', () => {
      for (const [meta, got] of [
        ['exit=256', '"256"'],
        ['exit=-1', '"-1"'],
        ['exit=01', '"01"'],
        ['exit=one', '"one"'],
        ['exit', 'no value'],
      ]) {
        expect(invalid(meta!)).toBe(`exit must be 0..255, nonzero or any, got ${got}`)
      }
      expect(invalid('expect=crash')).toBe(
        'expect must be success, failure, timeout, compile-error, output-limit, any, got "crash"',
      )
      expect(invalid('expect=sucess')).toBe('expect must be success, failure, timeout, compile-error, output-limit, any, got "sucess"; did you mean "success"?')
    })

    it('accept consistent pairs', () => {
      expect(valid('run exit=0 expect=success')).toMatchObject({ exit: 0, expect: 'success' })
      expect(valid('run expect=failure exit=3')).toMatchObject({ exit: 3, expect: 'failure' })
      expect(valid('run exit=nonzero expect=failure')).toMatchObject({ exit: 'nonzero', expect: 'failure' })
    })

    it('reject contradicting pairs at the later of the two', () => {
      expect(problemsOf('run exit=1 expect=timeout')).toEqual([
        ['invalid-option', 'expect=timeout', 'exit=1 contradicts expect=timeout: a run that ends in timeout has no exit code to check'],
      ])
      expect(problemsOf('expect=success exit=2')).toEqual([
        ['invalid-option', 'exit=2', 'exit=2 contradicts expect=success: success means exit 0'],
      ])
      expect(invalid('exit=any expect=success')).toBe('exit=any contradicts expect=success: success means exit 0')
      expect(invalid('exit=0 expect=failure')).toBe('exit=0 contradicts expect=failure: failure means a non-zero exit')
      expect(invalid('exit=nonzero expect=compile-error')).toMatch(/^exit=nonzero contradicts expect=compile-error: /)
      expect(invalid('exit=any expect=output-limit')).toMatch(/^exit=any contradicts expect=output-limit: /)
      expect(invalid('exit=3 expect=any')).toBe('exit=3 contradicts expect=any: expect=any accepts every ending, so an exit code adds nothing')
    })
  })

  describe('the output language', () => {
    it('makes an output fence, with or without options', () => {
      expect(readFenceOptions(null, 'output')).toMatchObject({ options: { role: 'output' }, problems: [] })
      expect(readFenceOptions('match=contains', 'output')).toMatchObject({ options: { role: 'output', match: 'contains' }, problems: [] })
      expect(readFenceOptions('stdin', 'output').problems.map((p) => p.message)).toEqual([
        'a fence cannot be both stdin and output (its language says output)',
      ])
    })
  })

  describe('match', () => {
    it('takes a comparison mode on an output fence', () => {
      for (const mode of ['exact', 'contains', 'regex', 'unordered'] as const) {
        expect(valid(`output match=${mode}`)).toEqual({ ...defaults, role: 'output', match: mode })
      }
    })

    it('rejects an unknown mode and a fence that is not an output fence', () => {
      expect(invalid('output match=fuzzy')).toBe('match must be exact, contains, regex, unordered, got "fuzzy"')
      expect(invalid('output match=regexp')).toBe('match must be exact, contains, regex, unordered, got "regexp"; did you mean "regex"?')
      expect(problemsOf('run match=regex')).toEqual([['invalid-option', 'match=regex', 'match only applies to an output fence']])
      expect(invalid('stdin match=exact')).toBe('match only applies to an output fence')
    })
  })

  describe('duplicates', () => {
    it('report every repeat and keep the first value', () => {
      const { options, problems } = readFenceOptions('title=a run title=b title=c')
      expect(options.title).toBe('a')
      expect(problems).toEqual([
        { ruleId: 'duplicate-option', message: 'title is given more than once (first as title=a)', start: 12, end: 19 },
        { ruleId: 'duplicate-option', message: 'title is given more than once (first as title=a)', start: 20, end: 27 },
      ])
    })

    it('count the stdin flag and inline stdin as the same option', () => {
      expect(problemsOf('stdin="x" stdin')).toEqual([
        ['duplicate-option', 'stdin', 'stdin is given more than once (first as stdin="x")'],
      ])
      expect(problemsOf('run run=true')).toEqual([['duplicate-option', 'run=true', 'run is given more than once (first as run)']])
    })
  })

  describe('unknown options', () => {
    it('suggest the closest known option when it looks like a typo', () => {
      expect(problemsOf('run titel="x"')).toEqual([['unknown-option', 'titel="x"', 'unknown option "titel", did you mean "title"?']])
      expect(problemsOf('Run')).toEqual([['unknown-option', 'Run', 'unknown option "Run", did you mean "run"?']])
      expect(problemsOf('timout=5')[0]![2]).toBe('unknown option "timout", did you mean "timeout"?')
      expect(problemsOf('expected=failure')[0]![2]).toBe('unknown option "expected", did you mean "expect"?')
      expect(problemsOf('--hidden')[0]![2]).toBe('unknown option "--hidden", did you mean "hidden"?')
      expect(problemsOf('rn')[0]![2]).toBe('unknown option "rn", did you mean "run"?')
    })

    it('suggest nothing when no option is close', () => {
      expect(problemsOf('highlight=1-3')).toEqual([['unknown-option', 'highlight=1-3', 'unknown option "highlight"']])
      expect(problemsOf('xy')[0]![2]).toBe('unknown option "xy"')
    })

    it('do not stop the known options from being read', () => {
      const { options, problems } = readFenceOptions('run linenos title=x')
      expect(options).toMatchObject({ run: true, title: 'x' })
      expect(problems.map((p) => p.ruleId)).toEqual(['unknown-option'])
    })
  })

  describe('syntax errors', () => {
    it('become meta-syntax problems next to the option problems, in text order', () => {
      expect(problemsOf('timeout=x title="a"b hidden=no foo ="v"')).toEqual([
        ['invalid-option', 'timeout=x', 'timeout must be a positive whole number of milliseconds, got "x"'],
        [
          'meta-syntax',
          'b',
          'unexpected text right after the closing quote of the value of title; add a space or quote the whole value',
        ],
        ['invalid-option', 'hidden=no', 'hidden must be a bare flag, true or false, got "no"'],
        ['unknown-option', 'foo', 'unknown option "foo"'],
        ['meta-syntax', '="v"', 'value without an option name; write name=value'],
      ])
    })

    it('keep the options read before an unterminated quote', () => {
      const { options, problems } = readFenceOptions('run id=a title="oops')
      expect(options).toMatchObject({ run: true, id: 'a' })
      expect(problems).toEqual([{ ruleId: 'meta-syntax', message: 'unterminated " quote in the value of title', start: 15, end: 20 }])
    })
  })

  it('reads a full run fence', () => {
    expect(
      valid(
        `run title="Sum" version=3.x stdin="1 2" args="-v 'a b'" timeout=3000 file=main.py id=sum hidden prepend=setup files=util.py exit=1 expect=failure live=false`,
      ),
    ).toEqual({
      run: true,
      skip: false,
      title: 'Sum',
      version: '3.x',
      stdin: '1 2',
      args: ['-v', 'a b'],
      timeout: 3000,
      file: 'main.py',
      id: 'sum',
      hidden: true,
      prepend: ['setup'],
      files: ['util.py'],
      exit: 1,
      expect: 'failure',
      live: false,
      markedLines: [],
    })
  })
})

describe('host highlighters\' meta', () => {
  it('accepts line ranges, word patterns, text markers and known names on a fence the host draws, and reads the ranges', () => {
    const { options, problems } = readFenceOptions('{2-4} mark={1, 3} showLineNumbers /print/ "print" ins={5} {7} title="T" caption="A b" frame="terminal"')
    expect(problems).toEqual([])
    expect(options).toMatchObject({ run: false, title: 'T', markedLines: [1, 2, 3, 4, 7] })
  })

  it('on a fence this package draws, marks lines by mark={…} and says where each of the rest is not shown', () => {
    const meta = 'run {2} mark={4-5} showLineNumbers /print/ "print" ins={5} del={1} mark="x" title="T" frame="terminal" wrap'
    const { options, problems } = readFenceOptions(meta)
    expect(options).toMatchObject({ run: true, title: 'T', markedLines: [2, 4, 5] })
    const shown = "is not shown: runnable-blog draws this block, not the site's highlighter"
    expect(problems.map((p) => [p.ruleId, meta.slice(p.start, p.end), p.message])).toEqual([
      ['ignored-meta', 'showLineNumbers', `showLineNumbers ${shown}`],
      ['ignored-meta', '/print/', `the text marker /print/ ${shown}`],
      ['ignored-meta', '"print"', `the text marker "print" ${shown}`],
      ['ignored-meta', 'ins={5}', `ins={5} ${shown}; mark lines with {2-4}`],
      ['ignored-meta', 'del={1}', `del={1} ${shown}; mark lines with {2-4}`],
      ['ignored-meta', 'mark="x"', `mark="x" ${shown}`],
      ['ignored-meta', 'frame="terminal"', `frame="terminal" ${shown}`],
      ['ignored-meta', 'wrap', `wrap ${shown}`],
    ])
    // A stdin fence and a shown extra file are drawn here too; a hidden one is not drawn at all.
    expect(readFenceOptions('stdin ins={1}').problems.map((p) => p.ruleId)).toEqual(['ignored-meta'])
    expect(readFenceOptions('file=util.py wrap').problems.map((p) => p.ruleId)).toEqual(['ignored-meta'])
    expect(readFenceOptions('file=util.py hidden wrap').problems).toEqual([])
  })

  it('reads huge and overlapping ranges once each, without overflowing the stack', () => {
    const { options, problems } = readFenceOptions('run {1-99999,1-99999} {5-7,3}')
    expect(problems).toEqual([])
    expect(options.markedLines).toHaveLength(99_999)
    expect(options.markedLines.slice(0, 3)).toEqual([1, 2, 3])
    expect(readFenceOptions('run {9,2-3} {3-4}').options.markedLines).toEqual([2, 3, 4, 9])
  })

  it('reports a malformed range or an unclosed item at its place', () => {
    const meta = 'run {4-2} {x}'
    const { problems } = readFenceOptions(meta)
    expect(problems.map((p) => [p.ruleId, meta.slice(p.start, p.end)])).toEqual([
      ['invalid-option', '{4-2}'],
      ['invalid-option', '{x}'],
    ])
    expect(readFenceOptions('run {2-4').problems.map((p) => [p.ruleId, p.message])).toEqual([['meta-syntax', 'unterminated { in line ranges such as {2-4}']])
  })
})

describe('optionDocs', () => {
  it('documents every known option in one line', () => {
    expect(Object.keys(optionDocs)).toEqual([...optionNames])
    for (const doc of Object.values(optionDocs)) expect(doc).toMatch(/^[^\n]{10,}$/)
  })
})
