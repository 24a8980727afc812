/* form.c: see form.h. */
#include <string.h>

#include "http/form.h"
#include "base/util.h"

/* Decodes s[0..n) into a new arena string; status on failure. */
static enum form_status
decode(struct arena *a, const char *s, size_t n, const char **out)
{
	char *d = arena_alloc(a, n + 1);
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '+')
			c = ' ';
		else if (c == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return FORM_BAD_ESCAPE;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return FORM_BAD_ESCAPE;
			c = (char)(hi << 4 | lo);
			if (c == '\0')
				return FORM_NUL;
			i += 2;
		} else if (c == '\0')
			return FORM_NUL;
		d[o++] = c;
	}
	d[o] = '\0';
	if (!utf8_valid(d, o))
		return FORM_BAD_UTF8;
	*out = d;
	return FORM_OK;
}

enum form_status
form_parse(struct arena *a, const char *s, size_t n, size_t max,
    struct kvlist *out)
{
	size_t i = 0, cap = 0;

	out->v = NULL;
	out->n = 0;
	while (i < n) {
		size_t start = i, eq = (size_t)-1;
		enum form_status st;
		struct kv kv;

		while (i < n && s[i] != '&') {
			if (s[i] == '=' && eq == (size_t)-1)
				eq = i;
			i++;
		}
		if (i > start) {
			size_t nend = eq != (size_t)-1 ? eq : i;

			if (out->n >= max)
				return FORM_TOO_MANY;
			st = decode(a, s + start, nend - start, &kv.name);
			if (st != FORM_OK)
				return st;
			if (eq != (size_t)-1)
				st = decode(a, s + eq + 1, i - eq - 1, &kv.value);
			else
				kv.value = "";
			if (st != FORM_OK)
				return st;
			if (out->n == cap) {
				struct kv *nv;

				cap = cap ? cap * 2 : 8;
				nv = arena_alloc(a, cap * sizeof(*nv));
				if (out->n > 0)
					memcpy(nv, out->v, out->n * sizeof(*nv));
				out->v = nv;
			}
			out->v[out->n++] = kv;
		}
		i++;	/* skip '&' */
	}
	return FORM_OK;
}

const char *
kv_get(const struct kvlist *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return l->v[i].value;
	return NULL;
}

void
cookie_parse(struct arena *a, const char *s, struct kvlist *out)
{
	size_t cap = 0;

	out->v = NULL;
	out->n = 0;
	while (s != NULL && *s != '\0') {
		const char *end = strchr(s, ';'), *eq;
		size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
		const char *ns = s, *ne, *vs, *ve;

		eq = memchr(s, '=', len);
		if (eq != NULL) {
			ne = eq;
			vs = eq + 1;
			ve = s + len;
			while (ns < ne && (*ns == ' ' || *ns == '\t'))
				ns++;
			while (ne > ns && (ne[-1] == ' ' || ne[-1] == '\t'))
				ne--;
			while (vs < ve && (*vs == ' ' || *vs == '\t'))
				vs++;
			while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
				vs++;
				ve--;
			}
			if (ne > ns && out->n < 64) {
				if (out->n == cap) {
					struct kv *nv;

					cap = cap ? cap * 2 : 8;
					nv = arena_alloc(a, cap * sizeof(*nv));
					if (out->n > 0)
						memcpy(nv, out->v,
						    out->n * sizeof(*nv));
					out->v = nv;
				}
				out->v[out->n].name =
				    arena_strndup(a, ns, (size_t)(ne - ns));
				out->v[out->n].value =
				    arena_strndup(a, vs, (size_t)(ve - vs));
				out->n++;
			}
		}
		if (end == NULL)
			break;
		s = end + 1;
	}
}

char *
url_encode(const char *s)
{
	static const char hx[] = "0123456789ABCDEF";
	struct buf b = { 0 };

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~')
			buf_putc(&b, (char)c);
		else {
			buf_putc(&b, '%');
			buf_putc(&b, hx[c >> 4]);
			buf_putc(&b, hx[c & 15]);
		}
	}
	return buf_take(&b);
}
