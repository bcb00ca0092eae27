import { type ReactNode, useId, useState } from 'react'
import { describeError } from '../describe'
import { pollServer } from '../serverState'
import { serverSummary } from '../serverSummary'

/** What a scenario's run returned and what the server saw meanwhile. */
export interface Outcome {
  text: string
  server: string
  busy: boolean
  run(work: () => Promise<string>): Promise<void>
}

/** Runs a scenario and reports its outcome, and the server's counts before and after. */
export function useOutcome(): Outcome {
  const [text, setText] = useState('')
  const [server, setServer] = useState('')
  const [busy, setBusy] = useState(false)
  const run = async (work: () => Promise<string>) => {
    setBusy(true)
    setText('Running…')
    setServer('')
    const before = await pollServer()
    try {
      setText(await work())
    } catch (error) {
      setText(describeError(error))
    } finally {
      const after = await pollServer()
      setServer(before && after ? serverSummary(before, after) : '')
      setBusy(false)
    }
  }
  return { text, server, busy, run }
}

interface ScenarioProps {
  title: string
  watch: string
  testId: string
  outcome: Outcome
  /** Why the scenario cannot run now; its controls are disabled and this is shown instead. */
  disabledReason?: string | null
  /** Shown beside the reason: a way out (a link or a button that fixes it). */
  remedy?: ReactNode
  /** Controls that stay usable while the scenario cannot run (a setting it depends on). */
  footer?: ReactNode
  /** What the run found, item by item, below its one-line result. */
  details?: ReactNode
  children: ReactNode
}

/** One scenario card: what to watch, its controls, and its outcome on the page and the server. */
export function Scenario({
  title,
  watch,
  testId,
  outcome,
  disabledReason,
  remedy,
  footer,
  details,
  children,
}: ScenarioProps) {
  const id = useId()
  return (
    <article className="card scenario" aria-labelledby={id} data-testid={testId}>
      <h3 id={id}>{title}</h3>
      <p className="watch">{watch}</p>
      <fieldset className="actions" disabled={Boolean(disabledReason) || outcome.busy}>
        <legend className="visually-hidden">{title}</legend>
        {children}
      </fieldset>
      {disabledReason && (
        <p className="reason" data-testid={`${testId}-reason`}>
          {disabledReason} {remedy}
        </p>
      )}
      {footer && <div className="actions">{footer}</div>}
      <p className="result" role="status" data-testid={`${testId}-result`}>
        {outcome.text}
      </p>
      {details}
      {outcome.server && (
        <p className="server-summary" data-testid={`${testId}-server`}>
          {outcome.server}
        </p>
      )}
    </article>
  )
}
