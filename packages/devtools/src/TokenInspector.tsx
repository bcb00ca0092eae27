import { useId, useState } from 'react'
import { type DecodedJwt, decodeJwt } from './decodeJwt'
import { formatRelative } from './formatTime'
import { useNow } from './useNow'

const dateClaims = ['exp', 'iat', 'nbf'] as const

/** Paste a JWT (or take the current one) to read its header and claims; decoded in the page only. */
export function TokenInspector({ currentToken }: { currentToken: string | null }) {
  const [token, setToken] = useState('')
  const id = useId()
  // a pasted token is measured on this device's clock, not the session's
  const now = useNow(Date.now)
  let decoded: DecodedJwt | null = null
  let error: string | null = null
  if (token.trim()) {
    try {
      decoded = decodeJwt(token)
    } catch (caught) {
      error = (caught as Error).message
    }
  }
  return (
    <section aria-labelledby={`${id}-title`}>
      <div className="rtdt-tools">
        <h3 id={`${id}-title`}>Token inspector</h3>
        <button type="button" disabled={!currentToken} onClick={() => setToken(currentToken ?? '')}>
          Use the current token
        </button>
      </div>
      <label htmlFor={`${id}-input`}>JWT</label>
      <textarea
        id={`${id}-input`}
        rows={3}
        value={token}
        spellCheck={false}
        onChange={(event) => setToken(event.target.value)}
      />
      <p className="rtdt-note">
        Decoded in this page, never sent anywhere. Decoding is not verification: the signature is
        not checked.
      </p>
      {error && (
        <p role="alert" className="rtdt-bad">
          {error}
        </p>
      )}
      {decoded && (
        <div aria-live="polite">
          <h4>Header</h4>
          <figure aria-label="Header">
            <pre>{JSON.stringify(decoded.header, null, 2)}</pre>
          </figure>
          <h4>Claims</h4>
          <figure aria-label="Claims">
            <pre>{JSON.stringify(decoded.payload, null, 2)}</pre>
          </figure>
          <dl>
            {dateClaims.map((claim) => {
              const value = decoded.payload[claim]
              if (typeof value !== 'number') return null
              const at = value * 1000
              return [
                <dt key={`${claim}-t`}>{claim}</dt>,
                <dd key={`${claim}-d`} data-testid={`rtdt-${claim}`}>
                  {new Date(at).toLocaleString()} local · {new Date(at).toISOString()} UTC ·{' '}
                  {formatRelative(at, now)}
                </dd>,
              ]
            })}
          </dl>
        </div>
      )}
    </section>
  )
}
