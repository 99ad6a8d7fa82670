CREATE TABLE "channel_node"."payment" (
	"node" text NOT NULL,
	"seq" bigint NOT NULL,
	"id" text NOT NULL,
	"direction" text NOT NULL,
	"asset" text NOT NULL,
	"amount" text NOT NULL,
	"outcome" text NOT NULL,
	"hops" integer,
	"reason" text,
	"at" bigint NOT NULL,
	CONSTRAINT "payment_node_seq_pk" PRIMARY KEY("node","seq")
);
