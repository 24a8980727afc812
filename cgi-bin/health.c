/*
 * health: GET /api/health (api.md 2). The dispatcher has already checked
 * the configuration, maintenance flag, database and schema version by
 * the time the handler runs, so reaching it means healthy. Unknown /api
 * groups are sent here with PATH_INFO=/-unknown-group and get the JSON 404.
 */
#include "http/app.h"
#include "http/response.h"

static void
health_get(struct req *r)
{
	json_t *j = json_object();

	json_object_set_new(j, "ok", json_true());
	resp_json(r, 200, j);
}

static const struct route routes[] = {
	{ "GET", "/", POLICY_PUBLIC, health_get },
};

APP_MAIN("health", routes, NULL)
