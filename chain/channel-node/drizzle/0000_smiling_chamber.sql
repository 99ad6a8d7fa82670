CREATE SCHEMA "channel_node";
--> statement-breakpoint
CREATE TABLE "channel_node"."cursor" (
	"node" text PRIMARY KEY NOT NULL,
	"height" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "channel_node"."log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"node" text NOT NULL,
	"records" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE INDEX "log_node_id" ON "channel_node"."log" USING btree ("node","id");