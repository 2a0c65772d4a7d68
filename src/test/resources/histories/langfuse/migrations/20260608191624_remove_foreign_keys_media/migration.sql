-- DropForeignKey
ALTER TABLE "observation_media" DROP CONSTRAINT IF EXISTS "observation_media_project_id_fkey";

-- DropForeignKey
ALTER TABLE "trace_media" DROP CONSTRAINT IF EXISTS "trace_media_project_id_fkey";
