#!/usr/bin/env node
// Makes a fresh clone runnable with nothing but Node and npm: checks Node, gets pnpm
// (through npx when it is not installed) and installs the workspace when the
// lockfile changed since the last install.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`retoken needs Node >= 20.19 (this is ${process.versions.node}).`)
  process.exit(1)
}

const installed = 'node_modules/.pnpm/lock.yaml'
const upToDate =
  existsSync(installed) &&
  readFileSync(installed, 'utf8') === readFileSync('pnpm-lock.yaml', 'utf8')
if (upToDate) process.exit(0)

const pnpmVersion = JSON.parse(readFileSync('package.json', 'utf8')).packageManager.split('@')[1]
const hasPnpm = (() => {
  try {
    return execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).startsWith('10.')
  } catch {
    return false
  }
})()
const [command, args] = hasPnpm ? ['pnpm', []] : ['npx', ['--yes', `pnpm@${pnpmVersion}`]]
console.log(`Installing dependencies with ${hasPnpm ? 'pnpm' : `pnpm@${pnpmVersion} via npx`}…`)
execFileSync(command, [...args, 'install', '--frozen-lockfile'], { stdio: 'inherit' })
