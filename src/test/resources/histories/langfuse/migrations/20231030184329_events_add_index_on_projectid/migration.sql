-- CreateIndex
CREATE INDEX "events_project_id_idx" ON "events"("project_id");
