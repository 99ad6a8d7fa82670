CREATE TABLE "parking"."bound_plates" (
	"subject" text NOT NULL,
	"plate" text NOT NULL,
	"plate_hash" text NOT NULL,
	"bound_at" bigint NOT NULL,
	CONSTRAINT "bound_plates_subject_plate_pk" PRIMARY KEY("subject","plate")
);
