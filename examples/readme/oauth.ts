import { createAuth, isSessionExpiredError, oauthRefresh, type TokenSet } from '@retoken/core'
import axios from 'axios'

const ISSUER = 'https://api.example.com' // your authorization server (Keycloak, Auth0, Okta, …)
const API_URL = 'https://api.example.com' // your API

const auth = createAuth({
  // The token endpoint comes from the issuer's discovery document, read once.
  // A public client (a browser app) sends only its id; give clientSecret on a server.
  refresh: oauthRefresh({ issuer: ISSUER, clientId: 'my-spa' }),
})
const api = axios.create({ baseURL: API_URL })
auth.attach(api)
auth.on('sessionExpired', () => console.log('invalid_grant: log in again'))

// The tokens of your sign-in (the authorization code flow's token response, mapped);
// here the mock server's login stands in for it.
const credentials = { email: 'demo@retoken.dev', password: 'password123' }
const { data } = await axios.post(`${ISSUER}/auth/login`, credentials)
const tokens: TokenSet = {
  accessToken: data.accessToken,
  refreshToken: data.refreshToken,
  expiresIn: data.expiresIn,
}
await auth.setTokens(tokens)

// A form-encoded grant_type=refresh_token call; the rotated refresh token is kept.
await auth.refresh()

try {
  const { data: orders } = await api.get('/api/orders')
  console.log(orders)
} catch (error) {
  if (isSessionExpiredError(error)) console.log('Session over: log in again')
  else throw error
}
