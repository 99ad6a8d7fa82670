CREATE TABLE "appkit_ingest"."consumers" (
	"stream" text PRIMARY KEY NOT NULL,
	"since" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appkit_ingest"."pending" (
	"stream" text NOT NULL,
	"key" text COLLATE "C" NOT NULL,
	"ts" bigint NOT NULL,
	CONSTRAINT "pending_stream_key_pk" PRIMARY KEY("stream","key")
);
--> statement-breakpoint
CREATE INDEX "pending_stream_ts" ON "appkit_ingest"."pending" USING btree ("stream","ts","key");--> statement-breakpoint
-- Written by hand (drizzle-kit does not model triggers): every reading stored in a consumed stream is
-- pending in the same statement, whoever stores it. The transition table holds only the rows inserted,
-- so a redelivered reading (ON CONFLICT DO NOTHING) is not pending again.
CREATE FUNCTION "appkit_ingest"."readings_pending"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO "appkit_ingest"."pending" ("stream", "key", "ts")
	SELECT n."stream", n."key", n."ts" FROM inserted n
	WHERE n."stream" IN (SELECT c."stream" FROM "appkit_ingest"."consumers" c)
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "readings_pending" AFTER INSERT ON "appkit_ingest"."readings"
	REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "appkit_ingest"."readings_pending"();
