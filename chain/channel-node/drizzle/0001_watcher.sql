CREATE TABLE "channel_node"."watch_preimage" (
	"watcher" text NOT NULL,
	"hashlock" text NOT NULL,
	"item" "bytea" NOT NULL,
	CONSTRAINT "watch_preimage_watcher_hashlock_pk" PRIMARY KEY("watcher","hashlock")
);
--> statement-breakpoint
CREATE TABLE "channel_node"."watch_proof" (
	"watcher" text NOT NULL,
	"client" text NOT NULL,
	"channel" text NOT NULL,
	"asset" text NOT NULL,
	"nonce" bigint NOT NULL,
	"item" "bytea" NOT NULL,
	CONSTRAINT "watch_proof_watcher_client_channel_asset_pk" PRIMARY KEY("watcher","client","channel","asset")
);
