/*
 * wo_list.h - the work-order list view's state, shared by the view
 * (view_wo_list.c) and its filter menu (wo_filter.c).
 */
#ifndef WRENCH_TUI_WO_LIST_H
#define WRENCH_TUI_WO_LIST_H

#include "app.h"
#include "bgjob.h"
#include "klist.h"
#include "screens.h"

struct wo_list {
	struct store *s;
	struct view *v;
	struct klist list;
	/* The filter, owned here; f's pointers point into these buffers. */
	struct wr_wo_filter f;
	char asset[64], assignee[64], search[128];
	int counted;             /* list.count holds the count of this filter */
	struct bgjob count_job;  /* counting runs in a child: slow on big tables */
	struct wo_doc preview;   /* desk: the selected work order */
	int preview_stale;
	int rows;                /* list rows at the last draw */
	int need_fill;           /* the screen shows more rows than are loaded */
	char preview_tried[32];  /* the last number the preview tried to load */
	/* A search pages by bounded scans: each key does one chunk of about
	 * 10 ms (span ids, adapted to the time chunks take) and idle time
	 * does the rest, so that a rare term never blocks the keyboard. */
	struct wr_wo_scan scan;
	int64_t span;
	int64_t search_t0;       /* timing log: when the search text changed */
	/* The order: WSORT_ID with sort_desc is the plain list (newest
	 * first); any other is paged by store_wo_sorted_page, a bounded walk
	 * along the column's index. */
	int sort, sort_desc;
	FILE *timing;            /* the app's WRENCH_TUI_TIMING log, or NULL */
};

/* Reloads from the top after a filter change; returns R_* flags. */
int wo_list_reload(struct app *a, struct wo_list *l);
/* Opens the filter menu (status, priority, type, assignee, asset...). */
void wo_filter_menu(struct app *a, struct view *v);
/* The active filters as one line ("status:open prio:high /pump"). */
void wo_filter_text(const struct wo_list *l, char *buf, size_t n);
/* Opens the sort menu (the columns); wo_sort_reverse flips the order. */
void wo_sort_menu(struct app *a, struct view *v);
int wo_sort_reverse(struct app *a, struct wo_list *l);
/* The filter and sort as saved-filter text, and back (wo_saved.c). */
void wo_saved_encode(const struct wo_list *l, char *buf, size_t n);
int wo_saved_decode(struct wo_list *l, const char *spec, struct wr_err *e);
/* Filter menu items: save the current filter by name; pick a saved one. */
void wo_saved_save(struct app *a, struct view *v);
void wo_saved_pick(struct app *a, struct view *v);
/* Short status names for narrow rows ("prog" for in_progress). */
const char *wo_status_short(int st);

#endif
