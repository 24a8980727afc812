/*
 * The baseline for `make bench`: the smallest CGI that answers JSON.
 * Comparing it with the real health CGI shows what libltc costs per
 * request on top of process start (config, SQLite open, schema check).
 */
#include <stdio.h>

int
main(void)
{
	fputs("Status: 200 OK\r\nContent-Type: application/json\r\n"
	    "Content-Length: 11\r\n\r\n{\"ok\":true}", stdout);
	return 0;
}
