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

int klist_find(struct klist *l, int dir, int (*match)(const void *row, void *ctx), void *ctx,
               int max, int *found, struct wr_err *e)
{
	int moved = 0, rc = WR_OK, stalls = 0;

	*found = 0;
	while (moved < max && l->n > 0) {
		int before = l->cur, fetched = 0;

		if ((rc = klist_move(l, dir, e)) != WR_OK)
			return rc;
		if (l->cur == before) {
			/* The window's end: a scan may have more past it. */
			if (!klist_scanning(l) || ++stalls > max)
				break;
			if ((rc = klist_prefetch(l, &fetched, e)) != WR_OK)
				return rc;
			continue;
		}
		moved++;
		if (match(klist_cur(l), ctx)) {
			*found = 1;
			return WR_OK;
		}
	}
	return moved ? klist_move(l, -dir * moved, e) : WR_OK;
}
