import type { AxiosInstance } from 'axios'
import type { SessionControls } from './engine/types'
import type { AttachOptions } from './transports/axios'

/** One session: its tokens, the clients that carry them, and how they are renewed. */
export interface Auth extends SessionControls {
  /**
   * Installs the interceptors on an Axios instance; returns `detach()`.
   * @example const detach = auth.attach(api, { allowedOrigins: ['https://api.example.com'] })
   */
  attach(instance: AxiosInstance, options?: AttachOptions): () => void
}
