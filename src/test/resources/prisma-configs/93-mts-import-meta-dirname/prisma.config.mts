import path from 'node:path'
import { defineConfig } from 'prisma/config'

export default defineConfig({
  schema: path.join(import.meta.dirname, 'db', 'schema.prisma'),
  migrations: { path: path.join(import.meta.dirname, 'db', 'migrations') },
  datasource: { url: process.env.MIGRATE_URL ?? process.env.DATABASE_URL },
})
