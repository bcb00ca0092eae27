import { mockControl } from '../auth'
import { showNotice, useNotice } from '../notices'
import { pollServer, useServerState } from '../serverState'

/** Always in view: faults armed on the server (with a disarm), and why this tab was logged out. */
export function StatusStrip() {
  const { state } = useServerState()
  const notice = useNotice()
  const armed = state?.armed ?? []
  if (armed.length === 0 && !notice) return null
  return (
    <div className="status-strip">
      {armed.length > 0 && (
        <div className="armed" role="status" data-testid="armed-faults">
          <strong>Armed on the server:</strong>
          <ol>
            {armed.map((fault, index) => (
              // a queue: the same fault can be armed twice, so the index is the identity
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <li key={index}>
                {index === 0 ? 'the next refresh call' : `refresh call ${index + 1} from now`}:{' '}
                {fault.description}
                {fault.server === 'cookie' ? ' (cookie-mode server)' : ''}
              </li>
            ))}
          </ol>
          <button
            type="button"
            className="small"
            onClick={async () => {
              await mockControl('disarm')
              await pollServer()
            }}
          >
            {armed.length > 1 ? 'Disarm all' : 'Disarm'}
          </button>
        </div>
      )}
      {notice && (
        <div className="notice" role="alert" data-testid="notice">
          <span>{notice}</span>
          <button type="button" className="small" onClick={() => showNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  )
}
