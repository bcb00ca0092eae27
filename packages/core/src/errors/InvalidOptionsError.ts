import { explainOption } from '#dev'
import { hasErrorName, RetokenError } from './RetokenError'

/**
 * `createAuth()` or a transport was given an option it cannot work with; `option` names it.
 * Development builds check every option; production builds only what they cannot run without.
 */
export class InvalidOptionsError extends RetokenError {
  override name = 'InvalidOptionsError' as const
  /** The option that was refused (for example `'refreshOn'`). */
  readonly option: string

  constructor(option: string, problem: string = explainOption(option)) {
    super(`Invalid option \`${option}\`${problem && `: ${problem}`}`)
    this.option = option
  }
}

/** Tells whether a value is an {@link InvalidOptionsError}, across realms. */
export function isInvalidOptionsError(error: unknown): error is InvalidOptionsError {
  return hasErrorName(error, 'InvalidOptionsError')
}
