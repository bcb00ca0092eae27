// The development build's half of `#dev`: full messages, every option checked,
// warnings for developers. See docs/decisions/017.
export { checkAuthOptions } from './checkAuthOptions'
export { checkTransportOptions } from './checkTransportOptions'
export { explainOption, explainToken } from './messages'
export {
  warnAlone,
  warnTabsUncoordinated,
  warnUncoordinatedCookie,
  warnUnpublished,
} from './warnings'

/** Which half of `#dev` this is; tests that check development-only behaviour read it. */
export const build: 'development' | 'production' = 'development'
