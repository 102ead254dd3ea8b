import { Session } from 'node:inspector/promises'
import { writeFileSync } from 'node:fs'
const session = new Session(); session.connect()
await session.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
const inner = (await import(process.env.INNER)).default
export default function (c) {
  c.on('eleventy.after', async () => { const { profile } = await session.post('HeapProfiler.stopSampling'); writeFileSync(process.env.HP_OUT, JSON.stringify(profile)) })
  return inner(c)
}
