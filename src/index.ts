/**
 * The public API: the remark plugin and what it needs, usable in any unified
 * pipeline, and the host core that the Eleventy adapter (`runnable-blog/eleventy`) is built on.
 */
export { default as remarkRunnable, type RemarkRunnableOptions, type SnippetRecord } from './markdown/plugin.js'
export { default as rehypeRunnable, type RehypeRunnableOptions } from './hast/plugin.js'
export { rules, type RuleId } from './markdown/rules.js'
export { MAX_NESTING, nestingProblem, type NestingProblem, reportTooDeep } from './markdown/nesting.js'
export { createRunner, type Runner, type RunnerOptions, type RunnerStats } from './execution/runner.js'
export { createPistonEngine, type PistonEngineOptions } from './execution/piston-client.js'
export { createLocalEngine, type LocalEngineOptions } from './execution/local-engine.js'
export { type Engine, EngineError, type ExecuteRequest, type ExecuteResponse, type Runtime } from './execution/types.js'
export { createCacheStore, type CacheEntry, type CacheStore } from './cache/store.js'
export { cacheKey } from './cache/key.js'
export { blockStylesheet, stylesheetPath } from './render/assets.js'
export { copyScript, liveScript } from './adapters/live-script.js'
export { DEFAULT_THEMES, highlightStylesheet, type HighlightThemes } from './render/highlight.js'
export { default as rehypeHighlightFences } from './render/rehype-highlight.js'
export { createRunnableHost, RunnableBuildError, type RunnableHost, type HostContext, type BuildReport, type HashedAsset } from './adapters/host.js'
export { type RunnableOptions } from './adapters/options.js'
export { formatMessages, summaryLine, tally } from './report/format.js'
