CREATE SCHEMA "wallet";
--> statement-breakpoint
CREATE TABLE "wallet"."assets" (
	"symbol" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"decimals" integer NOT NULL,
	"issuer" text NOT NULL,
	"policy" text NOT NULL,
	"supply" bigint NOT NULL,
	"issued_height" bigint NOT NULL,
	"issued_tx_id" text NOT NULL,
	"issued_at_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wallet"."history" (
	"height" bigint NOT NULL,
	"event_index" integer NOT NULL,
	"account" text NOT NULL,
	"tx_id" text NOT NULL,
	"time_ms" bigint NOT NULL,
	"kind" text NOT NULL,
	"direction" text NOT NULL,
	"symbol" text NOT NULL,
	"amount" bigint,
	"counterparty" text,
	"memo" text,
	"ref" text,
	CONSTRAINT "history_height_event_index_account_pk" PRIMARY KEY("height","event_index","account")
);
--> statement-breakpoint
CREATE TABLE "wallet"."holdings" (
	"symbol" text NOT NULL,
	"account" text NOT NULL,
	"amount" bigint NOT NULL,
	CONSTRAINT "holdings_symbol_account_pk" PRIMARY KEY("symbol","account")
);
--> statement-breakpoint
CREATE TABLE "wallet"."packet_claims" (
	"packet_id" text NOT NULL,
	"claimer" text NOT NULL,
	"amount" bigint NOT NULL,
	"height" bigint NOT NULL,
	"event_index" integer NOT NULL,
	"tx_id" text NOT NULL,
	"claimed_at_ms" bigint NOT NULL,
	CONSTRAINT "packet_claims_packet_id_claimer_pk" PRIMARY KEY("packet_id","claimer")
);
--> statement-breakpoint
CREATE TABLE "wallet"."packets" (
	"id" text PRIMARY KEY NOT NULL,
	"symbol" text NOT NULL,
	"creator" text NOT NULL,
	"total" bigint NOT NULL,
	"count" integer NOT NULL,
	"split" text NOT NULL,
	"expires_at_ms" bigint NOT NULL,
	"status" text NOT NULL,
	"remaining" bigint NOT NULL,
	"claimed" integer NOT NULL,
	"created_height" bigint NOT NULL,
	"created_tx_id" text NOT NULL,
	"created_at_ms" bigint NOT NULL,
	"closed_at_ms" bigint,
	"refund_tx_id" text
);
--> statement-breakpoint
CREATE INDEX "assets_issuer_idx" ON "wallet"."assets" USING btree ("issuer");--> statement-breakpoint
CREATE INDEX "history_account_idx" ON "wallet"."history" USING btree ("account","height","event_index");--> statement-breakpoint
CREATE INDEX "history_account_symbol_idx" ON "wallet"."history" USING btree ("account","symbol","height","event_index");--> statement-breakpoint
CREATE INDEX "packet_claims_claimer_idx" ON "wallet"."packet_claims" USING btree ("claimer","height");--> statement-breakpoint
CREATE INDEX "packets_creator_idx" ON "wallet"."packets" USING btree ("creator","created_height");