/*
 * wo_detail.h - the work-order detail view's state, shared by the view
 * (view_wo_detail.c) and its actions (wo_actions.c).
 */
#ifndef WRENCH_TUI_WO_DETAIL_H
#define WRENCH_TUI_WO_DETAIL_H

#include "app.h"
#include "screens.h"

/* A change to the work order the detail shows, made in one transaction
 * and based on the versions the view loaded (wo_save.c): field sets, a
 * checklist item, a new status (after booking the running timers when
 * book is set).  redo says which editor "reload and redo" opens again. */
#define WO_PLAN_MAX 8
enum wo_redo { REDO_NONE, REDO_EDIT, REDO_RECORD, REDO_STATUS, REDO_CHECK, REDO_CODES };
struct wo_plan {
	int n;
	char field[WO_PLAN_MAX][24];
	char value[WO_PLAN_MAX][256];
	int check_seq;          /* > 0: set this checklist item */
	int check_result;
	char check_note[160];
	int64_t check_version;  /* the item's version it is based on */
	int to;                 /* a new status, or -1 */
	int book;               /* stop and book running timers before it */
	int64_t base;           /* the work order's version it is based on */
	int redo;               /* enum wo_redo */
	int completing;         /* REDO_RECORD: the form completes the work */
	int booked;             /* out: minutes booked */
};

struct detail {
	struct view *v;
	char number[32];
	struct wo_doc doc;
	int sel, top;          /* selected line and first line shown */
	int rows;              /* body rows at the last draw */
	int width;             /* text width at the last draw */
	int code_kind;         /* the code list being picked */
	/* The failure record form (wo_record.c): its code pick lists, and
	 * whether saving it completes the work order. */
	struct code_choices {
		char (*labels)[128];
		const char **codes;    /* the form's choices: pointers into labels */
		int n, cap;
	} codes[3];
	int completing;
	int pending_to;        /* a final status waiting for its confirmation */
	int timer_switch;      /* starting the timer stops the person's other one */
	int timer_start_wo;    /* starting the timer starts the work order */
	struct wo_plan pending;   /* a save refused as stale, while its conflict shows */
};

/* Re-reads the work order from the store (after every change). */
int wo_detail_reload(struct app *a, struct detail *d);
/* The item under the selection, or NULL. */
const struct wo_doc_item *wo_detail_sel_item(struct detail *d);
/* Selects the first line of the first item of a kind (a checklist item:
 * with that seq), after a reload. */
void wo_detail_select(struct detail *d, int kind, int seq);

/* The actions (wo_actions.c); each returns R_* flags. */
int wo_act_status(struct app *a, struct detail *d);
int wo_act_timer(struct app *a, struct detail *d);
int wo_act_note(struct app *a, struct detail *d);
int wo_act_part(struct app *a, struct detail *d);
int wo_act_codes(struct app *a, struct detail *d);
int wo_act_check(struct app *a, struct detail *d);
int wo_act_edit(struct app *a, struct detail *d);

/* Recording work right (wo_record.c): a status change (asks before final
 * ones, asks for the failure record when completing corrective work, books
 * the running timer), the failure record form, starting the timer (offers
 * to start the work order, asks before stopping the person's other timer),
 * and freeing the form's code lists. */
int wo_rec_status(struct app *a, struct detail *d, int to);
int wo_rec_failure(struct app *a, struct detail *d);
int wo_rec_timer_start(struct app *a, struct detail *d);
void wo_rec_free(struct detail *d);
/* Opens the failure record form again (completing: it completes the work). */
int wo_rec_open(struct app *a, struct detail *d, int completing);

/* Saving (wo_save.c).  wo_plan_init starts an empty plan based on what
 * the view loaded; wo_plan_set adds a field (WR_OK, or WR_EINPUT when the
 * plan is full).  wo_save runs it: WR_OK when saved (the view reloaded),
 * or when the save was refused because the work order changed since the
 * view loaded it: the conflict screen is then open and *conflict set;
 * otherwise the error, in e.  wo_save_act does the same for an action (a
 * key, a pick list), showing an error as a message; it returns R_* flags
 * and sets *saved when the plan was saved. */
void wo_plan_init(struct wo_plan *p, const struct detail *d, int redo);
int wo_plan_set(struct wo_plan *p, const char *field, const char *value);
int wo_save(struct app *a, struct detail *d, struct wo_plan *p, int *conflict,
            struct wr_err *e);
int wo_save_act(struct app *a, struct detail *d, struct wo_plan *p, int *saved);

#endif
