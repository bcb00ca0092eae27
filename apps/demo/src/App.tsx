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
      <header className="site-header">
        <div className="brand">
          <h1>
            retoken <span>demo</span>
          </h1>
          <p>
            Access tokens expire every 20 seconds. Use the app, then break the server and watch the
            session survive, or end cleanly.
          </p>
        </div>
        <SettingsBar />
      </header>
      <main className="layout">
        <div className="top">
          <RequireAuth
            restoring={<p className="card restoring">Restoring your session…</p>}
            fallback={<LoginForm />}
          >
            <SessionCard />
          </RequireAuth>
          <Scenarios />
        </div>
        <div className="observe">
          <div className="card devtools">
            {/* the demo is the devtools' showcase, so its production build keeps them */}
            <RetokenDevtools auth={auth} mode="embedded" now={skewedNow} />
          </div>
          <AuditLog />
        </div>
      </main>
      <footer className="site-footer">
        <p>
          The mock auth server runs in the Vite process (dev and preview), so every tab shares it
          and a reload forgets nothing. See <code>apps/demo/README.md</code>.
        </p>
      </footer>
    </AuthProvider>
  )
}
