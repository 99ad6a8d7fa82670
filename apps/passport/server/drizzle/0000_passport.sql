CREATE SCHEMA "passport";
--> statement-breakpoint
CREATE TABLE "passport"."applications" (
	"id" text PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"id_cipher" text NOT NULL,
	"id_hash" text NOT NULL,
	"id_masked" text NOT NULL,
	"name_hash" text NOT NULL,
	"status" text NOT NULL,
	"duplicate_of" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"liveness_verifier" text NOT NULL,
	"liveness_score" real NOT NULL,
	"liveness_evidence" text NOT NULL,
	"reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"attested_height" bigint,
	"attested_tx" text,
	"demo" boolean DEFAULT false NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "passport"."attestations" (
	"subject" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"by" text NOT NULL,
	"id_hash" text NOT NULL,
	"height" bigint NOT NULL,
	"tx_id" text,
	"revoked" boolean DEFAULT false NOT NULL,
	"revoked_reason" text
);
--> statement-breakpoint
CREATE TABLE "passport"."clients" (
	"client_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"secret_cipher" text NOT NULL,
	"redirect_uris" jsonb NOT NULL,
	"post_logout_redirect_uris" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "passport"."liveness_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"verifier" text NOT NULL,
	"prompt" jsonb NOT NULL,
	"state" jsonb NOT NULL,
	"passed" boolean,
	"score" real,
	"evidence_hash" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "passport"."login_challenges" (
	"challenge" text PRIMARY KEY NOT NULL,
	"uid" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "passport"."oidc_models" (
	"model" text NOT NULL,
	"id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"grant_id" text,
	"user_code" text,
	"uid" text,
	"account_id" text,
	"expires_at" timestamp with time zone,
	"consumed_at" timestamp with time zone,
	CONSTRAINT "oidc_models_model_id_pk" PRIMARY KEY("model","id")
);
--> statement-breakpoint
CREATE TABLE "passport"."roles" (
	"subject" text NOT NULL,
	"app" text NOT NULL,
	"role" text NOT NULL,
	"granted_by" text NOT NULL,
	"height" bigint NOT NULL,
	CONSTRAINT "roles_subject_app_role_pk" PRIMARY KEY("subject","app","role")
);
--> statement-breakpoint
CREATE TABLE "passport"."signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"alg" text NOT NULL,
	"private_cipher" text NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "applications_one_pending" ON "passport"."applications" USING btree ("address") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "applications_address" ON "passport"."applications" USING btree ("address");--> statement-breakpoint
CREATE INDEX "applications_id_hash" ON "passport"."applications" USING btree ("id_hash");--> statement-breakpoint
CREATE INDEX "applications_status" ON "passport"."applications" USING btree ("status","submitted_at");--> statement-breakpoint
CREATE INDEX "login_challenges_expiry" ON "passport"."login_challenges" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "oidc_models_grant" ON "passport"."oidc_models" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "oidc_models_uid" ON "passport"."oidc_models" USING btree ("model","uid");--> statement-breakpoint
CREATE INDEX "oidc_models_user_code" ON "passport"."oidc_models" USING btree ("model","user_code");--> statement-breakpoint
CREATE INDEX "oidc_models_account" ON "passport"."oidc_models" USING btree ("model","account_id");--> statement-breakpoint
CREATE INDEX "oidc_models_expiry" ON "passport"."oidc_models" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "roles_app" ON "passport"."roles" USING btree ("app","role");