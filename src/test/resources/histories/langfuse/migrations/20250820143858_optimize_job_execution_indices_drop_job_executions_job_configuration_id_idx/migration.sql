-- DropIndex
DROP INDEX CONCURRENTLY "job_executions_job_configuration_id_idx";
