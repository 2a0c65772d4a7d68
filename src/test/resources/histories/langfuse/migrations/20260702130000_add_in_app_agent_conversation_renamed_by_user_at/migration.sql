ALTER TABLE "in_app_agent_conversations" ADD COLUMN "renamed_by_user_at" TIMESTAMP(3);
