/* refs.h - a record's references, site and key (refs.c). */
#ifndef WRENCH_CENTRAL_REFS_H
#define WRENCH_CENTRAL_REFS_H

#include "central.h"

#define REFS_MAX 4
struct refs {
	int n;
	const char *field[REFS_MAX];
	char site[REFS_MAX][65];
	char array[REFS_MAX * 40 + 4];   /* the UUIDs as a PostgreSQL uuid[] literal */
	int has_site, has_key;
	char record_site[65];
	char key[160];
};

/* WR_OK, WR_ENOTFOUND or WR_EINPUT (the message says which reference and
 * why), or WR_EDB. */
int refs_resolve(PGconn *c, const struct principal *p, const struct entity *en,
                 const char *uuid, const cJSON *rec, struct refs *rf, struct wr_err *e);

/* For an update that sets a parent (a reference to the same entity): WR_OK,
 * WR_EINPUT when the new parent is the record itself or beneath it, or
 * WR_EDB. */
int refs_check_cycles(PGconn *c, const struct entity *en, const char *uuid, const cJSON *rec,
                      const cJSON *fields, struct wr_err *e, char *sqlstate);

/* The reference field whose record gives this record its site
 * (docs/sync-api.md 1.2), or NULL for a location that is its own site. */
const char *site_source(const struct entity *en, const cJSON *rec);

#endif
