import { type HttpHandler, HttpResponse } from 'msw'
import { route, type ServerContext } from '../context'

/**
 * OpenID Connect discovery and RFC 8414 metadata: the issuer is `baseUrl`, so a
 * client configured with `issuer` finds `/oauth/token` the way it would on a real server.
 */
export function discoveryRoutes(ctx: ServerContext): HttpHandler[] {
  const metadata = () => {
    const issuer = ctx.options.baseUrl
    return HttpResponse.json({
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      grant_types_supported: ['refresh_token'],
      token_endpoint_auth_methods_supported: ['none'],
    })
  }
  return [
    route(ctx, 'get', '/.well-known/openid-configuration', metadata),
    route(ctx, 'get', '/.well-known/oauth-authorization-server', metadata),
  ]
}
