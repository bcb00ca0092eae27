// React's exports this package uses, imported here once: a bundler keeps one import
// statement per source file for an external module, so the minified bundle would
// otherwise repeat `import{…}from"react"` for every file that uses React.
export {
  createContext,
  createElement,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react'
