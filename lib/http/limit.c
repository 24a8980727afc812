/* limit.c: see limit.h. */
#include "base/config.h"
#include "http/limit.h"
#include "http/response.h"
#include "store/ratelimit.h"

const struct rate_rule rate_qr = { "rl:qr:ip:", false, &cfg.rl_qr_limit,
	&cfg.rl_qr_window_seconds, "rate_limited", NULL };
static const struct rate_rule rate_support_user = { "rl:support:user:", true,
	&cfg.rl_support_user_limit, &cfg.rl_support_window_seconds,
	"rate_limited", NULL };
const struct rate_rule rate_support = { "rl:support:ip:", false,
	&cfg.rl_support_ip_limit, &cfg.rl_support_window_seconds,
	"rate_limited", &rate_support_user };
const struct rate_rule rate_upload = { "rl:upload:user:", true,
	&cfg.rl_upload_limit, &cfg.rl_upload_window_seconds, "rate_limited",
	NULL };

struct hit {
	struct ctx	*cx;
	const struct rate_rule *rule;
	enum rl_result	 res;
	int64_t		 retry;
};

static enum db_status
count(struct db *db, void *arg)
{
	struct hit *h = arg;

	h->res = rl_hit(h->cx, arena_printf(&h->cx->arena, "%s%s",
	    h->rule->prefix, h->rule->per_user ? h->cx->actor.user_id :
	    h->cx->ip_hmac), *h->rule->limit,
	    *h->rule->window_s, &h->retry);
	if (h->res != RL_ERROR)
		return DB_OK;
	return db_status(db) != DB_OK ? db_status(db) : DB_ERROR;
}

bool
limit_pass(struct req *r, const struct rate_rule *rule)
{
	for (; rule != NULL; rule = rule->then_user) {
		struct hit h = { &r->cx, rule, RL_ERROR, 0 };

		if (rule->per_user && r->cx.actor.kind == AUTH_NONE)
			break;
		if (db_atomic(r->cx.db, count, &h) != DB_OK) {
			resp_db_error(r);
			return false;
		}
		if (h.res == RL_LIMITED) {
			resp_rate_limited(r, rule->detail, h.retry);
			return false;
		}
	}
	return true;
}
