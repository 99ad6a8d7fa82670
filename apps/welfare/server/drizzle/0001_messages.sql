CREATE TABLE "welfare"."messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "welfare"."messages_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"sender" text NOT NULL,
	"recipient" text NOT NULL,
	"topic" text,
	"body" text NOT NULL,
	"sent_at" bigint NOT NULL,
	"read_at" bigint
);
--> statement-breakpoint
CREATE INDEX "messages_recipient" ON "welfare"."messages" USING btree ("recipient","sent_at");--> statement-breakpoint
CREATE INDEX "messages_sender" ON "welfare"."messages" USING btree ("sender","sent_at");