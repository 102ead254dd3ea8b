import { checkContent } from '../src/cli/check-content.js'
import { createPistonEngine } from '../src/execution/piston-client.js'
import { generateRealCorpus, writeCorpus } from './corpus.js'
import { startServerChild } from './harness.js'
const [root, posts, snippets, clusterPosts] = process.argv.slice(2)
const c = generateRealCorpus({ seed: 1, posts: Number(posts), snippets: Number(snippets), clusterPosts: Number(clusterPosts) })
await writeCorpus(root!, c)
const s = await startServerChild({ latencyMs: 0, maxConcurrentJobs: 64, engine: 'hello' })
const r = await checkContent({ root: root!, engine: createPistonEngine({ url: s.url }), concurrency: 16 })
console.log(c.stats, r.files.length)
await s.close()
