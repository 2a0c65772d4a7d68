import { defineConfig } from 'prisma/config'
import fs from 'node:fs/promises'

const env = await fs.readFile('.env', 'utf-8')
for (const line of env.split('\n')) {
  if (!line.trim() || line.startsWith('#')) {
    continue
  }

  let [key, value] = line.split('=')

  value = value.trim()

  value = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2')

  process.env[key] = value
}

export default defineConfig({})
