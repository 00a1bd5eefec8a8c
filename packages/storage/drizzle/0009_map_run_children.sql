ALTER TABLE "executions" ADD COLUMN "map_run_arn" text;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "parent_execution_arn" text;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "parent_thread_id" text;--> statement-breakpoint
CREATE INDEX "executions_list_by_map_run_idx" ON "executions" USING btree ("map_run_arn","status","start_date" DESC NULLS LAST,"arn" DESC NULLS LAST) WHERE "executions"."map_run_arn" is not null;--> statement-breakpoint
CREATE INDEX "executions_children_idx" ON "executions" USING btree ("parent_execution_arn","parent_thread_id") WHERE "executions"."parent_execution_arn" is not null;