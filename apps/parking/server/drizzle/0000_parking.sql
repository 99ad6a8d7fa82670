CREATE SCHEMA "parking";
--> statement-breakpoint
CREATE TABLE "parking"."adjustments" (
	"id" text PRIMARY KEY NOT NULL,
	"session" text NOT NULL,
	"delta" bigint NOT NULL,
	"reason" text NOT NULL,
	"by" text NOT NULL,
	"height" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parking"."gates" (
	"lot" text NOT NULL,
	"gate" text NOT NULL,
	"key" text NOT NULL,
	"height" integer NOT NULL,
	CONSTRAINT "gates_lot_gate_pk" PRIMARY KEY("lot","gate")
);
--> statement-breakpoint
CREATE TABLE "parking"."lots" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"operator" text NOT NULL,
	"capacity" integer NOT NULL,
	"fixed_spaces" integer NOT NULL,
	"symbol" text NOT NULL,
	"fee_bps" integer NOT NULL,
	"tariff_version" integer NOT NULL,
	"tariff_hash" text,
	"open" integer NOT NULL,
	"counted" integer,
	"height" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parking"."operators" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"account" text NOT NULL,
	"height" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parking"."plates" (
	"plate_hash" text PRIMARY KEY NOT NULL,
	"plate" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parking"."processed" (
	"key" text PRIMARY KEY NOT NULL,
	"event_hash" text NOT NULL,
	"kind" text NOT NULL,
	"processed_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parking"."receipts" (
	"id" text PRIMARY KEY NOT NULL,
	"session" text NOT NULL,
	"lot" text NOT NULL,
	"payer" text NOT NULL,
	"symbol" text NOT NULL,
	"amount" bigint NOT NULL,
	"total" bigint NOT NULL,
	"tariff_version" integer NOT NULL,
	"tariff_hash" text NOT NULL,
	"date" text NOT NULL,
	"refunded" text,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parking"."reconciliation" (
	"session" text PRIMARY KEY NOT NULL,
	"lot" text NOT NULL,
	"gate" text NOT NULL,
	"plate" text NOT NULL,
	"gate_reason" text NOT NULL,
	"gate_due_fen" bigint NOT NULL,
	"gate_tariff_version" integer,
	"chain_fee_fen" bigint NOT NULL,
	"chain_paid_fen" bigint NOT NULL,
	"difference_fen" bigint NOT NULL,
	"listed_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parking"."sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"lot" text NOT NULL,
	"plate_hash" text NOT NULL,
	"vehicle" text NOT NULL,
	"entry" bigint,
	"exit" bigint,
	"entry_gate" text,
	"exit_gate" text,
	"tariff_version" integer,
	"status" text NOT NULL,
	"orphan" text,
	"fee_fen" bigint,
	"paid_fen" bigint NOT NULL,
	"adjusted_fen" bigint NOT NULL,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parking"."statements" (
	"id" text PRIMARY KEY NOT NULL,
	"date" text NOT NULL,
	"aggregator" text NOT NULL,
	"total" bigint NOT NULL,
	"fees" bigint NOT NULL,
	"lines" jsonb NOT NULL,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "receipts_session" ON "parking"."receipts" USING btree ("session");--> statement-breakpoint
CREATE INDEX "receipts_date" ON "parking"."receipts" USING btree ("date");--> statement-breakpoint
CREATE INDEX "sessions_plate" ON "parking"."sessions" USING btree ("plate_hash");--> statement-breakpoint
CREATE INDEX "sessions_lot" ON "parking"."sessions" USING btree ("lot","status");