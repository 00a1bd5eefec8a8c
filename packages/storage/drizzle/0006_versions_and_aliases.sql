-- State machine versions and aliases (PublishStateMachineVersion, CreateStateMachineAlias), and which of
-- them an execution was started through. The foreign keys name no schema: migrations run in the schema
-- the search_path selects.
CREATE TABLE "state_machine_aliases" (
	"arn" text PRIMARY KEY NOT NULL,
	"state_machine_arn" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"routing_configuration" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "state_machine_versions" (
	"arn" text PRIMARY KEY NOT NULL,
	"state_machine_arn" text NOT NULL,
	"version" integer NOT NULL,
	"definition" text NOT NULL,
	"role_arn" text NOT NULL,
	"description" text,
	"revision_id" text NOT NULL,
	"logging_configuration" jsonb,
	"tracing_configuration" jsonb,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "state_machine_versions_number_unique" UNIQUE("state_machine_arn","version")
);
--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "state_machine_version_arn" text;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "state_machine_alias_arn" text;--> statement-breakpoint
ALTER TABLE "state_machines" ADD COLUMN "last_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "state_machine_aliases" ADD CONSTRAINT "state_machine_aliases_state_machine_arn_state_machines_arn_fk" FOREIGN KEY ("state_machine_arn") REFERENCES "state_machines"("arn") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "state_machine_versions" ADD CONSTRAINT "state_machine_versions_state_machine_arn_state_machines_arn_fk" FOREIGN KEY ("state_machine_arn") REFERENCES "state_machines"("arn") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "state_machine_aliases_list_idx" ON "state_machine_aliases" USING btree ("state_machine_arn","created_at" DESC NULLS LAST,"arn" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "executions_list_by_version_idx" ON "executions" USING btree ("state_machine_version_arn","start_date" DESC NULLS LAST,"arn" DESC NULLS LAST) WHERE "executions"."state_machine_version_arn" is not null;--> statement-breakpoint
CREATE INDEX "executions_list_by_alias_idx" ON "executions" USING btree ("state_machine_alias_arn","start_date" DESC NULLS LAST,"arn" DESC NULLS LAST) WHERE "executions"."state_machine_alias_arn" is not null;