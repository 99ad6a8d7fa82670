CREATE TABLE "solar"."anchored_leaves" (
	"meter" text NOT NULL,
	"start" bigint NOT NULL,
	"revision" integer NOT NULL,
	"root" text NOT NULL,
	"leaves" jsonb NOT NULL,
	CONSTRAINT "anchored_leaves_meter_start_revision_pk" PRIMARY KEY("meter","start","revision")
);
--> statement-breakpoint
ALTER TABLE "solar"."meter_intervals" ADD COLUMN "leaves" jsonb DEFAULT '[]'::jsonb NOT NULL;