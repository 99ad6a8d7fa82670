DROP INDEX "chain"."events_tx";--> statement-breakpoint
ALTER TABLE "chain"."events" ALTER COLUMN "attrs" SET DATA TYPE text;