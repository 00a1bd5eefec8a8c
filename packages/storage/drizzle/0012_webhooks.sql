CREATE TABLE "webhooks" (
	"name" text PRIMARY KEY NOT NULL,
	"arn" text NOT NULL,
	"state_machine_arn" text NOT NULL,
	"secret" text NOT NULL,
	"description" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "webhooks_arn_unique" UNIQUE("arn")
);
--> statement-breakpoint
CREATE INDEX "webhooks_state_machine_idx" ON "webhooks" USING btree ("state_machine_arn");