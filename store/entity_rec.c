/*
 * entity_rec.c - whole records of any entity (see entity_rec.h): defaults,
 * copies, the merge of a file's row with the stored record, and the
 * comparison and audit of two versions of a record, field by field as the
 * descriptor lists them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "entity_rec.h"

#define AT(rec, f, T) ((T *)(void *)((char *)(rec) + (f)->off))
#define CAT(rec, f, T) ((const T *)(const void *)((const char *)(rec) + (f)->off))

void entity_rec_init(const struct wr_entity *en, struct entity_rec *rec)
{
	memset(rec, 0, sizeof *rec);
	if (en->init)
		en->init(rec);
	/* Whatever the store's init left, an absent time or number is absent. */
	for (size_t i = 0; i < en->n; i++) {
		const struct wr_field *f = &en->f[i];
		if ((f->type == FT_DATE || f->type == FT_DATETIME) && *AT(rec, f, int64_t) == 0)
			*AT(rec, f, int64_t) = WR_NO_TIME;
		else if (f->type == FT_NUMBER && *AT(rec, f, double) == 0)
			*AT(rec, f, double) = NAN;
		else if (f->flags & EF_HEAP) {
			/* Defaults never hold text on the heap; drop any the init set. */
			free(*AT(rec, f, char *));
			*AT(rec, f, char *) = NULL;
		}
	}
}

void entity_rec_clear(const struct wr_entity *en, struct entity_rec *rec)
{
	for (size_t i = 0; i < en->n; i++) {
		if (en->f[i].flags & EF_HEAP) {
			free(*AT(rec, &en->f[i], char *));
			*AT(rec, &en->f[i], char *) = NULL;
		}
	}
}

int entity_rec_copy(const struct wr_entity *en, struct entity_rec *dst,
                    const struct entity_rec *src)
{
	int rc = WR_OK;

	*dst = *src;
	for (size_t i = 0; i < en->n; i++) {
		const struct wr_field *f = &en->f[i];
		const char *t;
		if (!(f->flags & EF_HEAP))
			continue;
		t = *CAT(src, f, char *);
		*AT(dst, f, char *) = rc == WR_OK && t ? wr_strdup(t) : NULL;
		if (t && !*AT(dst, f, char *))
			rc = WR_ENOMEM;
	}
	if (rc != WR_OK)
		entity_rec_clear(en, dst);
	return rc;
}

int entity_rec_merge(const struct wr_entity *en, uint32_t present, struct entity_rec *rec,
                     const struct entity_rec *old)
{
	for (size_t i = 0; i < en->n; i++) {
		const struct wr_field *f = &en->f[i];
		const char *t;
		if (present & (1u << i))
			continue;
		if (!(f->flags & EF_HEAP)) {
			memcpy(AT(rec, f, char), CAT(old, f, char), f->size);
			continue;
		}
		/* A copy: old still holds the stored text to compare with. */
		free(*AT(rec, f, char *));
		t = *CAT(old, f, char *);
		if ((*AT(rec, f, char *) = t ? wr_strdup(t) : NULL) == NULL && t)
			return WR_ENOMEM;
	}
	return WR_OK;
}

int entity_field_changes(const struct wr_field *f)
{
	return f->column && !(f->flags & EF_KEY) && f->type != FT_UUID;
}

int entity_rec_same(const struct wr_entity *en, const struct entity_rec *a,
                    const struct entity_rec *b)
{
	for (size_t i = 0; i < en->n; i++)
		if (entity_field_changes(&en->f[i]) && !entity_value_same(&en->f[i], a, b))
			return 0;
	return 1;
}

int entity_audit_changes(struct store *s, const struct wr_entity *en, const struct entity_rec *old,
                         const struct entity_rec *nw, const struct entity_audit *how,
                         uint32_t *changed, struct wr_err *e)
{
	int n = 0;

	*changed = 0;
	for (size_t i = 0; i < en->n; i++) {
		const struct wr_field *f = &en->f[i];
		char b1[64], b2[64], name[48];
		if (f->type == FT_UUID || (f->flags & how->skip) ||
		    (how->only && !(how->only & (1u << i))) || entity_value_same(f, old, nw))
			continue;
		const char *ov = entity_value_text(f, old, b1, sizeof b1);
		const char *nv = entity_value_text(f, nw, b2, sizeof b2);
		if (!how->set_names) {
			ov = ov[0] ? ov : NULL;
			nv = nv[0] ? nv : NULL;
		}
		if (store_audit(s, en->table, how->uuid, how->key,
		                how->set_names ? entity_set_name(f, name, sizeof name) : f->name, ov, nv,
		                e) != WR_OK)
			return -1;
		*changed |= 1u << i;
		n++;
	}
	return n;
}
