CREATE SCHEMA "chain";
--> statement-breakpoint
CREATE TABLE "chain"."blocks" (
	"height" bigint PRIMARY KEY NOT NULL,
	"hash" "bytea" NOT NULL,
	"time" bigint NOT NULL,
	"proposer" "bytea" NOT NULL,
	"round" integer NOT NULL,
	"tx_count" integer NOT NULL,
	"event_count" integer NOT NULL,
	"header" "bytea" NOT NULL,
	"certificate" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chain"."events" (
	"height" bigint NOT NULL,
	"index" integer NOT NULL,
	"tx_index" integer NOT NULL,
	"tx_hash" "bytea" NOT NULL,
	"contract" text NOT NULL,
	"name" text NOT NULL,
	"attrs" jsonb NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "events_height_index_pk" PRIMARY KEY("height","index")
);
--> statement-breakpoint
CREATE TABLE "chain"."meta" (
	"key" text COLLATE "C" PRIMARY KEY NOT NULL,
	"value" "bytea" NOT NULL,
	"updated_at" bigint DEFAULT (extract(epoch from now()) * 1000)::bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chain"."state" (
	"key" text COLLATE "C" PRIMARY KEY NOT NULL,
	"value" "bytea" NOT NULL,
	"height" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chain"."txs" (
	"height" bigint NOT NULL,
	"index" integer NOT NULL,
	"hash" "bytea" NOT NULL,
	"sender" text,
	"nonce" bigint,
	"ok" boolean NOT NULL,
	"code" text,
	"message" text,
	"first_event" integer NOT NULL,
	"event_count" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "txs_height_index_pk" PRIMARY KEY("height","index")
);
--> statement-breakpoint
CREATE TABLE "chain"."validator_sets" (
	"height" bigint PRIMARY KEY NOT NULL,
	"hash" "bytea" NOT NULL,
	"validators" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chain"."wal" (
	"id" serial PRIMARY KEY NOT NULL,
	"height" bigint NOT NULL,
	"record" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE INDEX "blocks_hash" ON "chain"."blocks" USING hash ("hash");--> statement-breakpoint
CREATE INDEX "events_kind" ON "chain"."events" USING btree ("contract","name","height");--> statement-breakpoint
CREATE INDEX "events_tx" ON "chain"."events" USING hash ("tx_hash");--> statement-breakpoint
CREATE INDEX "txs_hash" ON "chain"."txs" USING hash ("hash");--> statement-breakpoint
CREATE INDEX "txs_sender" ON "chain"."txs" USING btree ("sender","height");--> statement-breakpoint
CREATE INDEX "wal_height" ON "chain"."wal" USING btree ("height");