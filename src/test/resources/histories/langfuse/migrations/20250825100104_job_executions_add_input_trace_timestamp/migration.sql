-- AlterTable
ALTER TABLE "job_executions" ADD COLUMN     "job_input_trace_timestamp" TIMESTAMP(3);
