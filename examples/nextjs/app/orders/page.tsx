import { RequireAuth } from '@retoken/react'
import type { Metadata } from 'next'
import { LoginForm } from '../login-form'
import { Orders } from './orders'

export const metadata: Metadata = { title: 'Your orders' }

// A Server Component. <RequireAuth> is a client component ('use client' in
// @retoken/react), so it can be rendered here, with client components as its props.
// The server cannot read sessionStorage, so it renders the page logged out: the login
// form, its button disabled until the browser has checked for a stored session; a
// resumed session then replaces the form with the orders.
export default function OrdersPage() {
  return (
    <RequireAuth restoring={<LoginForm />} fallback={<LoginForm />}>
      <Orders />
    </RequireAuth>
  )
}
