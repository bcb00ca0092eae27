import type * as node from './node'

// The `#platform` half for browsers: XHR and fetch follow redirects out of our sight,
// and fetch itself drops `Authorization` on a cross-origin hop. See docs/decisions/017.

/** Browsers: Axios' `beforeRedirect` is never called, so there is nothing to guard. */
export const createRedirectGuard: typeof node.createRedirectGuard = () => null
