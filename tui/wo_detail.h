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

#endif
