/* clock.c: see clock.h. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"

static int64_t override_us;

void
clock_set_override(int64_t us)
{
	override_us = us;
}

int64_t
clock_real_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * US_PER_SEC + ts.tv_nsec / 1000;
}

int64_t
clock_now(void)
{
	return override_us != 0 ? override_us : clock_real_now();
}

/*
 * UTC broken-down time without gmtime_r(), which makes glibc open and
 * parse the zone file on every request (civil_from_days, H. Hinnant).
 */
static void
split(int64_t us, struct tm *tm, long *frac)
{
	int64_t sec = us / US_PER_SEC, days, sod, era, doe, yoe, doy, mp, y;
	long f = (long)(us % US_PER_SEC);

	if (f < 0) {
		f += US_PER_SEC;
		sec--;
	}
	days = sec / 86400;
	sod = sec % 86400;
	if (sod < 0) {
		sod += 86400;
		days--;
	}
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	memset(tm, 0, sizeof(*tm));
	tm->tm_mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	tm->tm_mon = (int)(mp < 10 ? mp + 2 : mp - 10);
	tm->tm_year = (int)(y + (tm->tm_mon <= 1) - 1900);
	tm->tm_hour = (int)(sod / 3600);
	tm->tm_min = (int)(sod % 3600 / 60);
	tm->tm_sec = (int)(sod % 60);
	*frac = f;
}

void
ts_storage(int64_t us, char out[TS_STORAGE_LEN])
{
	struct tm tm;
	long frac;
	char tmp[96];

	split(us, &tm, &frac);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
	    (tm.tm_year + 1900) % 10000, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
	memcpy(out, tmp, TS_STORAGE_LEN - 1);
	out[TS_STORAGE_LEN - 1] = '\0';
}

/* The API and compact shapes are the storage shape cut down. */
void
ts_api(int64_t us, char out[TS_API_LEN])
{
	char st[TS_STORAGE_LEN];

	ts_storage(us, st);
	memcpy(out, st, 19);
	out[19] = 'Z';
	out[20] = '\0';
}

void
ts_compact(int64_t us, char out[17])
{
	char st[TS_STORAGE_LEN];
	size_t i, n = 0;

	ts_storage(us, st);
	for (i = 0; i < 19; i++)
		if (st[i] != '-' && st[i] != ':')
			out[n++] = st[i];
	out[n++] = 'Z';
	out[n] = '\0';
}

bool
ts_to_api(const char *s, char out[TS_API_LEN])
{
	int64_t us;

	if (s == NULL || !ts_parse(s, &us))
		return false;
	ts_api(us, out);
	return true;
}

json_t *
ts_json(const char *stored)
{
	char api[TS_API_LEN];

	if (!ts_to_api(stored, api))
		return json_null();
	return json_string(api);
}

int
year_of(int64_t us)
{
	struct tm tm;
	long frac;

	split(us, &tm, &frac);
	return tm.tm_year + 1900;
}

static bool
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool
date_parse(const char *s, int ymin, int ymax, int *y, int *m, int *d)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	if (!digits(s, 4, y) || !digits(s + 5, 2, m) || !digits(s + 8, 2, d))
		return false;
	if (*y < ymin || *y > ymax || *m < 1 || *m > 12 || *d < 1 ||
	    *d > days_in_month(*y, *m))
		return false;
	return true;
}

bool
ts_parse(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0, sign = 0;
	int64_t frac = 0, scale = 100000;
	const char *p;
	char date[11];

	if (strlen(s) < 10)
		return false;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!date_parse(date, 1, 9999, &y, &mo, &d))
		return false;
	p = s + 10;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (!digits(p, 2, &h) || p[2] != ':' || !digits(p + 3, 2, &mi))
			return false;
		p += 5;
		if (*p == ':') {
			if (!digits(p + 1, 2, &se))
				return false;
			p += 3;
			if (*p == '.') {
				p++;
				if (*p < '0' || *p > '9')
					return false;
				/* Digits beyond microseconds are truncated. */
				for (; *p >= '0' && *p <= '9'; p++) {
					if (scale > 0) {
						frac += (*p - '0') * scale;
						scale /= 10;
					}
				}
			}
		}
		if (h > 23 || mi > 59 || se > 59)
			return false;
		if (*p == 'Z' || *p == 'z')
			p++;
		else if (*p == '+' || *p == '-') {
			sign = *p == '+' ? 1 : -1;
			p++;
			if (!digits(p, 2, &oh))
				return false;
			p += 2;
			if (*p == ':')
				p++;
			if (!digits(p, 2, &om))
				return false;
			p += 2;
			if (om > 59 || oh * 60 + om > 14 * 60)
				return false;
		}
	}
	if (*p != '\0')
		return false;
	*out = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
	    (int64_t)sign * (oh * 3600 + om * 60)) * US_PER_SEC) + frac;
	return true;
}
