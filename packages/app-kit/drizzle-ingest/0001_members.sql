CREATE TABLE "appkit_ingest"."feeds" (
	"stream" text PRIMARY KEY NOT NULL,
	"tag" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appkit_ingest"."members" (
	"stream" text NOT NULL,
	"member" integer NOT NULL,
	"since" bigint NOT NULL,
	CONSTRAINT "members_stream_member_pk" PRIMARY KEY("stream","member")
);
