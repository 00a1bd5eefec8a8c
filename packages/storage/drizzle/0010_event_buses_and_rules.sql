-- EventBridge: event buses, rules with their targets, and the deliveries of accepted events (written with
-- PutEvents, deleted once their execution is started). The foreign key names no schema: migrations run in
-- the schema the search_path selects.
CREATE TABLE "event_buses" (
	"name" text PRIMARY KEY NOT NULL,
	"arn" text NOT NULL,
	"description" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"last_modified_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "event_buses_arn_unique" UNIQUE("arn")
);
--> statement-breakpoint
CREATE TABLE "event_deliveries" (
	"event_id" text NOT NULL,
	"rule_arn" text NOT NULL,
	"target_id" text NOT NULL,
	"execution_name" text NOT NULL,
	"state_machine_arn" text NOT NULL,
	"input" text NOT NULL,
	"ingested_at" timestamp (3) with time zone NOT NULL,
	"next_attempt_at" timestamp (3) with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"maximum_event_age_seconds" integer NOT NULL,
	"maximum_retry_attempts" integer NOT NULL,
	CONSTRAINT "event_deliveries_event_id_rule_arn_target_id_pk" PRIMARY KEY("event_id","rule_arn","target_id")
);
--> statement-breakpoint
CREATE TABLE "event_rules" (
	"arn" text PRIMARY KEY NOT NULL,
	"bus_name" text NOT NULL,
	"name" text NOT NULL,
	"event_pattern" text NOT NULL,
	"state" text NOT NULL,
	"description" text,
	"role_arn" text,
	"targets" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "event_rules_bus_name_unique" UNIQUE("bus_name","name"),
	CONSTRAINT "event_rules_state_check" CHECK ("event_rules"."state" in ('ENABLED', 'DISABLED'))
);
--> statement-breakpoint
ALTER TABLE "event_rules" ADD CONSTRAINT "event_rules_bus_name_event_buses_name_fk" FOREIGN KEY ("bus_name") REFERENCES "event_buses"("name") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_deliveries_due_idx" ON "event_deliveries" USING btree ("next_attempt_at");