-- EventBridge Scheduler: schedule groups and schedules, with what firing a schedule needs (its next due
-- time, a lease and an attempt count). The foreign key names no schema: migrations run in the schema the
-- search_path selects.
CREATE TABLE "schedule_groups" (
	"name" text PRIMARY KEY NOT NULL,
	"arn" text NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"last_modified_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "schedule_groups_arn_unique" UNIQUE("arn")
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"arn" text PRIMARY KEY NOT NULL,
	"group_name" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"state" text NOT NULL,
	"expression" text NOT NULL,
	"timezone" text,
	"start_date" timestamp (3) with time zone,
	"end_date" timestamp (3) with time zone,
	"flexible_time_window" jsonb NOT NULL,
	"target" jsonb NOT NULL,
	"state_machine_arn" text NOT NULL,
	"action_after_completion" text NOT NULL,
	"kms_key_arn" text,
	"generation" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"last_modified_at" timestamp (3) with time zone NOT NULL,
	"next_due_at" timestamp (3) with time zone,
	"lease_until" timestamp (3) with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "schedules_group_name_unique" UNIQUE("group_name","name"),
	CONSTRAINT "schedules_state_check" CHECK ("schedules"."state" in ('ENABLED', 'DISABLED'))
);
--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_group_name_schedule_groups_name_fk" FOREIGN KEY ("group_name") REFERENCES "schedule_groups"("name") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "schedules_due_idx" ON "schedules" USING btree ("next_due_at") WHERE "schedules"."next_due_at" is not null;