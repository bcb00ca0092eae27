import type { Metadata } from 'next'
import type { ReactNode } from 'react'
import { Providers } from './providers'

export const metadata: Metadata = {
  title: 'retoken × Next.js',
  description: 'JWT sessions that refresh themselves, in the App Router',
}

// A Server Component: it renders the client <Providers>, and passes it nothing but children.
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  )
}
