import { defineConfig } from 'prisma/config'

export default defineConfig({ migrations: { path: 'from-prisma7-config/migrations' } })
