// The development build's half of `#dev`: full messages and a named context for
// React DevTools. See docs/decisions/017.

/** Why a hook threw: it was called outside an `AuthProvider`. */
export const noProvider = (hook: string): string =>
  `${hook} must be used inside <AuthProvider>: wrap your app in <AuthProvider auth={auth}>`

/** Why `useAuth().login` threw: the provider was given no `login` prop. */
export const noLogin: string =
  'AuthProvider needs a `login` prop before useAuth().login can be called'

/** Names the context in React DevTools. */
export const nameContext = (context: { displayName?: string | undefined }): void => {
  context.displayName = 'RetokenAuthContext'
}

/** Which half of `#dev` this is; tests that check development-only behaviour read it. */
export const build: 'development' | 'production' = 'development'
