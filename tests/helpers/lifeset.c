/* lifeset.c - see lifeset.h. */
#include "lifeset.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void lifeset_start(struct ld_set *s, struct ld_unit *units, struct ld_event *events)
{
	memset(s, 0, sizeof *s);
	s->units = units;
	s->events = events;
}

void lifeset_unit(struct ld_set *s, size_t ucap, const char *tag, const char *cls,
                  double install)
{
	struct ld_unit *u;

	ck_assert(s->nunits < ucap);
	u = &s->units[s->nunits++];
	memset(u, 0, sizeof *u);
	snprintf(u->tag, sizeof u->tag, "%s", tag);
	snprintf(u->cls, sizeof u->cls, "%s", cls);
	u->install = install;
	u->in_service = 1;
	u->ev0 = s->nevents;
}

void lifeset_event(struct ld_set *s, size_t ecap, double t, int kind)
{
	struct ld_event *e;

	ck_assert(s->nevents < ecap);
	ck_assert(s->nunits > 0);
	e = &s->events[s->nevents++];
	e->t = t;
	e->op = NAN;
	e->kind = kind;
	s->units[s->nunits - 1].nev++;
}
