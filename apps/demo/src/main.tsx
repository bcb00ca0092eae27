import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { startMockServer } from './mocks/browser'
import './styles.css'

// msw's documented order: the worker must be ready before the first request goes out
startMockServer().then(() => {
  const root = document.getElementById('root')
  if (!root) throw new Error('index.html has no #root element')
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
})
