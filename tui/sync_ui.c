/*
 * sync_ui.c - sync as the interface shows it: the state the device keeps
 * (store_sync_state: last sync, edits waiting, conflicts, rejected edits),
 * read again only when the database changed (store_change_stamp), the
 * background thread (syncbg.c) started once a server is remembered, and
 * the open screen reloaded when that thread has applied changes pulled
 * from the server.  The main loop calls app_sync_tick() while no key
 * comes; nothing here ever waits for the network.
 */
#include "app.h"
#include "store_sync.h"
#include "syncbg.h"
#include "sync_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How often the loop looks, in microseconds: a pulled change shows on the
 * open screen within about a second. */
#define TICK_US 500000

struct app_sync {
	struct syncbg *bg;          /* NULL until a server is remembered */
	struct store_sync_state st; /* as last read */
	int have_st;                /* st could be read */
	int64_t stamp;              /* store_change_stamp when st was read */
	struct syncbg_status bs;    /* the thread's state at the last tick */
	int64_t next_us;            /* the next tick */
	char shown[160];            /* the summary as last drawn */
	int start_failed;           /* the thread could not be made: said once */
};

void app_sync_start(struct app *a)
{
	a->sync = calloc(1, sizeof *a->sync);
	if (!a->sync)
		return;
	a->sync->stamp = -1;
	app_sync_refresh(a);
}

void app_sync_stop(struct app *a)
{
	if (!a->sync)
		return;
	syncbg_stop(a->sync->bg);
	free(a->sync);
	a->sync = NULL;
}

/* Reads the state again.  A new edit waiting makes the thread sync at
 * once rather than at the end of its long poll. */
static void read_state(struct app *a, struct app_sync *y)
{
	struct store_sync_state st;
	struct wr_err e = { 0, "" };

	if (store_sync_state(a->s, &st, &e) != WR_OK) {
		y->have_st = 0;
		return;
	}
	if (y->bg && y->have_st && st.pending > y->st.pending)
		syncbg_now(y->bg);
	y->st = st;
	y->have_st = 1;
}

void app_sync_refresh(struct app *a)
{
	struct app_sync *y = a->sync;
	struct wr_err e = { 0, "" };

	if (!y)
		return;
	if (store_change_stamp(a->s, &y->stamp, &e) != WR_OK)
		y->stamp = -1;
	read_state(a, y);
}

void app_sync_kick(struct app *a)
{
	app_sync_refresh(a);
	if (a->sync && a->sync->bg)
		syncbg_now(a->sync->bg);
}

const struct store_sync_state *app_sync_state(struct app *a)
{
	return a->sync && a->sync->have_st ? &a->sync->st : NULL;
}

const struct syncbg_status *app_sync_thread(struct app *a)
{
	return a->sync && a->sync->bg ? &a->sync->bs : NULL;
}

void app_sync_text(struct app *a, int form, char *buf, size_t n)
{
	const struct store_sync_state *st = app_sync_state(a);

	/* The store keeps the last sync on the plant's wall clock. */
	sync_text(st, app_sync_thread(a), wr_now(), form, buf, n);
}

/* Starts the thread once a server is remembered. */
static void start_thread(struct app *a, struct app_sync *y)
{
	struct wr_err e = { 0, "" };

	if (y->bg || y->start_failed || !y->have_st || !y->st.server[0])
		return;
	if (syncbg_start(&y->bg, store_path(a->s), store_actor(a->s), &e) != WR_OK) {
		y->start_failed = 1;
		app_msg_error(a, "Sync will not run in the background: %s", e.msg);
		return;
	}
	syncbg_status(y->bg, &y->bs);
}

/* The thread's state for the title bar and Home.  Changes it pulled reach
 * the open screen as every change made elsewhere does (app.c polls the
 * database's change stamp). */
static void read_thread(struct app_sync *y)
{
	if (y->bg)
		syncbg_status(y->bg, &y->bs);
}

int app_sync_tick(struct app *a)
{
	struct app_sync *y = a->sync;
	struct wr_err e = { 0, "" };
	int64_t stamp, now = app_now_us();
	int flags;
	char text[sizeof y->shown];

	if (!y || now < y->next_us || a->layout == LAYOUT_SMALL)
		return R_NONE;
	y->next_us = now + TICK_US;
	if (store_change_stamp(a->s, &stamp, &e) == WR_OK && stamp != y->stamp) {
		y->stamp = stamp;
		read_state(a, y);
	}
	start_thread(a, y);
	read_thread(y);
	flags = R_NONE;
	/* The title bar and Home show the summary: drawn again when it
	 * reads differently (a count, the phase, a minute gone by). */
	app_sync_text(a, SYNC_TEXT_HOME, text, sizeof text);
	if (strcmp(text, y->shown)) {
		wr_strlcpy(y->shown, text, sizeof y->shown);
		flags |= R_ALL;
	}
	return flags;
}

int app_sync_now(struct app *a)
{
	const struct store_sync_state *st;

	app_sync_refresh(a);
	st = app_sync_state(a);
	if (!st || !st->server[0]) {
		app_msg_error(a, "Sync is not set up: run 'wrench sync --server URL --token-file FILE' "
		                 "once.");
		return R_ALL;
	}
	start_thread(a, a->sync);
	if (!a->sync->bg)
		return R_ALL;
	syncbg_now(a->sync->bg);
	app_msg(a, "Syncing with %s...", st->server);
	return R_ALL;
}
