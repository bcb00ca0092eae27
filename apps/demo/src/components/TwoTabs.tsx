import { useAuthState } from '@retoken/react'
import { mockControl, settings } from '../auth'
import { burst } from '../burst'
import { flashNotice } from '../notices'
import { saveSettings, sharedByTabs } from '../settings'
import { answerBursts, burstInOtherTabs, useOtherTabs } from '../tabsChannel'
import { Scenario, useOutcome } from './Scenario'

const REQUESTS_PER_TAB = 10

// every tab answers a burst asked for by another, so one click runs both
answerBursts(async (count) => {
  const { ok, failure } = await burst(count)
  return `${ok} of ${count}${failure ? ` (${failure})` : ''}`
})

const switchTo = (next: Partial<typeof settings>, why: string) => {
  saveSettings({ ...settings, ...next })
  flashNotice(why)
  window.location.reload()
}

/** Two tabs refresh one rotated token at once: the demo's most important lesson. */
export function TwoTabs({ reason }: { reason: string | null }) {
  const outcome = useOutcome()
  const others = useOtherTabs()
  const loggedIn = useAuthState((s) => s.status === 'authenticated')
  const coordinated = settings.coordination
  let disabled = reason
  let remedy = null
  if (!sharedByTabs(settings.storage)) {
    disabled = 'Needs a storage that every tab shares (this one is per tab).'
    remedy = (
      <button
        type="button"
        className="small"
        onClick={() =>
          switchTo({ storage: 'local' }, 'Switched to localStorage: log in again, then open a tab.')
        }
      >
        Use localStorage
      </button>
    )
  } else if (loggedIn && others === 0) {
    disabled = 'Open a second tab first: both tabs then burst at once.'
    remedy = (
      <a className="button-link small" href="/" target="_blank" rel="noopener">
        Open another tab ↗
      </a>
    )
  }
  const run = () =>
    outcome.run(async () => {
      await mockControl('expire')
      const [here, there] = await Promise.all([
        burst(REQUESTS_PER_TAB),
        burstInOtherTabs(REQUESTS_PER_TAB),
      ])
      const mine = `${here.ok} of ${REQUESTS_PER_TAB}${here.failure ? ` (${here.failure})` : ''}`
      return `This tab: ${mine}. Other tab${there.length === 1 ? '' : 's'}: ${there.join('; ')}`
    })
  return (
    <Scenario
      title={coordinated ? 'Two tabs, coordinated' : 'Two tabs, without coordination'}
      watch={
        coordinated
          ? 'Both tabs hold the same refresh token. Expired, they burst at once: they take turns, one refreshes and the other takes its new tokens. The server counts one refresh call.'
          : 'Coordination is off (tabs: false). Both tabs hold the same refresh token and refresh it on their own: the second presents a token the first already spent, so the server sees reuse and revokes the session. Each tab finds out at its next request (with auto-refresh on, the tabs’ timers get there alone).'
      }
      testId="tabs"
      outcome={outcome}
      disabledReason={disabled}
      remedy={remedy}
      footer={
        <button
          type="button"
          onClick={() =>
            switchTo(
              { coordination: !coordinated },
              coordinated
                ? 'Tab coordination is off in every tab (tabs: false).'
                : 'Tab coordination is on in every tab.',
            )
          }
        >
          {coordinated ? 'Turn coordination off' : 'Turn coordination on'}
        </button>
      }
    >
      <button type="button" className="primary" onClick={run}>
        Expire, then burst in both tabs
      </button>
    </Scenario>
  )
}
