CREATE SCHEMA "copyright";
--> statement-breakpoint
CREATE TABLE "copyright"."evidence" (
	"root" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"captured_at" text NOT NULL,
	"work_id" text,
	"requested_by" text,
	"manifest" jsonb NOT NULL,
	"receipt" jsonb,
	"files" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "copyright"."files" (
	"sha256" text PRIMARY KEY NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"name" text,
	"bytes" "bytea" NOT NULL,
	"codes" jsonb NOT NULL,
	"tool" text NOT NULL,
	"uploaded_by" text,
	"uploaded_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "copyright"."licences" (
	"id" text PRIMARY KEY NOT NULL,
	"work_id" text NOT NULL,
	"licensee" text NOT NULL,
	"licensors" jsonb NOT NULL,
	"grant" jsonb NOT NULL,
	"exclusivity" text NOT NULL,
	"prohibitions" jsonb NOT NULL,
	"duties" jsonb NOT NULL,
	"cc" text,
	"listing_id" text,
	"status" text NOT NULL,
	"height" bigint NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "copyright"."listings" (
	"id" text PRIMARY KEY NOT NULL,
	"work_id" text NOT NULL,
	"kind" text NOT NULL,
	"grant" jsonb NOT NULL,
	"exclusivity" text NOT NULL,
	"symbol" text NOT NULL,
	"price" bigint NOT NULL,
	"quantity" integer NOT NULL,
	"sold" integer NOT NULL,
	"sellers" jsonb NOT NULL,
	"status" text NOT NULL,
	"height" bigint NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "copyright"."pledges" (
	"id" text PRIMARY KEY NOT NULL,
	"work_id" text NOT NULL,
	"grant" jsonb NOT NULL,
	"pledgee" text NOT NULL,
	"pledgors" jsonb NOT NULL,
	"symbol" text NOT NULL,
	"amount" bigint NOT NULL,
	"due_at" bigint NOT NULL,
	"rank" integer NOT NULL,
	"status" text NOT NULL,
	"height" bigint NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "copyright"."purchases" (
	"height" bigint NOT NULL,
	"event_index" integer NOT NULL,
	"listing_id" text NOT NULL,
	"work_id" text NOT NULL,
	"buyer" text NOT NULL,
	"symbol" text NOT NULL,
	"price" bigint NOT NULL,
	"licence_id" text,
	"filing" text,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL,
	CONSTRAINT "purchases_height_event_index_pk" PRIMARY KEY("height","event_index")
);
--> statement-breakpoint
CREATE TABLE "copyright"."royalties" (
	"height" bigint NOT NULL,
	"event_index" integer NOT NULL,
	"position" integer NOT NULL,
	"listing_id" text NOT NULL,
	"to" text NOT NULL,
	"symbol" text NOT NULL,
	"amount" bigint NOT NULL,
	"share" integer NOT NULL,
	"time" bigint NOT NULL,
	CONSTRAINT "royalties_height_event_index_position_pk" PRIMARY KEY("height","event_index","position")
);
--> statement-breakpoint
CREATE TABLE "copyright"."transfers" (
	"filing" text PRIMARY KEY NOT NULL,
	"work_id" text NOT NULL,
	"grant" jsonb NOT NULL,
	"from" jsonb NOT NULL,
	"to" jsonb NOT NULL,
	"reason" text NOT NULL,
	"height" bigint NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "copyright"."work_codes" (
	"work_id" text NOT NULL,
	"iscc" text NOT NULL,
	"kind" text NOT NULL,
	"code64" text NOT NULL,
	"height" bigint NOT NULL,
	CONSTRAINT "work_codes_work_id_iscc_pk" PRIMARY KEY("work_id","iscc")
);
--> statement-breakpoint
CREATE TABLE "copyright"."work_parties" (
	"work_id" text NOT NULL,
	"address" text NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "work_parties_work_id_address_role_pk" PRIMARY KEY("work_id","address","role")
);
--> statement-breakpoint
CREATE TABLE "copyright"."works" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"category" text NOT NULL,
	"applicant" text NOT NULL,
	"authors" jsonb NOT NULL,
	"owners" jsonb NOT NULL,
	"files" jsonb NOT NULL,
	"codes" jsonb NOT NULL,
	"status" text NOT NULL,
	"reg_no" text,
	"review_reason" text,
	"reviewed_by" text,
	"reviewed_at" bigint,
	"protection_until" bigint,
	"height" bigint NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "licences_work" ON "copyright"."licences" USING btree ("work_id");--> statement-breakpoint
CREATE INDEX "licences_licensee" ON "copyright"."licences" USING btree ("licensee");--> statement-breakpoint
CREATE INDEX "listings_status" ON "copyright"."listings" USING btree ("status","height");--> statement-breakpoint
CREATE INDEX "listings_work" ON "copyright"."listings" USING btree ("work_id");--> statement-breakpoint
CREATE INDEX "pledges_work" ON "copyright"."pledges" USING btree ("work_id");--> statement-breakpoint
CREATE INDEX "purchases_buyer" ON "copyright"."purchases" USING btree ("buyer");--> statement-breakpoint
CREATE INDEX "royalties_to" ON "copyright"."royalties" USING btree ("to");--> statement-breakpoint
CREATE INDEX "transfers_work" ON "copyright"."transfers" USING btree ("work_id");--> statement-breakpoint
CREATE INDEX "work_codes_height" ON "copyright"."work_codes" USING btree ("height");--> statement-breakpoint
CREATE INDEX "work_parties_address" ON "copyright"."work_parties" USING btree ("address");--> statement-breakpoint
CREATE INDEX "works_status" ON "copyright"."works" USING btree ("status","height");--> statement-breakpoint
CREATE INDEX "works_reg_no" ON "copyright"."works" USING btree ("reg_no");