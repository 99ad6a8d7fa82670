CREATE SCHEMA "explorer";
--> statement-breakpoint
CREATE TABLE "explorer"."activity" (
	"address" text NOT NULL,
	"height" bigint NOT NULL,
	"tx_index" integer NOT NULL,
	"event_index" integer NOT NULL,
	"roles" text NOT NULL,
	CONSTRAINT "activity_address_height_tx_index_event_index_pk" PRIMARY KEY("address","height","tx_index","event_index")
);
--> statement-breakpoint
CREATE TABLE "explorer"."asset_moves" (
	"height" bigint NOT NULL,
	"idx" integer NOT NULL,
	"symbol" text NOT NULL,
	"kind" text NOT NULL,
	"from_address" text,
	"to_address" text,
	"amount" bigint NOT NULL,
	"tx_id" text NOT NULL,
	CONSTRAINT "asset_moves_height_idx_pk" PRIMARY KEY("height","idx")
);
--> statement-breakpoint
CREATE TABLE "explorer"."assets" (
	"symbol" text PRIMARY KEY NOT NULL,
	"name" text,
	"decimals" integer,
	"issuer" text,
	"policy" text,
	"supply" bigint NOT NULL,
	"holders" integer NOT NULL,
	"moves" bigint NOT NULL,
	"issued_height" bigint,
	"issued_tx" text
);
--> statement-breakpoint
CREATE TABLE "explorer"."balances" (
	"symbol" text NOT NULL,
	"address" text NOT NULL,
	"amount" bigint NOT NULL,
	CONSTRAINT "balances_symbol_address_pk" PRIMARY KEY("symbol","address")
);
--> statement-breakpoint
CREATE TABLE "explorer"."blocks" (
	"height" bigint PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"time" bigint NOT NULL,
	"tx_count" integer NOT NULL,
	"failed_txs" integer NOT NULL,
	"event_count" integer NOT NULL,
	"proposer" text NOT NULL,
	"round" integer NOT NULL,
	"interval_ms" bigint,
	"txs_total" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "explorer"."did_history" (
	"address" text NOT NULL,
	"height" bigint NOT NULL,
	"idx" integer NOT NULL,
	"name" text NOT NULL,
	"tx_id" text NOT NULL,
	CONSTRAINT "did_history_address_height_idx_pk" PRIMARY KEY("address","height","idx")
);
--> statement-breakpoint
CREATE TABLE "explorer"."dids" (
	"address" text PRIMARY KEY NOT NULL,
	"did" text NOT NULL,
	"kind" text,
	"registered_height" bigint,
	"registered_tx" text,
	"attestation" text NOT NULL,
	"attested_by" text,
	"attested_height" bigint,
	"roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"key_rotations" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "explorer"."events" (
	"height" bigint NOT NULL,
	"idx" integer NOT NULL,
	"tx_index" integer NOT NULL,
	"tx_id" text NOT NULL,
	"contract" text NOT NULL,
	"name" text NOT NULL,
	"attrs" jsonb NOT NULL,
	CONSTRAINT "events_height_idx_pk" PRIMARY KEY("height","idx")
);
--> statement-breakpoint
CREATE TABLE "explorer"."txs" (
	"height" bigint NOT NULL,
	"idx" integer NOT NULL,
	"id" text NOT NULL,
	"sender" text,
	"ok" boolean NOT NULL,
	"code" text,
	"first_event" integer,
	"event_count" integer NOT NULL,
	CONSTRAINT "txs_height_idx_pk" PRIMARY KEY("height","idx")
);
--> statement-breakpoint
CREATE TABLE "explorer"."validator_stats" (
	"key" text PRIMARY KEY NOT NULL,
	"proposed" bigint NOT NULL,
	"last_height" bigint NOT NULL,
	"last_time" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "asset_moves_symbol" ON "explorer"."asset_moves" USING btree ("symbol","height" DESC NULLS LAST,"idx" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "balances_top" ON "explorer"."balances" USING btree ("symbol","amount" DESC NULLS LAST,"address");--> statement-breakpoint
CREATE UNIQUE INDEX "blocks_hash" ON "explorer"."blocks" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "blocks_time" ON "explorer"."blocks" USING btree ("time");--> statement-breakpoint
CREATE UNIQUE INDEX "dids_did" ON "explorer"."dids" USING btree ("did");--> statement-breakpoint
CREATE UNIQUE INDEX "txs_id" ON "explorer"."txs" USING btree ("id");