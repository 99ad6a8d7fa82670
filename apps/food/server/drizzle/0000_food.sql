CREATE SCHEMA "food";
--> statement-breakpoint
CREATE TABLE "food"."alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"severity" text NOT NULL,
	"by" text NOT NULL,
	"height" bigint NOT NULL,
	"event_index" integer NOT NULL,
	"tx_id" text NOT NULL,
	"time_ms" bigint NOT NULL,
	"status" text NOT NULL,
	"resolution" text,
	"resolved_by" text,
	"resolved_at_ms" bigint,
	"resolved_tx_id" text
);
--> statement-breakpoint
CREATE TABLE "food"."anchors" (
	"hash" text PRIMARY KEY NOT NULL,
	"event_type" text NOT NULL,
	"biz_step" text,
	"epc_count" integer NOT NULL,
	"by" text NOT NULL,
	"height" bigint NOT NULL,
	"event_index" integer NOT NULL,
	"tx_id" text NOT NULL,
	"time_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "food"."api_keys" (
	"hash" text PRIMARY KEY NOT NULL,
	"org" text NOT NULL,
	"label" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at_ms" bigint NOT NULL,
	"revoked_at_ms" bigint
);
--> statement-breakpoint
CREATE TABLE "food"."captures" (
	"id" text PRIMARY KEY NOT NULL,
	"org" text NOT NULL,
	"source" text NOT NULL,
	"created_at_ms" bigint NOT NULL,
	"hashes" jsonb NOT NULL,
	"duplicates" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "food"."event_epcs" (
	"epc" text NOT NULL,
	"role" text NOT NULL,
	"hash" text NOT NULL,
	"event_time_ms" bigint NOT NULL,
	CONSTRAINT "event_epcs_epc_role_hash_pk" PRIMARY KEY("epc","role","hash")
);
--> statement-breakpoint
CREATE TABLE "food"."events" (
	"hash" text PRIMARY KEY NOT NULL,
	"hash_id" text NOT NULL,
	"event_id" text,
	"type" text NOT NULL,
	"action" text,
	"event_time_ms" bigint NOT NULL,
	"record_time_ms" bigint NOT NULL,
	"biz_step" text,
	"disposition" text,
	"read_point" text,
	"biz_location" text,
	"gln" text,
	"org" text NOT NULL,
	"capture_id" text NOT NULL,
	"source" text NOT NULL,
	"event" jsonb NOT NULL,
	"context" jsonb,
	"anchor" jsonb NOT NULL,
	"anchor_signer" text,
	"anchor_tx" text,
	"anchor_error" text,
	"created_at_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "food"."findings" (
	"key" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"severity" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"message" jsonb NOT NULL,
	"status" text NOT NULL,
	"alert_id" text,
	"error" text,
	"created_at_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "food"."locations" (
	"gln" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"lat_e6" integer,
	"lon_e6" integer,
	"by" text NOT NULL,
	"height" bigint NOT NULL,
	"tx_id" text NOT NULL,
	"event_index" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "food"."meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "food"."org_roles" (
	"address" text NOT NULL,
	"role" text NOT NULL,
	"source" text NOT NULL,
	"height" bigint NOT NULL,
	CONSTRAINT "org_roles_address_role_pk" PRIMARY KEY("address","role")
);
--> statement-breakpoint
CREATE TABLE "food"."organisations" (
	"address" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"acts_for" text
);
--> statement-breakpoint
CREATE TABLE "food"."products" (
	"gtin" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"by" text NOT NULL,
	"height" bigint NOT NULL,
	"tx_id" text NOT NULL,
	"event_index" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "food"."recalled_lots" (
	"lot" text NOT NULL,
	"recall_id" text NOT NULL,
	"source" text NOT NULL,
	"at_retail" boolean NOT NULL,
	"evidence" jsonb NOT NULL,
	"path" jsonb NOT NULL,
	"time_ms" bigint NOT NULL,
	CONSTRAINT "recalled_lots_lot_recall_id_pk" PRIMARY KEY("lot","recall_id")
);
--> statement-breakpoint
CREATE TABLE "food"."recalls" (
	"id" text PRIMARY KEY NOT NULL,
	"lots" jsonb NOT NULL,
	"reason" text NOT NULL,
	"by" text NOT NULL,
	"height" bigint NOT NULL,
	"event_index" integer NOT NULL,
	"tx_id" text NOT NULL,
	"time_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "food"."scans" (
	"id" text PRIMARY KEY NOT NULL,
	"epc" text NOT NULL,
	"time_ms" bigint NOT NULL,
	"ip_hash" text,
	"lat_e6" integer,
	"lon_e6" integer,
	"place" text
);
--> statement-breakpoint
CREATE INDEX "alerts_status_idx" ON "food"."alerts" USING btree ("status","height");--> statement-breakpoint
CREATE INDEX "alerts_subject_idx" ON "food"."alerts" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "anchors_by_idx" ON "food"."anchors" USING btree ("by","height");--> statement-breakpoint
CREATE INDEX "api_keys_org_idx" ON "food"."api_keys" USING btree ("org");--> statement-breakpoint
CREATE INDEX "captures_org_idx" ON "food"."captures" USING btree ("org","created_at_ms");--> statement-breakpoint
CREATE INDEX "event_epcs_epc_time_idx" ON "food"."event_epcs" USING btree ("epc","event_time_ms");--> statement-breakpoint
CREATE INDEX "event_epcs_hash_idx" ON "food"."event_epcs" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "events_time_idx" ON "food"."events" USING btree ("event_time_ms","hash");--> statement-breakpoint
CREATE INDEX "events_biz_step_idx" ON "food"."events" USING btree ("biz_step","event_time_ms");--> statement-breakpoint
CREATE INDEX "events_type_idx" ON "food"."events" USING btree ("type","event_time_ms");--> statement-breakpoint
CREATE INDEX "events_capture_idx" ON "food"."events" USING btree ("capture_id");--> statement-breakpoint
CREATE INDEX "events_org_idx" ON "food"."events" USING btree ("org","created_at_ms");--> statement-breakpoint
CREATE INDEX "events_event_id_idx" ON "food"."events" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "events_signer_idx" ON "food"."events" USING btree ("anchor_signer","created_at_ms");--> statement-breakpoint
CREATE INDEX "events_created_idx" ON "food"."events" USING btree ("created_at_ms");--> statement-breakpoint
CREATE INDEX "findings_status_idx" ON "food"."findings" USING btree ("status","created_at_ms");--> statement-breakpoint
CREATE INDEX "findings_alert_idx" ON "food"."findings" USING btree ("alert_id");--> statement-breakpoint
CREATE INDEX "findings_subject_idx" ON "food"."findings" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "org_roles_role_idx" ON "food"."org_roles" USING btree ("role");--> statement-breakpoint
CREATE INDEX "recalled_lots_recall_idx" ON "food"."recalled_lots" USING btree ("recall_id");--> statement-breakpoint
CREATE INDEX "scans_epc_time_idx" ON "food"."scans" USING btree ("epc","time_ms");