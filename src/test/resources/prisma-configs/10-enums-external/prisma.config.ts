import type { PrismaConfig } from 'prisma'

export default {
  experimental: {
    externalTables: true,
  },
  enums: {
    external: ['some_enum'],
  },
} satisfies PrismaConfig
