// React's exports this package uses, imported here once: a bundler keeps one import
// statement per source file for an external module, so the minified bundle would
// otherwise repeat `import{…}from"react"` for every file that uses React.
/** The React functions this package calls, re-exported so its bundle imports React once. */
export {
  createContext,
  createElement,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react'
