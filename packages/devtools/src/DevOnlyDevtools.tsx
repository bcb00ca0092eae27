import { RetokenDevtools, type RetokenDevtoolsProps } from './RetokenDevtools'

/** Props of the package's `RetokenDevtools`: the panel's, plus `force`. */
export interface DevOnlyDevtoolsProps extends RetokenDevtoolsProps {
  /** Render even when `process.env.NODE_ENV === 'production'`. @default false */
  force?: boolean
}

/**
 * The devtools panel, which renders nothing in production builds unless `force` is set
 * (or `@retoken/devtools/production` is imported), as TanStack Query Devtools does.
 * @example <RetokenDevtools auth={auth} />
 */
export function DevOnlyDevtools({ force = false, ...props }: DevOnlyDevtoolsProps) {
  if (!force && process.env.NODE_ENV === 'production') return null
  return <RetokenDevtools {...props} />
}
