import type * as development from './development'

// The production build's half of `#dev`: the same functions, no checks, messages
// that are the reason codes themselves. See docs/decisions/017.

/** Production: options are trusted (development checked them). */
export const checkAuthOptions: typeof development.checkAuthOptions = () => {}
/** Production: options are trusted (development checked them). */
export const checkTransportOptions: typeof development.checkTransportOptions = () => {}
/** Production: the reason code is the message. */
export const explainToken: typeof development.explainToken = (reason) => reason
/** Production: the option's name is the message. */
export const explainOption: typeof development.explainOption = () => ''
/** Production: said to developers only. */
export const warnUncoordinatedCookie: typeof development.warnUncoordinatedCookie = () => {}
/** Production: said to developers only. */
export const warnAlone: typeof development.warnAlone = () => {}
/** Production: said to developers only. */
export const warnTabsUncoordinated: typeof development.warnTabsUncoordinated = () => {}
/** Production: said to developers only; the app hears of it through `storageFailed`. */
export const warnUnpublished: typeof development.warnUnpublished = () => {}
/** Which half of `#dev` this is. */
export const build: typeof development.build = 'production'
