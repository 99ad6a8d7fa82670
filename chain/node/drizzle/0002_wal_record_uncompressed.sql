-- A consensus log record holding a locked block (hundreds of KB of signed txs) lives for one height and is
-- deleted when the block commits: stored out of line without compression, so the server spends no CPU
-- compressing what it drops a moment later.
ALTER TABLE "chain"."wal" ALTER COLUMN "record" SET STORAGE EXTERNAL;
