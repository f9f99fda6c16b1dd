/*
 * asset_doc.h - an asset laid out as lines: its fields, its reliability
 * card, and (for the detail screen) its meters, open work orders,
 * sub-assets and history.  The asset detail view and the desk preview
 * beside the asset list share it, as the work-order screens share wo_doc.
 *
 * Loading reads only what one screen shows (a few dozen rows of each
 * kind, never a whole table).  The reliability card is computed
 * separately, because it loads the plant's life data and fits it: views
 * do that in idle() after the first paint.
 */
#ifndef WRENCH_TUI_ASSET_DOC_H
#define WRENCH_TUI_ASSET_DOC_H

#include "app.h"
#include "predict.h"

/* ---- the reliability card ---- */

enum { AR_PENDING, AR_OK, AR_UNRANKED, AR_ERROR };

struct asset_rel {
	int state;                 /* AR_* */
	char msg[512];             /* AR_UNRANKED, AR_ERROR: why (a struct wr_err message) */
	struct predict_item it;    /* AR_OK: this asset's row of the ranking */
	double T;                  /* ranking date, days since 1970 */
	double horizon;            /* days */
	size_t class_units;        /* units of the class in the fit */
	double class_failures;
	struct predict_mcf mcf;    /* AR_OK: its repair process (mcf.ok = 0: renewed) */
};

/* Ranks the whole plant as of today (store_life_load, then predict_rank
 * with the defaults, as Home, the risk screen and `wrench rank` do) and
 * keeps this asset's row.  Never fails: problems end up in r->state and
 * r->msg.  The plant's ranking is kept until the database changes
 * (store_change_stamp), the day turns or another horizon is asked. */
void asset_rel_compute(struct store *s, const struct wr_asset *as, double horizon,
                       struct asset_rel *r);
/* Releases the kept ranking (at the end of the interface). */
void asset_rel_forget(void);

/* The card of item it of ranking rk (AR_OK). */
void asset_rel_from(struct asset_rel *r, const struct predict_ranking *rk,
                    const struct predict_item *it);

/* Hands a card computed elsewhere (the risk ranking, for its drill-down)
 * to the next asset_doc_load() of that asset in that store, so that the
 * card repeats the numbers of the row it was opened from.  Used once. */
void asset_rel_prime(struct store *s, const struct asset_rel *r);

/* ---- the document ---- */

enum {
	AL_TEXT, AL_HEAD, AL_PARENT, AL_CHILD, AL_METER, AL_WO, AL_DONE, AL_MORE_WO, AL_EVENT, AL_REL
};

struct asset_line {
	char text[240];
	int role;                  /* theme role */
	int kind;                  /* AL_* */
	int ref;                   /* index into meters, wos, events or children */
};

#define AD_MAX_METERS 32
#define AD_MAX_WOS 40
#define AD_MAX_DONE 5
#define AD_MAX_EVENTS 60
#define AD_MAX_CHILDREN 40

struct asset_meter_row {
	char name[64];
	char unit[16];
	int kind;
	double value;              /* NAN without a reading */
	int64_t at;
};
struct asset_wo_row {
	char number[32];
	char title[160];
	int status, priority;
	int64_t due;
	int overdue;
};
struct asset_ev_row {
	int64_t at;
	int kind;
	char code[32];
	char wo[32];
	char notes[160];
};
struct asset_child_row {
	char tag[64];
	char name[128];
};

struct asset_doc {
	struct wr_asset as;
	int loaded;
	int full;                  /* meters, work, children and history loaded */
	struct asset_rel rel;
	struct asset_meter_row meters[AD_MAX_METERS];
	int nmeters;
	struct asset_wo_row wos[AD_MAX_WOS];
	int nwos;
	int64_t wo_total;          /* open work orders in all */
	struct asset_wo_row done[AD_MAX_DONE];   /* the latest finished work */
	int ndone;
	struct asset_ev_row events[AD_MAX_EVENTS];
	int nevents, events_total;
	double *fail;              /* every failure on record, days since 1970, oldest first */
	size_t nfail, capfail;
	int fail_lost;             /* 1: out of memory collecting them */
	struct asset_child_row children[AD_MAX_CHILDREN];
	int nchildren, children_total;
	struct asset_line *lines;  /* ref: index into meters, wos, done, events or children */
	int nlines, caplines;
	int width, utf8;           /* the lines are laid out for these */
};

/* Loads the asset (full: with meters, open work, sub-assets and history).
 * Keeps a reliability card already computed for the same asset; otherwise
 * the card is AR_PENDING.  Returns WR_OK or an error (d is then empty). */
int asset_doc_load(struct store *s, const char *tag, int full, struct asset_doc *d,
                   struct wr_err *e);
/* Builds the lines for a width (again when the width, the character set
 * or the data changed; asset_doc_invalidate forces it). */
int asset_doc_layout(struct asset_doc *d, int width, int utf8);
void asset_doc_invalidate(struct asset_doc *d);
void asset_doc_free(struct asset_doc *d);
/* Draws lines [top, top + h) at (y, x); the line sel is highlighted and
 * marked ">" (sel -1: no selection). */
void asset_doc_draw(struct app *a, WINDOW *w, int y, int x, int h, int wd,
                    const struct asset_doc *d, int top, int sel);
/* The reliability curve of a computed card in a box at (y, x): a heading,
 * the plot and a legend; for a repaired asset its failures counted, N(t),
 * beside the fitted mean count.  Draws an explanation instead when the
 * card has no curve or the box is too small. */
void asset_rel_draw_plot(struct app *a, WINDOW *w, int y, int x, int h, int wd,
                         const struct asset_doc *d);

#endif
