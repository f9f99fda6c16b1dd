/*
 * lifeset.h - life data built by hand for the predict tests: units and
 * their events appended to a struct ld_set over the caller's arrays.
 */
#ifndef WRENCH_TEST_LIFESET_H
#define WRENCH_TEST_LIFESET_H

#include <stddef.h>

#include "lifedata.h"

/* Empties s and points it at the caller's arrays. */
void lifeset_start(struct ld_set *s, struct ld_unit *units, struct ld_event *events);
/* A new in-service unit (ucap: the units array's size; the test fails past it). */
void lifeset_unit(struct ld_set *s, size_t ucap, const char *tag, const char *cls,
                  double install);
/* An event at day t of the last unit added (ecap: the events array's size). */
void lifeset_event(struct ld_set *s, size_t ecap, double t, int kind);

#endif
