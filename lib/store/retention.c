/* retention.c: see retention.h. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/util.h"
#include "store/retention.h"

#define DAY_US	(INT64_C(86400) * US_PER_SEC)

/*
 * One statement of a class: rows of table matching where, every '?' of
 * which is the cutoff now - keep (storage format). Constant SQL only.
 */
struct rule {
	const char	*name;
	const char	*table;
	const char	*where;
	int		 nparams;
	int64_t		(*keep)(void);	/* microseconds kept */
};

static int64_t
days(int64_t n)
{
	return n * DAY_US;
}

static int64_t keep_sessions(void) { return days(cfg.retention_sessions_days); }
static int64_t keep_challenges(void) { return days(cfg.retention_challenges_days); }
static int64_t keep_grants(void) { return days(cfg.retention_grants_days); }
static int64_t keep_idem(void) { return days(cfg.retention_idempotency_days); }
static int64_t keep_support(void) { return days(cfg.retention_support_days); }
static int64_t keep_transfers(void) { return days(cfg.retention_transfers_days); }
static int64_t keep_audit(void) { return days(cfg.retention_audit_days); }

/*
 * A window ended window seconds after it started; the rows do not say
 * which window they had, so the longest configured one decides.
 */
static int64_t
keep_ratelimit(void)
{
	int64_t w = cfg.rl_auth_window_seconds, v[] = { cfg.rl_qr_window_seconds,
	    cfg.rl_upload_window_seconds, cfg.rl_mc_window_seconds,
	    cfg.rl_support_window_seconds };
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (v[i] > w)
			w = v[i];
	return days(cfg.retention_ratelimit_days) + w * US_PER_SEC;
}

static const struct rule rules[] = {
	/*
	 * A session that ended idle goes with its absolute expiry, at most
	 * session_ttl_seconds later than its idle end.
	 */
	{ "sessions", "auth_sessions", "expires_at < ? OR revoked_at < ?", 2,
	    keep_sessions },
	{ "challenges", "auth_challenges", "created_at < ?", 1,
	    keep_challenges },
	{ "rate_limits", "rate_limits", "window_start < ?", 1, keep_ratelimit },
	{ "step_up_grants", "step_up_grants", "expires_at < ? OR used_at < ?",
	    2, keep_grants },
	{ "export_grants", "export_grants", "expires_at < ? OR used_at < ?", 2,
	    keep_grants },
	{ "idempotency_records", "idempotency_records", "created_at < ?", 1,
	    keep_idem },
	/* Their notes go with them (ON DELETE CASCADE). */
	{ "support_messages", "support_messages",
	    "status = 'geloest' AND updated_at < ?", 1, keep_support },
	{ "transfers", "transfers", "status IN ('redeemed', 'cancelled', "
	    "'expired') AND coalesce(redeemed_at, cancelled_at, expired_at, "
	    "expires_at) < ?", 1, keep_transfers },
	{ "audit_events", "audit_events", "created_at < ?", 1, keep_audit },
};

static const char *const names[] = { "sessions", "challenges", "rate_limits",
    "step_up_grants", "export_grants", "idempotency_records",
    "support_messages", "transfers", "audit_events" };

const char *const *
retention_names(size_t *n)
{
	*n = sizeof(names) / sizeof(names[0]);
	return names;
}

int64_t
retention_apply(struct db *db, const char *name, int64_t now, bool dry_run)
{
	char ts[TS_STORAGE_LEN], *sql;
	int64_t total = 0, n;
	bool known = false;
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct rule *ru = &rules[i];

		if (strcmp(ru->name, name) != 0)
			continue;
		known = true;
		ts_storage(now - ru->keep(), ts);
		sql = xasprintf(dry_run ? "SELECT count(*) FROM %s WHERE %s" :
		    "DELETE FROM %s WHERE %s", ru->table, ru->where);
		if (dry_run)
			n = ru->nparams == 2 ? db_scalar(db, sql, "ss", ts, ts) :
			    db_scalar(db, sql, "s", ts);
		else if ((ru->nparams == 2 ? db_exec(db, sql, "ss", ts, ts) :
		    db_exec(db, sql, "s", ts)) != DB_OK)
			n = -1;
		else
			n = db_changes(db);
		free(sql);
		if (n < 0)
			return -1;
		total += n;
	}
	return known ? total : -1;
}
