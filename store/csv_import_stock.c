/*
 * csv_import_stock.c - the CSV row handler of the parts inventory (see
 * csv_import.h): a part by its code (made from its name when a file such
 * as Atlas's leaves the ID blank), inserted, or merged with the stored one
 * and updated when something differs.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv_import.h"

static int stock_insert(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                        struct wr_err *e)
{
	struct wr_stock *p = &rec->u.stock;
	int rc;

	/* A new part of which the file gives no quantity has none. */
	if (isnan(p->on_hand))
		p->on_hand = 0;
	if ((rc = csv_row_insert(im, rec, "adding a part", e)) < 0)
		return ROW_FATAL;
	if (rc == 0)
		return csv_imp_unique_clash(im, p->uuid, why, nwhy, e);
	return ROW_INSERTED;
}

static int stock_update(struct csv_imp *im, int64_t id, struct entity_rec *rec,
                        struct entity_rec *old, char *why, size_t nwhy, struct wr_err *e)
{
	struct wr_stock *p = &rec->u.stock;
	char key[96];
	uint32_t changed;
	int rc;

	snprintf(key, sizeof key, "part %s", p->code);
	if ((rc = csv_imp_repeated(im, id, key, why, nwhy, e)) != 0)
		return rc < 0 ? ROW_FATAL : ROW_BAD;
	/* An empty quantity is no field the row sets (EF_KEEP): the merge
	 * keeps the stored one. */
	if (csv_imp_merge(im, rec, old, e) != 0)
		return ROW_FATAL;
	rc = csv_imp_audit_changes(im, rec, old, old->u.stock.uuid, p->code, &changed, e);
	if (rc <= 0)
		return rc < 0 ? ROW_FATAL : ROW_UNCHANGED;
	return csv_row_update(im, id, rec, "updating a part", e) == WR_OK ? ROW_UPDATED : ROW_FATAL;
}

int csv_import_stock(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                     struct wr_err *e)
{
	struct wr_stock *p = &rec->u.stock;
	struct entity_rec old;
	int64_t id;
	int rc;
	FIELD(f_code, "code");

	if (!p->code[0] && (rc = csv_imp_key_from_name(im, rec, f_code, p->name, why, nwhy, e)) != 0)
		return rc;
	id = csv_row_old(im, rec, &old, e);
	rc = id < 0 ? ROW_FATAL : id == 0 ? stock_insert(im, rec, why, nwhy, e)
	                                  : stock_update(im, id, rec, &old, why, nwhy, e);
	entity_rec_clear(im->en, &old);
	return rc;
}
