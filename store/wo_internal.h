/*
 * wo_internal.h - what the work-order and PM files of store/ share with each
 * other (wo.c, wo_transition.c, wo_items.c, fault.c, pm.c, pm_engine.c,
 * pm_forecast.c, wo_query.c, wo_scan.c) and
 * nobody else needs: the raw insert that knows about PM occurrences, the
 * side effects of finishing work, and the PM calendar arithmetic.
 */
#ifndef WRENCH_STORE_WO_INTERNAL_H
#define WRENCH_STORE_WO_INTERNAL_H

#include "internal.h"

/* The read of every field of a work order (the descriptor's, store/entity.c)
 * with the row id of its PM after them, followed by suffix (a literal
 * WHERE clause on "w", the wo row): NULL with e filled when out of memory. */
const char *store_wo_sql(const char *suffix, struct wr_err *e);
/* Fills w from a row of store_wo_sql (description on the heap), and pm_id
 * (0 when none) and pm_due (WR_NO_TIME when none) when they are not NULL;
 * WR_ENOMEM when the description cannot be copied. */
int store_wo_from_row(sqlite3_stmt *st, struct wr_wo *w, int64_t *pm_id, int64_t *pm_due);

/* Reads a work order by number; also returns its row's pm_id (0 when none)
 * and pm_due (WR_NO_TIME when none) if the pointers are not NULL. */
int store_wo_read(struct store *s, const char *number, struct wr_wo *out, int64_t *pm_id,
                  int64_t *pm_due, struct wr_err *e);

/* store_wo_create with the PM occurrence key the generated work order is for
 * (WR_NO_TIME for hand-made work). */
int store_wo_insert(struct store *s, struct wr_wo *w, int64_t pm_due, struct wr_err *e);

/* Makes the asset history agree with a finished work order: a done or closed
 * corrective work order flagged as a failure has exactly one failure event
 * (at downtime start, else creation time, coded with the problem code);
 * otherwise events it produced are removed.  An identical event already in
 * the history (an import) is left alone. */
int store_wo_failure_event_sync(struct store *s, int64_t wo_id, struct wr_err *e);

/* Runs every side effect of a work order moving from old_status to its
 * current status w->status: the fault index follows it; done or closed
 * corrective failures get their history event; a PM work order that became
 * done (or closed without passing done) or cancelled moves its schedule on.
 * pm_id/pm_due are the row's (0 / WR_NO_TIME when none). */
int store_wo_finish_effects(struct store *s, const struct wr_wo *w, int64_t pm_id,
                            int64_t pm_due, int old_status, struct wr_err *e);

/* The PM schedule a finished occurrence belongs to moves on.  done != 0: the
 * occurrence was completed at completed_at; done == 0: it was cancelled
 * (skipped).  occurrence is the work order's pm_due (WR_NO_TIME for a PM work
 * order made by hand: its due date, else the PM's current next due, is used). */
int store_pm_on_wo_finished(struct store *s, int64_t pm_id, int64_t occurrence, int64_t due_at,
                            int done, int64_t completed_at, struct wr_err *e);

/* Automatic numbering keeps the largest WO-<digits> number seen in the
 * counter table.  store_wo_number_value() reads the numeric part of such a
 * number (0 when the number has another shape); store_wo_counter_raise()
 * records that a number up to n exists (writers that bypass
 * store_wo_insert, like the CSV import, call it once with their maximum). */
int store_wo_number_value(const char *number, long long *n);
int store_wo_counter_raise(struct store *s, long long n, struct wr_err *e);

/* store_labor_stop_all inside the caller's transaction, for a work order
 * known by id (uuid and number for the audit log). */
int store_labor_stop_all_id(struct store *s, int64_t wo_id, const char *wo_number,
                            const char *uuid, wr_labor_cb cb, void *ctx, struct wr_err *e);

/* Appends a task as the next checklist item (seq = last + 1). */
int store_check_append(struct store *s, int64_t wo_id, const char *task, struct wr_err *e);

/* The number of the work order generated for a PM occurrence (the PM and
 * its key, wo.pm_due; see pm_engine.c), "" when none. */
int store_pm_occurrence_wo(struct store *s, int64_t pm_id, int64_t key, char *number,
                           size_t n, struct wr_err *e);

/* Adds n schedule units to t (months clamp at the month's end). */
int64_t store_pm_add_units(int64_t t, int n, int unit);
/* The k-th date of a fixed schedule's grid: start + k * interval units,
 * computed from the start each time so month-end clamping never drifts. */
int64_t store_pm_grid(const struct wr_pm *p, int64_t k);
/* The first grid date strictly after t. */
int64_t store_pm_grid_after(const struct wr_pm *p, int64_t t);
/* Next due date / meter value from the schedule fields (start, last done,
 * last meter): used when a PM is created or its schedule is edited. */
void store_pm_compute_next(struct wr_pm *p);

/* ---- days of the week, end date, due-date delay (pm_weekdays.c) ---- */

/* The days a text names ("Monday,Wednesday,Friday", "mon wed fri", Atlas's
 * "0;2;4" with 0 for Monday, and the names of Atlas's other languages) as
 * bits, bit 0 Monday to bit 6 Sunday: 0, or -1 with the word that names
 * no day in bad (n bytes). */
int store_weekdays_parse(const char *s, unsigned *mask, char *bad, size_t n);
/* The canonical text of the days: "mon,wed,fri" ("" for none). */
void store_weekdays_fmt(unsigned mask, char *buf, size_t n);
/* A calendar schedule's days of the week as bits; 0 when it has none (or
 * is a meter schedule).  A weekly schedule runs on them every interval
 * weeks; a daily or monthly one moves each of its dates to the next of
 * them. */
unsigned store_pm_weekday_mask(const struct wr_pm *p);
/* The first day strictly after t of a schedule every interval weeks, counted
 * from the week (Monday to Sunday) of start, on the days of mask and not
 * before start; WR_NO_TIME for an empty mask. */
int64_t store_weekdays_after(int64_t start, int interval, unsigned mask, int64_t t);
/* The first day on or after t that is one of mask's (t itself when the
 * mask is empty). */
int64_t store_weekday_from(unsigned mask, int64_t t);
/* A calendar schedule's first occurrence: its start date, or its first day
 * of the week from it. */
int64_t store_pm_first(const struct wr_pm *p);
/* The occurrence after the one on t: a fixed schedule's next grid date, a
 * floating one's an interval later (on its next day of the week). */
int64_t store_pm_next_after(const struct wr_pm *p, int64_t t);
/* 1 when the occurrence on t falls after the schedule's end date. */
int store_pm_ended(const struct wr_pm *p, int64_t t);
/* The due date of the work order of the occurrence on t: the due-date
 * delay later. */
int64_t store_pm_due_of(const struct wr_pm *p, int64_t occurrence);
/* Checks the days of the week and the end date of a schedule and writes
 * its days in their canonical form: 0, or -1 with why (n bytes) filled. */
int store_pm_check_schedule(struct wr_pm *p, char *why, size_t n);
/* The latest reading of a meter (by id); NAN when it has none. */
int store_meter_latest(struct store *s, int64_t meter_id, double *value, struct wr_err *e);

/* Midnight of the day containing t. */
int64_t store_day_of(int64_t t);

#endif
