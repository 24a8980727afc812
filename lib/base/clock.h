/*
 * clock.h: the server's notion of "now" and timestamp formats.
 *
 * Times are int64 microseconds since the Unix epoch, UTC. In env=test the
 * config key test_now overrides the clock for every time decision.
 */
#ifndef LTC_CLOCK_H
#define LTC_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#define TS_STORAGE_LEN	28	/* "YYYY-MM-DDTHH:MM:SS.ffffffZ" + NUL */
#define TS_API_LEN	21	/* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

#define US_PER_SEC	INT64_C(1000000)

void	 clock_set_override(int64_t us);	/* 0 = real clock */
int64_t	 clock_now(void);
int64_t	 clock_real_now(void);			/* never overridden */

void	 ts_storage(int64_t, char out[TS_STORAGE_LEN]);
void	 ts_api(int64_t, char out[TS_API_LEN]);
/* "YYYYMMDDTHHMMSSZ" (backup dirs, outbox names), 17 bytes with NUL. */
void	 ts_compact(int64_t, char out[17]);
/* Storage or any accepted input form -> API form; false if unparsable. */
bool	 ts_to_api(const char *, char out[TS_API_LEN]);
/*
 * A stored timestamp as the JSON value of an answer: the API form, or
 * JSON null for NULL or an unparsable value. New reference.
 */
json_t	*ts_json(const char *stored);

/*
 * Accepted timestamp input (README "Timestamps"): YYYY-MM-DD, or
 * YYYY-MM-DD[T ]HH:MM[:SS[.fraction]] with Z, z, +-HH:MM, +-HHMM or nothing.
 */
bool	 ts_parse(const char *, int64_t *);
/* Strict calendar date YYYY-MM-DD within [ymin, ymax]. */
bool	 date_parse(const char *, int ymin, int ymax, int *y, int *m, int *d);
int	 year_of(int64_t);
/* Days of month m (1..12) in year y; days since 1970-01-01 of a date. */
int	 days_in_month(int y, int m);
int64_t	 days_from_civil(int y, int m, int d);

#endif
