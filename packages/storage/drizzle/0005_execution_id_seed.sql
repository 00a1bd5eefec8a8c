-- Each execution's secret seed for the ids its transitions draw, so a transition run again after a
-- rollback draws the same task tokens (a handler run inside a transaction that rolled back meets the
-- same ctx.taskId when it runs again). Older executions keep drawing fresh randomness.
ALTER TABLE "executions" ADD COLUMN "id_seed" text;
