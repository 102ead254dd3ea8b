import type { PluggableList } from 'unified'

export declare const shikiBaseline: PluggableList[number]
