CREATE TABLE "welfare"."grievance_texts" (
	"hash" text PRIMARY KEY NOT NULL,
	"body" text NOT NULL,
	"author" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "welfare"."grievances" (
	"id" text PRIMARY KEY NOT NULL,
	"household" text NOT NULL,
	"area" text NOT NULL,
	"category" text NOT NULL,
	"text_hash" text NOT NULL,
	"attachment" text,
	"decision" text,
	"filed_by" text NOT NULL,
	"deadline" bigint NOT NULL,
	"answer_hash" text,
	"upheld" boolean,
	"late" boolean,
	"answered_by" text,
	"answered_at" bigint,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "grievances_area" ON "welfare"."grievances" USING btree ("area");--> statement-breakpoint
CREATE INDEX "grievances_filed_by" ON "welfare"."grievances" USING btree ("filed_by");