import { defineConfig } from 'prisma/config'

export default defineConfig({ migrations: { path: 'from-js/migrations' } })
