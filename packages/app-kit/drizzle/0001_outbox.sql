CREATE TABLE "appkit"."outbox_batches" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "appkit"."outbox_batches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"outbox" text NOT NULL,
	"signer" text NOT NULL,
	"nonce" bigint NOT NULL,
	"tx_id" text NOT NULL,
	"tx_bytes" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appkit"."outbox_records" (
	"outbox" text NOT NULL,
	"id" text NOT NULL,
	"signer" text NOT NULL,
	"action" jsonb NOT NULL,
	"state" text NOT NULL,
	"alone" boolean DEFAULT false NOT NULL,
	"batch_id" bigint,
	"tx_id" text,
	"height" bigint,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_records_outbox_id_pk" PRIMARY KEY("outbox","id")
);
--> statement-breakpoint
CREATE INDEX "outbox_batches_signer" ON "appkit"."outbox_batches" USING btree ("outbox","signer","nonce");--> statement-breakpoint
CREATE INDEX "outbox_records_state" ON "appkit"."outbox_records" USING btree ("outbox","state","signer");