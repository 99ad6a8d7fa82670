CREATE SCHEMA "registry";
--> statement-breakpoint
CREATE TABLE "registry"."certificates" (
	"id" text PRIMARY KEY NOT NULL,
	"no" text NOT NULL,
	"issuer" text NOT NULL,
	"holder" text NOT NULL,
	"scheme" text NOT NULL,
	"scope" text NOT NULL,
	"standard" text NOT NULL,
	"product" text NOT NULL,
	"industry" text NOT NULL,
	"classification" text NOT NULL,
	"valid_from" bigint NOT NULL,
	"valid_until" bigint NOT NULL,
	"status" text NOT NULL,
	"height" bigint NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry"."changes" (
	"height" bigint NOT NULL,
	"event_index" integer NOT NULL,
	"name" text NOT NULL,
	"uscc" text,
	"effective_at" bigint NOT NULL,
	"attrs" jsonb NOT NULL,
	"tx_id" text NOT NULL,
	CONSTRAINT "changes_height_event_index_pk" PRIMARY KEY("height","event_index")
);
--> statement-breakpoint
CREATE TABLE "registry"."enterprise_names" (
	"uscc" text NOT NULL,
	"name" text NOT NULL,
	"current" integer NOT NULL,
	"pinyin" text NOT NULL,
	"initials" text NOT NULL,
	CONSTRAINT "enterprise_names_uscc_name_pk" PRIMARY KEY("uscc","name")
);
--> statement-breakpoint
CREATE TABLE "registry"."enterprises" (
	"uscc" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"previous_names" jsonb NOT NULL,
	"legal_form" text NOT NULL,
	"capital" bigint NOT NULL,
	"representative" text NOT NULL,
	"address" text,
	"industry" text NOT NULL,
	"region" text NOT NULL,
	"established_on" text NOT NULL,
	"authority" text NOT NULL,
	"life" text NOT NULL,
	"listing_status" text NOT NULL,
	"successor" text,
	"height" bigint NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL,
	"updated_height" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry"."filings" (
	"id" text PRIMARY KEY NOT NULL,
	"uscc" text NOT NULL,
	"kind" text NOT NULL,
	"fields" jsonb NOT NULL,
	"effective_on" text NOT NULL,
	"successor" text,
	"status" text NOT NULL,
	"reason" text,
	"decided_by" text,
	"height" bigint NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry"."listing_events" (
	"height" bigint NOT NULL,
	"event_index" integer NOT NULL,
	"uscc" text NOT NULL,
	"kind" text NOT NULL,
	"cause" text NOT NULL,
	"effective_at" bigint NOT NULL,
	"status" text,
	"tx_id" text NOT NULL,
	CONSTRAINT "listing_events_height_event_index_pk" PRIMARY KEY("height","event_index")
);
--> statement-breakpoint
CREATE TABLE "registry"."notices" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"uscc" text,
	"title" text NOT NULL,
	"body_hash" text NOT NULL,
	"decision_no" text,
	"violation" text,
	"penalties" jsonb NOT NULL,
	"fine" bigint,
	"from" text NOT NULL,
	"until" text NOT NULL,
	"by" text NOT NULL,
	"height" bigint NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry"."posts" (
	"id" text PRIMARY KEY NOT NULL,
	"uscc" text NOT NULL,
	"kind" text NOT NULL,
	"industry" text NOT NULL,
	"classification" text NOT NULL,
	"item" text NOT NULL,
	"quantity" bigint NOT NULL,
	"unit" text NOT NULL,
	"region" text NOT NULL,
	"deliver_from" text NOT NULL,
	"deliver_until" text NOT NULL,
	"price_min" bigint NOT NULL,
	"price_max" bigint NOT NULL,
	"status" text NOT NULL,
	"height" bigint NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry"."reports" (
	"uscc" text NOT NULL,
	"year" integer NOT NULL,
	"hash" text NOT NULL,
	"late" integer NOT NULL,
	"height" bigint NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL,
	CONSTRAINT "reports_uscc_year_pk" PRIMARY KEY("uscc","year")
);
--> statement-breakpoint
CREATE INDEX "certificates_holder" ON "registry"."certificates" USING btree ("holder");--> statement-breakpoint
CREATE INDEX "certificates_no" ON "registry"."certificates" USING btree ("no");--> statement-breakpoint
CREATE INDEX "changes_uscc" ON "registry"."changes" USING btree ("uscc","height");--> statement-breakpoint
CREATE INDEX "enterprises_life" ON "registry"."enterprises" USING btree ("life","height");--> statement-breakpoint
CREATE INDEX "enterprises_representative" ON "registry"."enterprises" USING btree ("representative");--> statement-breakpoint
CREATE INDEX "enterprises_industry" ON "registry"."enterprises" USING btree ("industry");--> statement-breakpoint
CREATE INDEX "filings_status" ON "registry"."filings" USING btree ("status","height");--> statement-breakpoint
CREATE INDEX "filings_uscc" ON "registry"."filings" USING btree ("uscc");--> statement-breakpoint
CREATE INDEX "listing_events_uscc" ON "registry"."listing_events" USING btree ("uscc");--> statement-breakpoint
CREATE INDEX "notices_height" ON "registry"."notices" USING btree ("height");--> statement-breakpoint
CREATE INDEX "notices_uscc" ON "registry"."notices" USING btree ("uscc");--> statement-breakpoint
CREATE INDEX "posts_status" ON "registry"."posts" USING btree ("status","kind","height");--> statement-breakpoint
CREATE INDEX "posts_uscc" ON "registry"."posts" USING btree ("uscc");--> statement-breakpoint
CREATE INDEX "enterprises_uscc_prefix" ON "registry"."enterprises" USING btree ("uscc" COLLATE "C");--> statement-breakpoint
CREATE INDEX "enterprises_name_c" ON "registry"."enterprises" USING btree ("name" COLLATE "C");--> statement-breakpoint
CREATE INDEX "enterprise_names_name_prefix" ON "registry"."enterprise_names" USING btree ("name" COLLATE "C");--> statement-breakpoint
CREATE INDEX "enterprise_names_pinyin_prefix" ON "registry"."enterprise_names" USING btree ("pinyin" COLLATE "C");--> statement-breakpoint
CREATE INDEX "enterprise_names_initials_prefix" ON "registry"."enterprise_names" USING btree ("initials" COLLATE "C");
