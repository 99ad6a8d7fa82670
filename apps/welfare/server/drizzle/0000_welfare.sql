CREATE SCHEMA "welfare";
--> statement-breakpoint
CREATE TABLE "welfare"."alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"detail" text NOT NULL,
	"owner" text NOT NULL,
	"deadline" bigint NOT NULL,
	"outcome" text,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "welfare"."applications" (
	"id" text PRIMARY KEY NOT NULL,
	"household" text NOT NULL,
	"step" text NOT NULL,
	"reports" jsonb NOT NULL,
	"notice_ends" bigint,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "welfare"."areas" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"symbol" text NOT NULL,
	"standard" bigint,
	"standard_from" text,
	"height" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "welfare"."batches" (
	"id" text PRIMARY KEY NOT NULL,
	"area" text NOT NULL,
	"period" text NOT NULL,
	"root" text NOT NULL,
	"count" integer NOT NULL,
	"total" bigint NOT NULL,
	"paid" bigint NOT NULL,
	"failed" bigint NOT NULL,
	"returned" bigint NOT NULL,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "welfare"."cycles" (
	"area" text NOT NULL,
	"period" text NOT NULL,
	"issued" bigint NOT NULL,
	"paid" bigint NOT NULL,
	"failed" bigint NOT NULL,
	"returned" bigint NOT NULL,
	"closed" boolean NOT NULL,
	CONSTRAINT "cycles_area_period_pk" PRIMARY KEY("area","period")
);
--> statement-breakpoint
CREATE TABLE "welfare"."decisions" (
	"application" text PRIMARY KEY NOT NULL,
	"household" text NOT NULL,
	"category" text NOT NULL,
	"eligible" boolean NOT NULL,
	"monthly" bigint NOT NULL,
	"rule_version" integer NOT NULL,
	"standard_version" integer NOT NULL,
	"inputs_hash" text NOT NULL,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "welfare"."envelopes" (
	"area" text NOT NULL,
	"period" text NOT NULL,
	"count" integer NOT NULL,
	"total" bigint NOT NULL,
	CONSTRAINT "envelopes_area_period_pk" PRIMARY KEY("area","period")
);
--> statement-breakpoint
CREATE TABLE "welfare"."households" (
	"id" text PRIMARY KEY NOT NULL,
	"area" text NOT NULL,
	"members" integer NOT NULL,
	"status" text NOT NULL,
	"category" text,
	"monthly" bigint,
	"opened_by" text NOT NULL,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "welfare"."objections" (
	"application" text NOT NULL,
	"objection" integer NOT NULL,
	"evidence" text NOT NULL,
	"upheld" boolean,
	"open" boolean NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL,
	CONSTRAINT "objections_application_objection_pk" PRIMARY KEY("application","objection")
);
--> statement-breakpoint
CREATE TABLE "welfare"."payments" (
	"batch" text NOT NULL,
	"position" integer NOT NULL,
	"household" text NOT NULL,
	"id_hash" text NOT NULL,
	"account" text NOT NULL,
	"amount" bigint NOT NULL,
	"area" text NOT NULL,
	"period" text NOT NULL,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL,
	CONSTRAINT "payments_batch_position_pk" PRIMARY KEY("batch","position")
);
--> statement-breakpoint
CREATE TABLE "welfare"."prepared_batches" (
	"root" text PRIMARY KEY NOT NULL,
	"area" text NOT NULL,
	"period" text NOT NULL,
	"payments" jsonb NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "batches_cycle" ON "welfare"."batches" USING btree ("area","period");--> statement-breakpoint
CREATE INDEX "households_area" ON "welfare"."households" USING btree ("area");--> statement-breakpoint
CREATE INDEX "payments_account" ON "welfare"."payments" USING btree ("account");