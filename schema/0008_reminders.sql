-- 0008_reminders.sql: reminders per vehicle, the user's notifications and
-- their settings (extensions.md 1.1).
--
-- A reminder is due by date, by km or both; an interval needs the due
-- field it advances. Closed reminders keep their row (done or dismissed).
-- Notifications are unique per (user, kind, ref, period), which makes the
-- time-based writers (ltcctl notify, the lazy read) idempotent.

CREATE TABLE reminders (
	id			TEXT PRIMARY KEY NOT NULL,
	vehicle_id		TEXT NOT NULL
				REFERENCES vehicles (public_id),
	owner_user_id		TEXT NOT NULL,
	title			TEXT NOT NULL,
	note			TEXT,
	due_date		TEXT,
	due_km			INTEGER
				CHECK (due_km IS NULL OR due_km BETWEEN 0 AND 9999999),
	recur_months		INTEGER
				CHECK (recur_months IS NULL OR
				    recur_months BETWEEN 1 AND 120),
	recur_km		INTEGER
				CHECK (recur_km IS NULL OR
				    recur_km BETWEEN 1 AND 1000000),
	status			TEXT NOT NULL
				CHECK (status IN ('open', 'done', 'dismissed')),
	done_entry_id		TEXT,
	created_at		TEXT NOT NULL,
	updated_at		TEXT NOT NULL,
	closed_at		TEXT,
	seq			INTEGER,
	CHECK (due_date IS NOT NULL OR due_km IS NOT NULL),
	CHECK (recur_months IS NULL OR due_date IS NOT NULL),
	CHECK (recur_km IS NULL OR due_km IS NOT NULL),
	CHECK ((status = 'open') = (closed_at IS NULL))
);
-- The vehicle's list (and the vehicle_id foreign key); the owner's open ones.
CREATE INDEX idx_reminders_vehicle ON reminders (vehicle_id, status);
CREATE INDEX idx_reminders_owner ON reminders (owner_user_id, status);
CREATE TRIGGER reminders_seq AFTER INSERT ON reminders
WHEN NEW.seq IS NULL BEGIN
	UPDATE reminders SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;

CREATE TABLE notifications (
	id			TEXT PRIMARY KEY NOT NULL,
	user_id			TEXT NOT NULL,
	kind			TEXT NOT NULL
				CHECK (kind IN ('reminder_due_soon',
				    'reminder_overdue', 'document_approved',
				    'document_rejected', 'transfer_redeemed',
				    'transfer_expiring', 'certificate_expiring')),
	vehicle_id		TEXT,
	ref_id			TEXT NOT NULL,
	period			TEXT NOT NULL,
	created_at		TEXT NOT NULL,
	read_at			TEXT,
	seq			INTEGER,
	UNIQUE (user_id, kind, ref_id, period)
);
-- The user's list, newest first, and the digest's unread ones.
CREATE INDEX idx_notifications_user_created
    ON notifications (user_id, created_at);
CREATE TRIGGER notifications_seq AFTER INSERT ON notifications
WHEN NEW.seq IS NULL BEGIN
	UPDATE notifications SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;

CREATE TABLE notification_settings (
	user_id			TEXT PRIMARY KEY NOT NULL,
	email_digest		INTEGER NOT NULL DEFAULT 1
				CHECK (email_digest IN (0, 1)),
	last_digest_at		TEXT,
	calendar_token_hmac	TEXT UNIQUE,
	updated_at		TEXT NOT NULL
);
