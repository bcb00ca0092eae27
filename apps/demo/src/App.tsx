import { RetokenDevtools } from '@retoken/devtools/production'
import { AuthProvider, RequireAuth } from '@retoken/react'
import { auth, type Credentials, type DemoUser, login, logout, userFromClaims } from './auth'
import { EventLog } from './components/EventLog'
import { LoginForm } from './components/LoginForm'
import { Requests } from './components/Requests'
import { ServerControls } from './components/ServerControls'
import { SessionPanel } from './components/SessionPanel'

/** The demo: a session that renews itself, and the switches to make it fail. */
export function App() {
  return (
    <AuthProvider<DemoUser, Credentials>
      auth={auth}
      login={login}
      logout={logout}
      restore="storage"
      getUser={userFromClaims}
    >
      <header>
        <h1>retoken demo</h1>
        <p>
          Access tokens expire every 20 seconds. Use the app; then break the server and watch the
          session survive (or end cleanly).
        </p>
      </header>
      <main>
        <section>
          <RequireAuth restoring={<p>Restoring your session…</p>} fallback={<LoginForm />}>
            <SessionPanel />
            <Requests />
          </RequireAuth>
        </section>
        <aside>
          <ServerControls />
          <EventLog />
        </aside>
      </main>
      {/* the demo is the devtools' showcase, so its production build keeps them */}
      <RetokenDevtools auth={auth} mode="embedded" />
    </AuthProvider>
  )
}
