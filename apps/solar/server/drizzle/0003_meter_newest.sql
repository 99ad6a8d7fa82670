CREATE TABLE "solar"."meter_newest" (
	"meter" text PRIMARY KEY NOT NULL,
	"ts" bigint NOT NULL
);
