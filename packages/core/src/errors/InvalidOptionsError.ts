import { hasErrorName, RetokenError } from './RetokenError'

/** `createAuth()` or `attach()` was given an option it cannot work with. */
export class InvalidOptionsError extends RetokenError {
  override name = 'InvalidOptionsError' as const

  constructor(option: string, problem: string) {
    super(`Invalid option \`${option}\`: ${problem}`)
  }
}

/** Tells whether a value is an {@link InvalidOptionsError}, across realms. */
export function isInvalidOptionsError(error: unknown): error is InvalidOptionsError {
  return hasErrorName(error, 'InvalidOptionsError')
}
