CREATE SCHEMA "appkit_ingest";
--> statement-breakpoint
CREATE TABLE "appkit_ingest"."intervals" (
	"stream" text NOT NULL,
	"interval_start" bigint NOT NULL,
	"revision" integer NOT NULL,
	"interval_end" bigint NOT NULL,
	"root" "bytea" NOT NULL,
	"leaves" integer NOT NULL,
	"closed_at" bigint NOT NULL,
	"handed_over" boolean DEFAULT false NOT NULL,
	CONSTRAINT "intervals_stream_interval_start_revision_pk" PRIMARY KEY("stream","interval_start","revision")
);
--> statement-breakpoint
CREATE TABLE "appkit_ingest"."readings" (
	"stream" text NOT NULL,
	"key" text COLLATE "C" NOT NULL,
	"device" text NOT NULL,
	"ts" bigint NOT NULL,
	"interval_start" bigint NOT NULL,
	"topic" text NOT NULL,
	"payload" "bytea" NOT NULL,
	"data" jsonb,
	"received_at" bigint NOT NULL,
	"revision" integer,
	CONSTRAINT "readings_stream_key_pk" PRIMARY KEY("stream","key")
);
--> statement-breakpoint
CREATE TABLE "appkit_ingest"."rejected" (
	"id" serial PRIMARY KEY NOT NULL,
	"stream" text NOT NULL,
	"topic" text NOT NULL,
	"payload" "bytea" NOT NULL,
	"reason" text NOT NULL,
	"message" text NOT NULL,
	"received_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "intervals_pending" ON "appkit_ingest"."intervals" USING btree ("stream","handed_over");--> statement-breakpoint
CREATE INDEX "readings_stream_interval" ON "appkit_ingest"."readings" USING btree ("stream","interval_start","revision");--> statement-breakpoint
CREATE INDEX "rejected_stream_received" ON "appkit_ingest"."rejected" USING btree ("stream","received_at");