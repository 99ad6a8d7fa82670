CREATE INDEX "evidence_manifest_files" ON "copyright"."evidence" USING gin (("manifest" -> 'files') jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "evidence_work" ON "copyright"."evidence" USING btree ("work_id");--> statement-breakpoint
CREATE INDEX "works_files" ON "copyright"."works" USING gin ("files" jsonb_path_ops);