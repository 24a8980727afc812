-- 0005_exports.sql: an explicit insert order for the servicebook and
-- masterclipboard tables, whose lists are ordered by created_at ascending
-- with ties broken by insertion order (an inspection and the case it
-- opens share one timestamp). Same scheme as 0003: store SQL orders by
-- seq, never by the SQLite-only rowid; here a trigger numbers each row.

ALTER TABLE servicebook_entries ADD COLUMN seq INTEGER;
UPDATE servicebook_entries SET seq = rowid;
CREATE TRIGGER servicebook_entries_seq AFTER INSERT ON servicebook_entries
WHEN NEW.seq IS NULL BEGIN
	UPDATE servicebook_entries SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;

ALTER TABLE mc_speech_chunks ADD COLUMN seq INTEGER;
UPDATE mc_speech_chunks SET seq = rowid;
CREATE TRIGGER mc_speech_chunks_seq AFTER INSERT ON mc_speech_chunks
WHEN NEW.seq IS NULL BEGIN
	UPDATE mc_speech_chunks SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;

ALTER TABLE mc_triage_items ADD COLUMN seq INTEGER;
UPDATE mc_triage_items SET seq = rowid;
CREATE TRIGGER mc_triage_items_seq AFTER INSERT ON mc_triage_items
WHEN NEW.seq IS NULL BEGIN
	UPDATE mc_triage_items SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;

ALTER TABLE mc_board_snapshots ADD COLUMN seq INTEGER;
UPDATE mc_board_snapshots SET seq = rowid;
CREATE TRIGGER mc_board_snapshots_seq AFTER INSERT ON mc_board_snapshots
WHEN NEW.seq IS NULL BEGIN
	UPDATE mc_board_snapshots SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;
