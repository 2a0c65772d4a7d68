-- AlterTable
ALTER TABLE "cron_jobs" ADD COLUMN     "job_started_at" TIMESTAMP(3);
