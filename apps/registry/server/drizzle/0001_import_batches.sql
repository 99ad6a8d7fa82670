ALTER TABLE "registry"."enterprises" ADD COLUMN "import_batch" text;--> statement-breakpoint
ALTER TABLE "registry"."enterprises" ADD COLUMN "import_index" integer;