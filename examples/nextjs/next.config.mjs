// The API (here the mock auth server) sits behind this app's own origin: the browser
// calls /auth/* and /api/* on the page's origin, so retoken attaches the token to
// relative URLs only and no CORS is involved. Rewrites are read at `next build`:
// set RETOKEN_API then, not only at `next start`.
const api = process.env.RETOKEN_API ?? 'http://localhost:4010'

/** @type {import('next').NextConfig} */
const nextConfig = {
  // this repository lints with Biome; Next's ESLint step has nothing to run
  eslint: { ignoreDuringBuilds: true },
  async rewrites() {
    return [
      { source: '/auth/:path*', destination: `${api}/auth/:path*` },
      { source: '/api/:path*', destination: `${api}/api/:path*` },
    ]
  },
}

export default nextConfig
