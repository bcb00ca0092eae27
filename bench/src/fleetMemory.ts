// The storage of a process alone (no coordination): the baseline for the fleet rows.
import { memoryStorage } from '@retoken/core'

export const createStorage = () => memoryStorage()
