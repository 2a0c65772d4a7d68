-- DropIndex
DROP INDEX CONCURRENTLY "job_executions_updated_at_idx";