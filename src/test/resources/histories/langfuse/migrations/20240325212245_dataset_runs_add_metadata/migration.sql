-- AlterTable
ALTER TABLE "dataset_runs" ADD COLUMN     "metadata" JSONB;
