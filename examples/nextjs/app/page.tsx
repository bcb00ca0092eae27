import Link from 'next/link'

export default function Home() {
  return (
    <main>
      <h1>retoken × Next.js</h1>
      <p>
        Your orders are behind a login: <Link href="/orders">see your orders</Link>.
      </p>
    </main>
  )
}
