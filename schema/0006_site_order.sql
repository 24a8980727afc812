-- 0006_site_order.sql: insert order for the CMS articles and the support
-- inbox, whose lists break exact timestamp ties by "later insert first"
-- (README "Timestamps"), the same way 0003 does for the other tables.

ALTER TABLE cms_articles ADD COLUMN seq INTEGER;
UPDATE cms_articles SET seq = rowid;
CREATE TRIGGER cms_articles_seq AFTER INSERT ON cms_articles
WHEN NEW.seq IS NULL BEGIN
	UPDATE cms_articles SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;

ALTER TABLE support_messages ADD COLUMN seq INTEGER;
UPDATE support_messages SET seq = rowid;
CREATE TRIGGER support_messages_seq AFTER INSERT ON support_messages
WHEN NEW.seq IS NULL BEGIN
	UPDATE support_messages SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;
