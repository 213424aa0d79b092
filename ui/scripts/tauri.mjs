// Runs the Tauri CLI (from @tauri-apps/cli) for this repository's layout: the front end in
// ui/, the Rust shell in ../src-tauri. Usage: `npm run tauri -- build --debug --no-bundle`.
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const cli = require('@tauri-apps/cli')

const ui = resolve(dirname(fileURLToPath(import.meta.url)), '..')
process.env.TAURI_APP_PATH ??= resolve(ui, '..', 'src-tauri')
process.env.TAURI_FRONTEND_PATH ??= ui

cli.run(process.argv.slice(2), 'npm run tauri --').catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
