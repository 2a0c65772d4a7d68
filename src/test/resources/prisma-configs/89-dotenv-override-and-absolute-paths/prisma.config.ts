import { config } from 'dotenv'
import { defineConfig } from 'prisma/config'

config({ override: true, quiet: true })

export default async () => {
  console.log('loading prisma config')
  return defineConfig({
    schema: '/app/db/schema.prisma',
    migrations: { path: '/app/db/migrations' },
    datasource: { url: process.env.DATABASE_URL },
  })
}
