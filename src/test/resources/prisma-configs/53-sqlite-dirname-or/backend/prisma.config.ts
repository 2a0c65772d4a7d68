import "dotenv/config";
import { defineConfig } from "prisma/config";
import path from "path";

const defaultDbUrl = `file:${path.join(__dirname, "prisma", "dev.db")}`;
const databaseUrl = process.env.DATABASE_URL || defaultDbUrl;

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: {
    path: "prisma/migrations",
  },
  datasource: {
    url: databaseUrl,
  },
});
