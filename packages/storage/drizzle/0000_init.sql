CREATE TABLE "activities" (
	"arn" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "activities_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "child_results" (
	"execution_arn" text NOT NULL,
	"parent_thread_id" text NOT NULL,
	"child_index" integer NOT NULL,
	"status" text NOT NULL,
	"output" text,
	"error" text,
	"cause" text,
	CONSTRAINT "child_results_execution_arn_parent_thread_id_child_index_pk" PRIMARY KEY("execution_arn","parent_thread_id","child_index")
);
--> statement-breakpoint
CREATE TABLE "execution_threads" (
	"execution_arn" text NOT NULL,
	"thread_id" text NOT NULL,
	"position" jsonb NOT NULL,
	"status" text NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "execution_threads_execution_arn_thread_id_pk" PRIMARY KEY("execution_arn","thread_id")
);
--> statement-breakpoint
CREATE TABLE "executions" (
	"arn" text PRIMARY KEY NOT NULL,
	"state_machine_arn" text NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'RUNNING' NOT NULL,
	"input" text NOT NULL,
	"output" text,
	"error" text,
	"cause" text,
	"start_date" timestamp (3) with time zone NOT NULL,
	"stop_date" timestamp with time zone,
	"next_event_id" integer DEFAULT 1 NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"definition" text NOT NULL,
	"role_arn" text NOT NULL,
	"redrive_count" integer DEFAULT 0 NOT NULL,
	"trace_header" text,
	CONSTRAINT "executions_state_machine_name_unique" UNIQUE("state_machine_arn","name"),
	CONSTRAINT "executions_status_check" CHECK ("executions"."status" in ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'))
);
--> statement-breakpoint
CREATE TABLE "history_events" (
	"execution_arn" text NOT NULL,
	"id" integer NOT NULL,
	"previous_event_id" integer NOT NULL,
	"type" text NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"details" jsonb NOT NULL,
	CONSTRAINT "history_events_execution_arn_id_pk" PRIMARY KEY("execution_arn","id")
);
--> statement-breakpoint
CREATE TABLE "pending_executions" (
	"execution_arn" text PRIMARY KEY NOT NULL,
	"state_machine_arn" text NOT NULL,
	"enqueued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seq" bigserial NOT NULL,
	CONSTRAINT "pending_executions_seq_unique" UNIQUE("seq")
);
--> statement-breakpoint
CREATE TABLE "state_machines" (
	"arn" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"definition" text NOT NULL,
	"type" text DEFAULT 'STANDARD' NOT NULL,
	"role_arn" text NOT NULL,
	"description" text,
	"revision_id" text NOT NULL,
	"logging_configuration" jsonb,
	"tracing_configuration" jsonb,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "state_machines_name_unique" UNIQUE("name"),
	CONSTRAINT "state_machines_type_check" CHECK ("state_machines"."type" in ('STANDARD', 'EXPRESS')),
	CONSTRAINT "state_machines_status_check" CHECK ("state_machines"."status" in ('ACTIVE', 'DELETING'))
);
--> statement-breakpoint
CREATE TABLE "task_tokens" (
	"token" text PRIMARY KEY NOT NULL,
	"execution_arn" text NOT NULL,
	"thread_id" text NOT NULL,
	"state_name" text NOT NULL,
	"activity_arn" text,
	"input" text,
	"worker_name" text,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"heartbeat_deadline" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "task_tokens_status_check" CHECK ("task_tokens"."status" in ('PENDING', 'STARTED', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED'))
);
--> statement-breakpoint
CREATE TABLE "timers" (
	"id" text PRIMARY KEY NOT NULL,
	"execution_arn" text NOT NULL,
	"thread_id" text NOT NULL,
	"kind" text NOT NULL,
	"fire_at" timestamp with time zone NOT NULL,
	"payload" jsonb,
	"fired" boolean DEFAULT false NOT NULL,
	"fired_at" timestamp with time zone,
	CONSTRAINT "timers_kind_check" CHECK ("timers"."kind" in ('wait', 'retry', 'task_timeout', 'heartbeat_timeout', 'execution_timeout'))
);
--> statement-breakpoint
CREATE INDEX "executions_list_idx" ON "executions" USING btree ("state_machine_arn","start_date" DESC NULLS LAST,"arn" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "executions_list_by_status_idx" ON "executions" USING btree ("state_machine_arn","status","start_date" DESC NULLS LAST,"arn" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "pending_executions_queue_idx" ON "pending_executions" USING btree ("state_machine_arn","seq");--> statement-breakpoint
CREATE INDEX "task_tokens_activity_queue_idx" ON "task_tokens" USING btree ("activity_arn","created_at") WHERE "task_tokens"."status" = 'PENDING';--> statement-breakpoint
CREATE INDEX "task_tokens_execution_idx" ON "task_tokens" USING btree ("execution_arn");--> statement-breakpoint
CREATE INDEX "timers_due_idx" ON "timers" USING btree ("fire_at") WHERE not "timers"."fired";--> statement-breakpoint
CREATE INDEX "timers_execution_idx" ON "timers" USING btree ("execution_arn");