/*
 * screens.h - what views pass to each other: the arguments of their open()
 * functions and the few helpers one view borrows from another.
 */
#ifndef WRENCH_TUI_SCREENS_H
#define WRENCH_TUI_SCREENS_H

#include "app.h"

/* ---- work-order list (view_wo_list.c): open() argument, may be NULL ---- */
struct wo_list_arg {
	const char *asset_tag;     /* only this asset's work orders */
	const char *assignee;
	unsigned status_mask;      /* 0 = any */
	const char *search;
};

/* ---- work-order detail (view_wo_detail.c): open() takes the number ---- */

/* A loaded work order with its labour, parts, notes and checklist, as
 * logical items (one per field, note, part...) that wo_doc_layout() wraps
 * into display lines for a width.  The detail view and the desk preview of
 * the list share it. */
enum { DL_TEXT, DL_HEAD, DL_SECTION, DL_CHECK, DL_CODES, DL_STATUS, DL_TIMER, DL_FAILURE };
struct wo_doc_item {
	char *text;
	int role;                  /* theme role */
	int kind;                  /* DL_* */
	int seq;                   /* checklist seq for DL_CHECK */
	int result;                /* checklist result for DL_CHECK */
	char note[160];            /* checklist note, kept when the result changes */
	int64_t version;           /* the checklist item's, as loaded (DL_CHECK) */
};
struct wo_doc_line {
	int item;                  /* index into items */
	size_t off, len;           /* the bytes of the item's text on this line */
};
struct wo_doc {
	struct wr_wo wo;
	int loaded;
	int timer_running;         /* the actor's timer runs on this work order */
	int64_t timer_since;
	int labour_minutes;        /* finished entries, everyone */
	int checks, checks_done;
	struct wo_doc_item *items;
	int nitems, capitems;
	struct wo_doc_line *lines;
	int nlines, caplines;
	int width;                 /* lines are laid out for this width */
};
int wo_doc_load(struct store *s, const char *number, struct wo_doc *d, struct wr_err *e);
/* Lays the lines out for a width (wrapping long text). */
int wo_doc_layout(struct wo_doc *d, int width);
void wo_doc_free(struct wo_doc *d);
/* Draws lines [top, top + h) at (y, x); the line `sel` is highlighted and
 * marked ">" in a one-column gutter (sel -1: no selection, no gutter). */
void wo_doc_draw(struct app *a, WINDOW *w, int y, int x, int h, int wd,
                 const struct wo_doc *d, int top, int sel);

/* ---- quick-create (view_wo_new.c) ---- */
/* Opens the quick-create form, the asset field prefilled when tag is given. */
int wo_new_open(struct app *a, const char *asset_tag);

/* ---- generic form (view_form.c) ---- */
#define FORM_MAX 8
enum { FF_TEXT, FF_CHOICE };
struct form_field {
	const char *label;
	int kind;                  /* FF_TEXT or FF_CHOICE */
	char value[256];           /* FF_TEXT: initial, then the entered text */
	const char *const *choices;/* FF_CHOICE: labels */
	int nchoices, choice;      /* FF_CHOICE: the chosen index */
	int required;              /* save refuses an empty value */
	int max;                   /* characters (FF_TEXT), 0 = 255 */
	int now_key;               /* FF_TEXT holding a time: n puts the time now in */
};
/* Saves the fields (each trimmed); returns WR_OK or an error whose message
 * the form shows, staying open with the edits intact. */
typedef int (*form_save_fn)(struct app *a, void *ctx, const struct form_field *f, int n,
                            struct wr_err *e);
/* Called when text field `field` is left (Enter, Tab) or a barcode is
 * scanned into it, with every field's current text in f: may fill fields
 * from it (a part's code picks its name and cost).  Returns the field to
 * go to when it filled any, else -1. */
typedef int (*form_fill_fn)(struct app *a, void *ctx, int field, struct form_field *f, int n);
struct form_spec {
	const char *title;
	struct form_field fields[FORM_MAX];
	int n;
	form_save_fn save;
	void *ctx;                 /* must outlive the form (the view below it) */
	form_fill_fn fill;         /* NULL: none */
};

/* ---- pick list (view_pick.c) ---- */
struct pick_item {
	char label[128];
	char key[64];              /* a code or name the callback may use */
	int value;
};
/* Called after the pick list has closed, with the chosen item. */
typedef int (*pick_fn)(struct app *a, void *ctx, const struct pick_item *it);
struct pick_spec {
	const char *title;
	const struct pick_item *items; /* copied by open() */
	int n;
	int cur;                   /* initially selected */
	pick_fn cb;
	void *ctx;                 /* must outlive the pick list */
};
/* Opens the pick list of the sites (the roots of the location tree), "all
 * sites" first, with the site chosen ("" or NULL: all) selected.  cb gets
 * the item chosen: its key is the site's code, "" for all sites.  Returns
 * R_ALL (a store error is shown as a message) (pick_site.c). */
int pick_site(struct app *a, const char *chosen, pick_fn cb, void *ctx);

/* ---- a save refused: the record changed (view_conflict.c) ---- */
#define CONFLICT_ROWS 10
struct conflict_row {
	char label[24];
	char mine[160], theirs[160];   /* as shown; "" shows as "-" */
};
enum { CONFLICT_REDO, CONFLICT_MINE, CONFLICT_THEIRS };
/* Called after the conflict screen closed and the view below reloaded.
 * With CONFLICT_MINE, bit i of theirs set: row i keeps theirs. */
typedef int (*conflict_fn)(struct app *a, void *ctx, int choice, unsigned theirs);
struct conflict_spec {
	const char *message;           /* the store's: who changed it, when */
	const struct conflict_row *rows;   /* copied by open() */
	int n;
	conflict_fn cb;
	void *ctx;                     /* must outlive the screen */
};

/* ---- help (view_help.c): open() takes a pointer to the caller's view id ---- */

/* ---- fault diagnosis (view_fault.c): open() takes the work-order number ---- */

/* ---- assets (view_asset_list.c, view_asset_detail.c; the card: asset_doc.h) ---- */
/* asset_list: open() takes NULL or a struct asset_list_arg. */
struct asset_list_arg {
	const char *search;        /* start in the flat list with this search */
};
/* asset_detail: open() takes the asset tag (const char *). */

/* ---- PM (view_pm_list.c, view_pm_forecast.c) ---- */
/* pm_list: open() takes NULL.  pm_forecast: NULL or a const int * of days
 * (30 or 90). */
/* The form that creates a schedule (pm_new.c; planners); on saving, the
 * new code is copied into created (64 bytes, owned by the caller's view). */
int pm_new_open(struct app *a, char *created);
/* pm_detail: open() takes the schedule's code (const char *). */

/* ---- risk ranking (view_risk.c): open() takes NULL ---- */

/* ---- import/export (view_io.c): open() takes NULL or a struct io_arg ---- */
struct io_arg {
	int entity;                /* enum csv_entity */
	const char *path;          /* a file to start with, may be NULL */
};

#endif
