-- AlterTable
ALTER TABLE "dataset_runs" ADD COLUMN     "description" TEXT;

-- AlterTable
ALTER TABLE "datasets" ADD COLUMN     "description" TEXT;
