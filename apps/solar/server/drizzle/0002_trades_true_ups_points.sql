CREATE TABLE "solar"."point_credits" (
	"height" integer NOT NULL,
	"event_index" integer NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL,
	"plant" text NOT NULL,
	"owner" text NOT NULL,
	"symbol" text NOT NULL,
	"points" bigint NOT NULL,
	"earned" bigint NOT NULL,
	"carry_wh" bigint NOT NULL,
	CONSTRAINT "point_credits_height_event_index_pk" PRIMARY KEY("height","event_index")
);
--> statement-breakpoint
CREATE TABLE "solar"."trades" (
	"height" integer NOT NULL,
	"event_index" integer NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL,
	"slot" bigint NOT NULL,
	"sell_order" text NOT NULL,
	"buy_order" text NOT NULL,
	"seller" text NOT NULL,
	"buyer" text NOT NULL,
	"wh" bigint NOT NULL,
	"price" bigint NOT NULL,
	"energy_fen" bigint NOT NULL,
	"fee_fen" bigint NOT NULL,
	CONSTRAINT "trades_height_event_index_pk" PRIMARY KEY("height","event_index")
);
--> statement-breakpoint
CREATE TABLE "solar"."true_ups" (
	"height" integer NOT NULL,
	"event_index" integer NOT NULL,
	"tx_id" text NOT NULL,
	"time" bigint NOT NULL,
	"slot" bigint NOT NULL,
	"plant" text NOT NULL,
	"delivered_wh" bigint NOT NULL,
	"to_seller_fen" bigint NOT NULL,
	"to_grid_fen" bigint NOT NULL,
	CONSTRAINT "true_ups_height_event_index_pk" PRIMARY KEY("height","event_index")
);
--> statement-breakpoint
ALTER TABLE "solar"."orders" ADD COLUMN "filled_height" integer;--> statement-breakpoint
ALTER TABLE "solar"."orders" ADD COLUMN "filled_tx_id" text;--> statement-breakpoint
ALTER TABLE "solar"."settlements" ADD COLUMN "time" bigint;