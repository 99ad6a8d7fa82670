ALTER TABLE "welfare"."alerts" ADD COLUMN "resolved_by" text;--> statement-breakpoint
ALTER TABLE "welfare"."alerts" ADD COLUMN "resolved_height" integer;--> statement-breakpoint
ALTER TABLE "welfare"."alerts" ADD COLUMN "resolved_tx" text;--> statement-breakpoint
ALTER TABLE "welfare"."alerts" ADD COLUMN "resolved_at" bigint;