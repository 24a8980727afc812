-- 0003_insert_order.sql: an explicit insert order for the tables whose
-- lists break ties on created_at by "later insert first".
--
-- Store SQL orders by these columns instead of the SQLite-only rowid, so
-- the same statements run on PostgreSQL (where the column is an identity).
-- Here a trigger numbers each new row; existing rows keep their order.

ALTER TABLE auth_users ADD COLUMN seq INTEGER;
UPDATE auth_users SET seq = rowid;
CREATE TRIGGER auth_users_seq AFTER INSERT ON auth_users
WHEN NEW.seq IS NULL BEGIN
	UPDATE auth_users SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;

ALTER TABLE vehicle_entries ADD COLUMN seq INTEGER;
UPDATE vehicle_entries SET seq = rowid;
CREATE TRIGGER vehicle_entries_seq AFTER INSERT ON vehicle_entries
WHEN NEW.seq IS NULL BEGIN
	UPDATE vehicle_entries SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;

ALTER TABLE vip_businesses ADD COLUMN seq INTEGER;
UPDATE vip_businesses SET seq = rowid;
CREATE TRIGGER vip_businesses_seq AFTER INSERT ON vip_businesses
WHEN NEW.seq IS NULL BEGIN
	UPDATE vip_businesses SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;

ALTER TABLE vip_business_staff ADD COLUMN seq INTEGER;
UPDATE vip_business_staff SET seq = rowid;
CREATE TRIGGER vip_business_staff_seq AFTER INSERT ON vip_business_staff
WHEN NEW.seq IS NULL BEGIN
	UPDATE vip_business_staff SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;
