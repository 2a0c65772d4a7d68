-- AlterTable
ALTER TABLE "Note" ADD COLUMN     "done" BOOLEAN NOT NULL DEFAULT false;
