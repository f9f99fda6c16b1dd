/*
 * klist_action.c - the cursor keys of every list over a klist, in one
 * place, so that paging behaves the same on every screen.
 */
#include "keymap.h"
#include "klist.h"

int klist_action(struct klist *l, int act, int rows, struct wr_err *e)
{
	int page = rows > 1 ? rows - 1 : 1, rc;

	switch (act) {
	case ACT_UP:
		return klist_move(l, -1, e);
	case ACT_DOWN:
		return klist_move(l, 1, e);
	case ACT_PGUP:
		l->top -= page;
		if (l->top < 0)
			l->top = 0;
		return klist_move(l, -page, e);
	case ACT_PGDN:
		rc = klist_move(l, page, e);
		/* Keep the cursor at the same screen row: scroll with it. */
		if (l->cur >= l->top + rows)
			l->top = l->cur;
		return rc;
	case ACT_TOP:
		return klist_first(l, e);
	case ACT_BOTTOM:
		return klist_last(l, e);
	default:
		return -1;
	}
}
