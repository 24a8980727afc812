-- 0001_init.sql: initial schema of LifeTimeCircle Service Heft (domain.md §0).
--
-- Conventions: timestamps are TEXT in UTC, storage format
-- YYYY-MM-DDTHH:MM:SS.ffffffZ (lexically sortable); booleans are INTEGER 0/1;
-- ids are generated server-side. Only the foreign keys named by the spec are
-- declared (every connection enables foreign key enforcement).
--
-- The migration runner wraps this file in its own transaction and records
-- the schema version itself, so this file holds only DDL statements.

-- ---------------------------------------------------------------------------
-- §0.1 Accounts and authentication
-- ---------------------------------------------------------------------------

CREATE TABLE auth_users (
	user_id			TEXT PRIMARY KEY NOT NULL,
	email_hmac		TEXT NOT NULL UNIQUE,
	email_enc		TEXT,
	email_key_id		TEXT,
	role			TEXT NOT NULL DEFAULT 'user'
				CHECK (role IN ('public', 'user', 'vip', 'dealer',
				    'moderator', 'admin', 'superadmin')),
	status			TEXT NOT NULL DEFAULT 'active'
				CHECK (status IN ('active', 'disabled')),
	password_hash		TEXT,
	password_changed_at	TEXT,
	email_verified_at	TEXT,
	created_at		TEXT NOT NULL,
	updated_at		TEXT NOT NULL,
	disabled_at		TEXT
);
-- "at least one active superadmin" checks; admin user list (newest first).
CREATE INDEX idx_auth_users_role_status ON auth_users (role, status);
CREATE INDEX idx_auth_users_created ON auth_users (created_at);

CREATE TABLE auth_challenges (
	challenge_id		TEXT PRIMARY KEY NOT NULL,
	email_hmac		TEXT NOT NULL,
	purpose			TEXT NOT NULL
				CHECK (purpose IN ('login', 'register')),
	otp_hash		TEXT NOT NULL,
	pending_password_hash	TEXT,
	created_at		TEXT NOT NULL,
	expires_at		TEXT NOT NULL,
	used_at			TEXT,
	attempts		INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	last_attempt_at		TEXT
);
CREATE INDEX idx_auth_challenges_email ON auth_challenges (email_hmac);
CREATE INDEX idx_auth_challenges_created ON auth_challenges (created_at);

CREATE TABLE auth_sessions (
	session_id		TEXT PRIMARY KEY NOT NULL,
	user_id			TEXT NOT NULL
				REFERENCES auth_users (user_id) ON DELETE CASCADE,
	token_hash		TEXT NOT NULL UNIQUE,
	auth_method		TEXT NOT NULL
				CHECK (auth_method IN ('otp', 'password')),
	created_at		TEXT NOT NULL,
	expires_at		TEXT NOT NULL,
	last_seen_at		TEXT NOT NULL,
	revoked_at		TEXT,
	revoke_reason		TEXT
				CHECK (revoke_reason IS NULL OR revoke_reason IN
				    ('logout', 'rotation', 'password_change',
				    'password_reset', 'disabled', 'admin'))
);
CREATE INDEX idx_auth_sessions_user ON auth_sessions (user_id);
CREATE INDEX idx_auth_sessions_expires ON auth_sessions (expires_at);

CREATE TABLE rate_limits (
	key			TEXT PRIMARY KEY NOT NULL,
	window_start		TEXT NOT NULL,
	count			INTEGER NOT NULL CHECK (count >= 0)
);
CREATE INDEX idx_rate_limits_window ON rate_limits (window_start);

CREATE TABLE step_up_grants (
	grant_id		TEXT PRIMARY KEY NOT NULL,
	actor_user_id		TEXT NOT NULL,
	scope			TEXT NOT NULL
				CHECK (scope IN ('role_grant', 'moderator_accredit',
				    'vip_business_approve', 'vip_business_staff')),
	token_hash		TEXT NOT NULL UNIQUE,
	created_at		TEXT NOT NULL,
	expires_at		TEXT NOT NULL,
	used_at			TEXT
);
CREATE INDEX idx_step_up_grants_actor_scope
    ON step_up_grants (actor_user_id, scope);
CREATE INDEX idx_step_up_grants_expires ON step_up_grants (expires_at);

-- ---------------------------------------------------------------------------
-- §0.2 Consent and audit
-- ---------------------------------------------------------------------------

-- user_id is deliberately not a foreign key: dev actors may consent too.
CREATE TABLE consent_acceptances (
	id			INTEGER PRIMARY KEY,
	user_id			TEXT NOT NULL,
	doc_type		TEXT NOT NULL
				CHECK (doc_type IN ('terms', 'privacy')),
	doc_version		TEXT NOT NULL,
	accepted_at		TEXT NOT NULL,
	source			TEXT NOT NULL CHECK (source IN ('ui', 'api')),
	created_at		TEXT NOT NULL,
	ip_hmac			TEXT,
	UNIQUE (user_id, doc_type, doc_version)
);
CREATE INDEX idx_consent_user_doc ON consent_acceptances (user_id, doc_type);

-- Append-only: the application never UPDATEs rows; the only DELETE is the
-- retention purge.
CREATE TABLE audit_events (
	event_id		TEXT PRIMARY KEY NOT NULL,
	created_at		TEXT NOT NULL,
	actor_type		TEXT NOT NULL
				CHECK (actor_type IN ('user', 'dev', 'public',
				    'system')),
	actor_id		TEXT NOT NULL,
	actor_role		TEXT NOT NULL,
	action			TEXT NOT NULL,
	target_type		TEXT NOT NULL,
	target_id		TEXT,
	scope			TEXT NOT NULL
				CHECK (scope IN ('own', 'org', 'shared', 'public',
				    'global')),
	result			TEXT NOT NULL
				CHECK (result IN ('success', 'denied', 'error')),
	reason_code		TEXT,
	request_id		TEXT NOT NULL,
	correlation_id		TEXT,
	idempotency_key		TEXT,
	metadata_json		TEXT,
	CHECK (result <> 'denied' OR reason_code IS NOT NULL)
);
CREATE INDEX idx_audit_events_created ON audit_events (created_at);
CREATE INDEX idx_audit_events_target ON audit_events (target_type, target_id);
CREATE INDEX idx_audit_events_action ON audit_events (action);

-- ---------------------------------------------------------------------------
-- §0.3 Vehicles, entries, documents
-- ---------------------------------------------------------------------------

CREATE TABLE vehicles (
	id			INTEGER PRIMARY KEY,
	public_id		TEXT NOT NULL UNIQUE,
	owner_user_id		TEXT NOT NULL,
	vin_prefix3		TEXT NOT NULL CHECK (length(vin_prefix3) = 3),
	vin_last4		TEXT NOT NULL CHECK (length(vin_last4) = 4),
	vin_hmac		TEXT NOT NULL,
	meta_json		TEXT,
	created_at		TEXT NOT NULL,
	updated_at		TEXT NOT NULL,
	deleted_at		TEXT,
	deleted_by_user_id	TEXT,
	delete_reason		TEXT
				CHECK (delete_reason IS NULL OR delete_reason IN
				    ('sold', 'scrapped', 'stolen', 'duplicate',
				    'other')),
	delete_comment		TEXT
);
-- Owner's list (created_at ascending) and paywall count.
CREATE INDEX idx_vehicles_owner_created ON vehicles (owner_user_id, created_at);
CREATE INDEX idx_vehicles_vin_hmac ON vehicles (vin_hmac);
-- Admin list of all vehicles (created_at ascending).
CREATE INDEX idx_vehicles_created ON vehicles (created_at);

-- Rows are never updated except to flip is_latest to 0 when a revision
-- supersedes them (flip first, then insert the new latest revision).
CREATE TABLE vehicle_entries (
	id			TEXT PRIMARY KEY NOT NULL,
	vehicle_id		TEXT NOT NULL
				REFERENCES vehicles (public_id),
	owner_user_id		TEXT NOT NULL,
	created_by_user_id	TEXT NOT NULL,
	entry_group_id		TEXT NOT NULL,
	supersedes_entry_id	TEXT,
	version			INTEGER NOT NULL CHECK (version >= 1),
	is_latest		INTEGER NOT NULL CHECK (is_latest IN (0, 1)),
	entry_date		TEXT NOT NULL,
	entry_type		TEXT NOT NULL,
	performed_by		TEXT NOT NULL,
	km			INTEGER NOT NULL CHECK (km >= 0),
	note			TEXT,
	cost_cents		INTEGER CHECK (cost_cents IS NULL OR cost_cents >= 0),
	trust_level		TEXT
				CHECK (trust_level IS NULL OR trust_level IN
				    ('T1', 'T2', 'T3')),
	created_at		TEXT NOT NULL,
	updated_at		TEXT NOT NULL,
	UNIQUE (entry_group_id, version)
);
-- Exactly one latest revision per group.
CREATE UNIQUE INDEX uq_vehicle_entries_group_latest
    ON vehicle_entries (entry_group_id) WHERE is_latest = 1;
-- Entry list: latest revisions of a vehicle ordered by entry_date DESC,
-- created_at DESC (rowid DESC for exact ties), served by a backward scan.
-- Also the index for the vehicle_id foreign key.
CREATE INDEX idx_vehicle_entries_list
    ON vehicle_entries (vehicle_id, is_latest, entry_date, created_at);

CREATE TABLE documents (
	id			TEXT PRIMARY KEY NOT NULL,
	owner_user_id		TEXT NOT NULL,
	created_by_user_id	TEXT NOT NULL,
	vehicle_id		TEXT,
	entry_id		TEXT,
	filename		TEXT NOT NULL,
	content_type		TEXT NOT NULL
				CHECK (content_type IN ('application/pdf',
				    'image/png', 'image/jpeg')),
	size_bytes		INTEGER NOT NULL CHECK (size_bytes >= 0),
	checksum_sha256		TEXT,
	storage_key		TEXT NOT NULL,
	approval_status		TEXT NOT NULL
				CHECK (approval_status IN ('QUARANTINED',
				    'APPROVED', 'REJECTED')),
	scan_status		TEXT NOT NULL
				CHECK (scan_status IN ('PENDING', 'CLEAN',
				    'INFECTED', 'ERROR')),
	pii_status		TEXT NOT NULL
				CHECK (pii_status IN ('OK', 'SUSPECTED',
				    'CONFIRMED')),
	scanned_at		TEXT,
	approved_by_user_id	TEXT,
	approved_at		TEXT,
	rejected_by_user_id	TEXT,
	rejected_at		TEXT,
	reject_reason		TEXT,
	pii_marked_by_user_id	TEXT,
	pii_marked_at		TEXT,
	pii_note		TEXT,
	pii_confirmed_at	TEXT,
	created_at		TEXT NOT NULL,
	deleted_at		TEXT,
	deleted_by_user_id	TEXT,
	delete_reason		TEXT
				CHECK (delete_reason IS NULL OR delete_reason IN
				    ('owner', 'admin', 'pii_auto_delete',
				    'rejected_retention'))
);
CREATE INDEX idx_documents_owner_created ON documents (owner_user_id, created_at);
CREATE INDEX idx_documents_vehicle_status
    ON documents (vehicle_id, approval_status, scan_status, pii_status);
CREATE INDEX idx_documents_entry ON documents (entry_id);
-- Admin quarantine list (newest first) and the rejected-retention purge.
CREATE INDEX idx_documents_approval_created
    ON documents (approval_status, created_at);

-- ---------------------------------------------------------------------------
-- §0.4 Add-ons and trust folders
-- ---------------------------------------------------------------------------

CREATE TABLE addon_configs (
	addon_key		TEXT PRIMARY KEY NOT NULL,
	allow_new		INTEGER NOT NULL DEFAULT 0
				CHECK (allow_new IN (0, 1)),
	requires_payment	INTEGER NOT NULL DEFAULT 1
				CHECK (requires_payment IN (0, 1)),
	admin_only		INTEGER NOT NULL DEFAULT 0
				CHECK (admin_only IN (0, 1)),
	created_at		TEXT NOT NULL,
	updated_at		TEXT NOT NULL
);

CREATE TABLE account_entitlements (
	user_id			TEXT NOT NULL,
	addon_key		TEXT NOT NULL,
	enabled			INTEGER NOT NULL DEFAULT 1
				CHECK (enabled IN (0, 1)),
	quantity		INTEGER NOT NULL DEFAULT 1 CHECK (quantity >= 1),
	created_at		TEXT NOT NULL,
	updated_at		TEXT NOT NULL,
	PRIMARY KEY (user_id, addon_key)
);

CREATE TABLE vehicle_addon_states (
	vehicle_id		TEXT NOT NULL,
	addon_key		TEXT NOT NULL,
	active			INTEGER NOT NULL DEFAULT 0
				CHECK (active IN (0, 1)),
	addon_first_enabled_at	TEXT,
	created_at		TEXT NOT NULL,
	updated_at		TEXT NOT NULL,
	PRIMARY KEY (vehicle_id, addon_key)
);

CREATE TABLE trust_folders (
	id			INTEGER PRIMARY KEY AUTOINCREMENT,
	vehicle_id		TEXT NOT NULL,
	owner_user_id		TEXT NOT NULL,
	addon_key		TEXT NOT NULL DEFAULT 'restauration',
	title			TEXT NOT NULL,
	created_at		TEXT NOT NULL,
	updated_at		TEXT NOT NULL,
	UNIQUE (vehicle_id, owner_user_id, title)
);
-- Folder list and legacy backfill check per (vehicle, addon_key).
CREATE INDEX idx_trust_folders_vehicle_addon
    ON trust_folders (vehicle_id, addon_key);
CREATE INDEX idx_trust_folders_owner ON trust_folders (owner_user_id);

-- ---------------------------------------------------------------------------
-- §0.5 Exports, transfers, servicebook, businesses
-- ---------------------------------------------------------------------------

CREATE TABLE export_grants (
	id			INTEGER PRIMARY KEY,
	kind			TEXT NOT NULL
				CHECK (kind IN ('vehicle', 'user', 'servicebook',
				    'masterclipboard')),
	target_id		TEXT NOT NULL,
	token_hash		TEXT NOT NULL UNIQUE,
	created_by_user_id	TEXT NOT NULL,
	created_at		TEXT NOT NULL,
	expires_at		TEXT NOT NULL,
	used_at			TEXT
);
CREATE INDEX idx_export_grants_expires ON export_grants (expires_at);

CREATE TABLE transfers (
	transfer_id		TEXT PRIMARY KEY NOT NULL,
	kind			TEXT NOT NULL CHECK (kind IN ('sale', 'owner')),
	vehicle_id		TEXT NOT NULL,
	token_hmac		TEXT NOT NULL UNIQUE,
	status			TEXT NOT NULL
				CHECK (status IN ('created', 'redeemed',
				    'cancelled', 'expired')),
	initiator_user_id	TEXT NOT NULL,
	initiator_role		TEXT NOT NULL,
	created_at		TEXT NOT NULL,
	expires_at		TEXT NOT NULL,
	extended_at		TEXT,
	redeemed_by_user_id	TEXT,
	redeemed_by_role	TEXT,
	redeemed_at		TEXT,
	cancelled_at		TEXT,
	expired_at		TEXT,
	ownership_transferred	INTEGER NOT NULL DEFAULT 0
				CHECK (ownership_transferred IN (0, 1))
);
CREATE INDEX idx_transfers_vehicle ON transfers (vehicle_id);
CREATE INDEX idx_transfers_status ON transfers (status);
-- At most one open transfer per vehicle.
CREATE UNIQUE INDEX uq_transfers_vehicle_open
    ON transfers (vehicle_id) WHERE status = 'created';

CREATE TABLE servicebook_entries (
	id			TEXT PRIMARY KEY NOT NULL,
	servicebook_id		TEXT NOT NULL,
	owner_id		TEXT NOT NULL,
	actor_role		TEXT NOT NULL,
	entry_type		TEXT NOT NULL
				CHECK (entry_type IN ('INSPECTION_EVENT', 'CASE',
				    'REMEDIATION')),
	source			TEXT NOT NULL
				CHECK (source IN ('GPS', 'READOUT', 'SYSTEM',
				    'OWNER')),
	result_status		TEXT NOT NULL
				CHECK (result_status IN ('OK', 'NOT_OK',
				    'IN_PROGRESS', 'DONE')),
	title			TEXT NOT NULL,
	summary			TEXT,
	details			TEXT,
	occurred_at		TEXT NOT NULL,
	km			INTEGER CHECK (km IS NULL OR km >= 0),
	document_ids_json	TEXT NOT NULL DEFAULT '[]',
	related_entry_id	TEXT,
	related_case_id		TEXT,
	created_at		TEXT NOT NULL,
	updated_at		TEXT NOT NULL
);
-- Entry list of a servicebook, created_at ascending.
CREATE INDEX idx_servicebook_entries_sb_created
    ON servicebook_entries (servicebook_id, created_at);
CREATE INDEX idx_servicebook_entries_owner ON servicebook_entries (owner_id);

CREATE TABLE vip_businesses (
	business_id		TEXT PRIMARY KEY NOT NULL,
	owner_user_id		TEXT NOT NULL,
	created_at		TEXT NOT NULL,
	approved_at		TEXT,
	approved_by_user_id	TEXT
);
CREATE INDEX idx_vip_businesses_owner ON vip_businesses (owner_user_id);

CREATE TABLE vip_business_staff (
	business_id		TEXT NOT NULL
				REFERENCES vip_businesses (business_id)
				ON DELETE CASCADE,
	user_id			TEXT NOT NULL,
	created_at		TEXT NOT NULL,
	PRIMARY KEY (business_id, user_id)
);

-- ---------------------------------------------------------------------------
-- §0.6 CMS and masterclipboard
-- ---------------------------------------------------------------------------

CREATE TABLE cms_articles (
	article_id		TEXT PRIMARY KEY NOT NULL,
	content_type		TEXT NOT NULL
				CHECK (content_type IN ('blog', 'news')),
	slug			TEXT NOT NULL,
	title			TEXT NOT NULL,
	excerpt			TEXT NOT NULL,
	content_md		TEXT NOT NULL,
	workflow_state		TEXT NOT NULL
				CHECK (workflow_state IN ('draft', 'in_review',
				    'published')),
	author_user_id		TEXT NOT NULL,
	reviewer_user_id	TEXT,
	published_by_user_id	TEXT,
	review_note		TEXT,
	submitted_at		TEXT,
	reviewed_at		TEXT,
	published_at		TEXT,
	created_at		TEXT NOT NULL,
	updated_at		TEXT NOT NULL,
	UNIQUE (content_type, slug)
);
CREATE INDEX idx_cms_articles_type_state
    ON cms_articles (content_type, workflow_state);

CREATE TABLE mc_sessions (
	id			TEXT PRIMARY KEY NOT NULL,
	org_id			TEXT NOT NULL,
	created_by_user_id	TEXT NOT NULL,
	vehicle_public_id	TEXT NOT NULL,
	is_closed		INTEGER NOT NULL DEFAULT 0
				CHECK (is_closed IN (0, 1)),
	created_at		TEXT NOT NULL,
	closed_at		TEXT
);
CREATE INDEX idx_mc_sessions_org ON mc_sessions (org_id);

CREATE TABLE mc_speech_chunks (
	id			TEXT PRIMARY KEY NOT NULL,
	session_id		TEXT NOT NULL REFERENCES mc_sessions (id),
	source			TEXT NOT NULL CHECK (source IN ('mic', 'text')),
	content_redacted	TEXT NOT NULL,
	created_at		TEXT NOT NULL
);
CREATE INDEX idx_mc_speech_chunks_session
    ON mc_speech_chunks (session_id, created_at);

CREATE TABLE mc_triage_items (
	id			TEXT PRIMARY KEY NOT NULL,
	session_id		TEXT NOT NULL REFERENCES mc_sessions (id),
	kind			TEXT NOT NULL
				CHECK (kind IN ('defect', 'task',
				    'recommendation')),
	title			TEXT NOT NULL,
	details_redacted	TEXT,
	severity		TEXT NOT NULL
				CHECK (severity IN ('low', 'medium', 'high')),
	status			TEXT NOT NULL
				CHECK (status IN ('open', 'in_progress', 'done',
				    'blocked')),
	evidence_refs_json	TEXT NOT NULL DEFAULT '[]',
	created_at		TEXT NOT NULL,
	updated_at		TEXT NOT NULL
);
CREATE INDEX idx_mc_triage_items_session
    ON mc_triage_items (session_id, created_at);

CREATE TABLE mc_board_snapshots (
	id			TEXT PRIMARY KEY NOT NULL,
	session_id		TEXT NOT NULL REFERENCES mc_sessions (id),
	ordered_item_ids_json	TEXT NOT NULL,
	notes_redacted		TEXT,
	created_at		TEXT NOT NULL
);
CREATE INDEX idx_mc_board_snapshots_session
    ON mc_board_snapshots (session_id, created_at);

CREATE TABLE idempotency_records (
	id			INTEGER PRIMARY KEY,
	actor_user_id		TEXT NOT NULL,
	route_key		TEXT NOT NULL,
	idem_key		TEXT NOT NULL,
	request_hash		TEXT NOT NULL,
	status_code		INTEGER NOT NULL,
	response_json		TEXT NOT NULL,
	created_at		TEXT NOT NULL,
	UNIQUE (actor_user_id, route_key, idem_key)
);
CREATE INDEX idx_idempotency_records_created
    ON idempotency_records (created_at);

-- ---------------------------------------------------------------------------
-- §0.7 Support inbox
-- ---------------------------------------------------------------------------

CREATE TABLE support_messages (
	id			TEXT PRIMARY KEY NOT NULL,
	topic			TEXT NOT NULL
				CHECK (topic IN ('frage', 'fehler', 'datenschutz',
				    'sonstiges')),
	message			TEXT NOT NULL,
	reply_to_enc		TEXT,
	reply_to_key_id		TEXT,
	user_id			TEXT,
	status			TEXT NOT NULL
				CHECK (status IN ('offen', 'in_pruefung',
				    'geloest')),
	created_at		TEXT NOT NULL,
	updated_at		TEXT NOT NULL
);
-- Admin inbox: newest first, optionally filtered by status; retention purge.
CREATE INDEX idx_support_messages_status_created
    ON support_messages (status, created_at);
CREATE INDEX idx_support_messages_created ON support_messages (created_at);

CREATE TABLE support_message_notes (
	id			INTEGER PRIMARY KEY,
	message_id		TEXT NOT NULL
				REFERENCES support_messages (id) ON DELETE CASCADE,
	by_user_id		TEXT NOT NULL,
	status			TEXT NOT NULL
				CHECK (status IN ('offen', 'in_pruefung',
				    'geloest')),
	note			TEXT,
	created_at		TEXT NOT NULL
);
CREATE INDEX idx_support_message_notes_message
    ON support_message_notes (message_id);
