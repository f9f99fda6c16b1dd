/*
 * wo_detail.h - the work-order detail view's state, shared by the view
 * (view_wo_detail.c) and its actions (wo_actions.c).
 */
#ifndef WRENCH_TUI_WO_DETAIL_H
#define WRENCH_TUI_WO_DETAIL_H

#include "app.h"
#include "screens.h"

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

#endif
