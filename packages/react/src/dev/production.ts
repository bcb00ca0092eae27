import type * as development from './development'

// The production build's half of `#dev`: the same functions, short messages that are
// codes. Typed as `typeof` the development half, so the two cannot drift apart.
// See docs/decisions/017.

/** Production: the code is the message. */
export const noProvider: typeof development.noProvider = () => 'no-provider'
/** Production: the code is the message. */
export const noLogin: typeof development.noLogin = 'no-login'
/** Production: DevTools shows the context unnamed; a declared empty function, so bundlers drop the call. */
export function nameContext(_context: Parameters<typeof development.nameContext>[0]): void {}
/** Which half of `#dev` this is. */
export const build: typeof development.build = 'production'
