CREATE SCHEMA "appkit";
--> statement-breakpoint
CREATE TABLE "appkit"."indexer_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"height" bigint NOT NULL,
	"block_hash" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appkit"."login_states" (
	"state_hash" text PRIMARY KEY NOT NULL,
	"app" text NOT NULL,
	"browser_hash" text NOT NULL,
	"nonce" text NOT NULL,
	"code_verifier" text NOT NULL,
	"return_to" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appkit"."sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"app" text NOT NULL,
	"sub" text NOT NULL,
	"did" text NOT NULL,
	"roles" jsonb NOT NULL,
	"name" text,
	"id_token" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"max_expires_at" timestamp with time zone NOT NULL,
	"window_seconds" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "login_states_expires_at" ON "appkit"."login_states" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "sessions_app_expires_at" ON "appkit"."sessions" USING btree ("app","expires_at");