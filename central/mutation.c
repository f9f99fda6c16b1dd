/*
 * mutation.c - the shape of a mutation checked before anything is written:
 * its members and their types, the entity, the op, and every field value
 * against its field (types, lengths, enums, dates).  What depends on the
 * database's state (roles, references, the state machine, keys) is decided
 * later, when the mutation is applied.
 */
#include <math.h>
#include <string.h>

#include "central.h"

static int whole(const cJSON *v, double min)
{
	return cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble == floor(v->valuedouble) &&
	       v->valuedouble >= min && v->valuedouble <= 9007199254740991.0;
}

int fields_check(const struct entity *en, const char *op, const cJSON *fields, struct wr_err *e)
{
	const cJSON *ch;
	int create = !strcmp(op, "create");

	if (!cJSON_IsObject(fields))
		return wr_fail(e, WR_EINPUT, "fields: must be an object");
	cJSON_ArrayForEach(ch, fields) {
		const struct field *f = entity_field(en, ch->string);
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(ch, "old");
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(ch, "new");
		cJSON *v;
		if (!f)
			return wr_fail(e, WR_EINPUT, "fields: %s has no field \"%.64s\"", en->name, ch->string);
		if (!cJSON_IsObject(ch) || !n || (create ? o != NULL : !o) ||
		    cJSON_GetArraySize(ch) != (create ? 1 : 2))
			return wr_fail(e, WR_EINPUT, "fields.%s: %s", f->name,
			               create ? "a create gives {\"new\": value}"
			                      : "an update gives {\"old\": value, \"new\": value}");
		if (o) {
			if (!(v = field_value(f, o, e)))
				goto bad;
			cJSON_Delete(v);
		}
		if (!(v = field_value(f, n, e)))
			goto bad;
		if (create && (f->flags & FF_REQUIRED) && cJSON_IsNull(v)) {
			cJSON_Delete(v);
			return wr_fail(e, WR_EINPUT, "fields.%s: required, must not be null", f->name);
		}
		cJSON_Delete(v);
	}
	if (create)
		for (size_t i = 0; i < en->n; i++)
			if ((en->f[i].flags & FF_REQUIRED) &&
			    !cJSON_GetObjectItemCaseSensitive(fields, en->f[i].name))
				return wr_fail(e, WR_EINPUT, "fields.%s: required when creating %s",
				               en->f[i].name, en->name);
	return WR_OK;
bad:
	wr_err_prefix(e, "fields.");
	return WR_EINPUT;
}

static int known_member(const char *name)
{
	static const char *const m[] = {"seq", "entity", "op", "uuid", "base_version", "fields"};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		if (!strcmp(name, m[i]))
			return 1;
	return 0;
}

int mutation_check(const cJSON *mj, struct mutation *m, long long *seq, struct wr_err *e)
{
	const cJSON *it;
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(mj, "seq");
	const cJSON *en = cJSON_GetObjectItemCaseSensitive(mj, "entity");
	const cJSON *op = cJSON_GetObjectItemCaseSensitive(mj, "op");
	const cJSON *uuid = cJSON_GetObjectItemCaseSensitive(mj, "uuid");
	const cJSON *bv = cJSON_GetObjectItemCaseSensitive(mj, "base_version");
	const struct entity *ent;

	memset(m, 0, sizeof *m);
	if (!cJSON_IsObject(mj))
		return wr_fail(e, WR_EINPUT, "must be an object");
	cJSON_ArrayForEach(it, mj)
		if (!known_member(it->string))
			return wr_fail(e, WR_EINPUT, "unknown member \"%.64s\"", it->string);
	if (!whole(s, 1))
		return wr_fail(e, WR_EINPUT, "seq: must be a whole number from 1");
	if (!cJSON_IsString(en) || !(ent = entity_find(en->valuestring)))
		return wr_fail(e, WR_EINPUT,
		               "entity: must be one of locations, assets, meters, pms, workorders, "
		               "checks, notes, labour, parts, readings, history, inventory, settings");
	if (!cJSON_IsString(op) || (strcmp(op->valuestring, "create") && strcmp(op->valuestring, "update") &&
	                            strcmp(op->valuestring, "delete")))
		return wr_fail(e, WR_EINPUT, "op: must be create, update or delete");
	if (!cJSON_IsString(uuid) || !wr_uuid_valid(uuid->valuestring))
		return wr_fail(e, WR_EINPUT, "uuid: must be a UUID (8-4-4-4-12 hexadecimal digits)");
	if (strpbrk(uuid->valuestring, "ABCDEF"))
		return wr_fail(e, WR_EINPUT, "uuid: must be written in lower case");
	if (!whole(bv, 0))
		return wr_fail(e, WR_EINPUT, "base_version: must be a whole number from 0");
	*seq = (long long)s->valuedouble;
	m->entity = en->valuestring;
	m->op = op->valuestring;
	m->uuid = uuid->valuestring;
	m->base_version = (long long)bv->valuedouble;
	m->fields = cJSON_GetObjectItemCaseSensitive(mj, "fields");
	if (!m->fields)
		return wr_fail(e, WR_EINPUT, "fields: missing (an object; {} for a delete)");
	return strcmp(m->op, "delete") ? fields_check(ent, m->op, m->fields, e) : WR_OK;
}
