ALTER TABLE "executions" ADD COLUMN "redrive_date" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "redrive_tokens" jsonb DEFAULT '[]'::jsonb NOT NULL;