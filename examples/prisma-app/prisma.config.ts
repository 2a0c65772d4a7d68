import { defineConfig } from 'prisma/config'

// Prisma 7 reads the connection URL from here, not from schema.prisma. prisma-launcher passes
// Prisma the same DATABASE_URL it inspected (or MIGRATE_DATABASE_URL, when that is set).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL },
})
