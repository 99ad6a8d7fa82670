CREATE TABLE "channel_node"."checkpoint" (
	"node" text PRIMARY KEY NOT NULL,
	"up_to" bigint NOT NULL,
	"records" "bytea" NOT NULL,
	"count" integer NOT NULL,
	"at" bigint NOT NULL
);
