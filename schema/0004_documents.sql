-- 0004_documents.sql: the document lists (api.md 9.2, 9.3) are newest
-- first and break created_at ties by "later insert first", like the other
-- lists of 0003; the retention purge (domain.md 19) finds PII-confirmed
-- documents by pii_confirmed_at.

ALTER TABLE documents ADD COLUMN seq INTEGER;
UPDATE documents SET seq = rowid;
CREATE TRIGGER documents_seq AFTER INSERT ON documents
WHEN NEW.seq IS NULL BEGIN
	UPDATE documents SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;

CREATE INDEX idx_documents_pii_confirmed ON documents (pii_confirmed_at)
    WHERE pii_confirmed_at IS NOT NULL AND deleted_at IS NULL;
