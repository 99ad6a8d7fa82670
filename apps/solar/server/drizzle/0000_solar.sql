CREATE SCHEMA "solar";
--> statement-breakpoint
CREATE TABLE "solar"."aggregation_cursor" (
	"id" text PRIMARY KEY NOT NULL,
	"received_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "solar"."anchors" (
	"meter" text NOT NULL,
	"start" bigint NOT NULL,
	"revision" integer NOT NULL,
	"plant" text NOT NULL,
	"root" text NOT NULL,
	"readings" integer NOT NULL,
	"export_wh" bigint NOT NULL,
	"import_wh" bigint NOT NULL,
	"reset" boolean NOT NULL,
	"estimated" boolean NOT NULL,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL,
	CONSTRAINT "anchors_meter_start_revision_pk" PRIMARY KEY("meter","start","revision")
);
--> statement-breakpoint
CREATE TABLE "solar"."lots" (
	"id" text PRIMARY KEY NOT NULL,
	"plant" text NOT NULL,
	"month" text NOT NULL,
	"owner" text NOT NULL,
	"count" integer NOT NULL,
	"status" text NOT NULL,
	"expires" bigint NOT NULL,
	"beneficiary" text,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "solar"."meter_intervals" (
	"meter" text NOT NULL,
	"start" bigint NOT NULL,
	"export_wh" bigint NOT NULL,
	"import_wh" bigint NOT NULL,
	"readings" integer NOT NULL,
	"root" text NOT NULL,
	"reset" boolean NOT NULL,
	"estimated" boolean NOT NULL,
	"anchored_revision" integer,
	"dirty" boolean NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "meter_intervals_meter_start_pk" PRIMARY KEY("meter","start")
);
--> statement-breakpoint
CREATE TABLE "solar"."meters" (
	"id" text PRIMARY KEY NOT NULL,
	"plant" text NOT NULL,
	"owner" text NOT NULL,
	"key" text NOT NULL,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "solar"."orders" (
	"id" text PRIMARY KEY NOT NULL,
	"slot" bigint NOT NULL,
	"side" text NOT NULL,
	"account" text NOT NULL,
	"plant" text,
	"wh" bigint NOT NULL,
	"price" bigint NOT NULL,
	"green" boolean NOT NULL,
	"status" text NOT NULL,
	"filled_wh" bigint NOT NULL,
	"energy_fen" bigint NOT NULL,
	"fee_fen" bigint NOT NULL,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "solar"."plants" (
	"id" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"name" text NOT NULL,
	"capacity_w" bigint NOT NULL,
	"lat_e6" integer NOT NULL,
	"lon_e6" integer NOT NULL,
	"commissioned" bigint NOT NULL,
	"certified" boolean NOT NULL,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "solar"."settlements" (
	"slot" bigint NOT NULL,
	"plant" text NOT NULL,
	"sold_wh" bigint NOT NULL,
	"delivered_wh" bigint NOT NULL,
	"imbalance_fen" bigint NOT NULL,
	"feed_in_fen" bigint NOT NULL,
	"estimated" boolean NOT NULL,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL,
	CONSTRAINT "settlements_slot_plant_pk" PRIMARY KEY("slot","plant")
);
--> statement-breakpoint
CREATE TABLE "solar"."slots" (
	"slot" bigint PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"price" bigint,
	"volume" bigint NOT NULL,
	"energy_fen" bigint NOT NULL,
	"fee_fen" bigint NOT NULL,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "solar"."subsidies" (
	"id" text PRIMARY KEY NOT NULL,
	"plant" text NOT NULL,
	"month" text NOT NULL,
	"wh" bigint NOT NULL,
	"face_fen" bigint NOT NULL,
	"holder" text NOT NULL,
	"status" text NOT NULL,
	"ask_fen" bigint,
	"height" integer NOT NULL,
	"tx_id" text NOT NULL
);
