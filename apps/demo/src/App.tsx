import { RetokenDevtools } from '@retoken/devtools/production'
import { AuthProvider, RequireAuth } from '@retoken/react'
import {
  auth,
  type Credentials,
  type DemoUser,
  login,
  logout,
  restoreStrategy,
  userFromClaims,
} from './auth'
import { AuditLog } from './components/AuditLog'
import { LoginForm } from './components/LoginForm'
import { Scenarios } from './components/Scenarios'
import { SessionCard } from './components/SessionCard'
import { SettingsBar } from './components/SettingsBar'
import { StatusStrip } from './components/StatusStrip'
import './notices'
import { skewedNow } from './settings'

/** The demo: a session that renews itself, and the switches to make it fail. */
export function App() {
  return (
    <AuthProvider<DemoUser, Credentials>
      auth={auth}
      login={login}
      logout={logout}
      restore={restoreStrategy}
      getUser={userFromClaims}
    >
      {/* what you press on the left, what happened on the right: both in view at 1366×768 */}
      <div className="layout">
        <div className="drive">
          <header className="site-header">
            <div className="brand">
              <h1>
                retoken <span>demo</span>
              </h1>
              <p>
                Access tokens expire every 20 seconds. Use the app, then break the server and watch
                the session survive, or end cleanly.
              </p>
            </div>
            <SettingsBar />
          </header>
          <StatusStrip />
          <main className="main">
            <RequireAuth
              restoring={<p className="card restoring">Restoring your session…</p>}
              fallback={<LoginForm />}
            >
              <SessionCard />
            </RequireAuth>
            <Scenarios />
          </main>
          <footer className="site-footer">
            <p>
              The mock auth server runs in the Vite process (dev and preview), so every tab shares
              it and a reload forgets nothing. See <code>apps/demo/README.md</code>.
            </p>
          </footer>
        </div>
        <aside className="observe" aria-label="What happened">
          <div className="card devtools">
            {/* the demo is the devtools' showcase, so its production build keeps them */}
            <RetokenDevtools auth={auth} mode="embedded" now={skewedNow} />
          </div>
          <AuditLog />
        </aside>
      </div>
    </AuthProvider>
  )
}
