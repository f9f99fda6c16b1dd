/*
 * checkpointer.c - while an empty device's first sync loads the plant, the
 * WAL is copied into the database by a thread of its own, on a connection
 * of its own, instead of by the commit of whichever page crossed SQLite's
 * threshold.  A checkpoint of a large load writes thousands of pages at
 * random places and waits for the disk (fdatasync): a sixth of the
 * pull's time spent between two pages, during which nothing was applied.
 * A PASSIVE checkpoint runs beside the writer (WAL mode lets it): it
 * copies what is committed and takes no lock the writer waits for; once
 * it has copied everything, the writer's next transaction starts the WAL
 * from its beginning again.  The page's commits stay as durable as before
 * (synchronous=NORMAL: the WAL is synced at every checkpoint).
 */
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"

struct store_ckpt {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	sqlite3 *db;   /* the thread's own connection */
	int kicked, stop;
};

static void *run(void *arg)
{
	struct store_ckpt *c = arg;
	int log, done;

	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (!c->kicked && !c->stop)
			pthread_cond_wait(&c->cv, &c->mu);
		if (c->stop)
			break;
		c->kicked = 0;
		pthread_mutex_unlock(&c->mu);
		/* Busy (another checkpoint runs): the next kick tries again;
		 * an error: the writer's own checkpoint at the load's end. */
		(void)sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
		pthread_mutex_lock(&c->mu);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

static void ckpt_free(struct store_ckpt *c)
{
	sqlite3_close(c->db);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

/* The thread and its connection; NULL when either cannot be had (the
 * commits then checkpoint as usual). */
static struct store_ckpt *ckpt_new(const char *path)
{
	struct store_ckpt *c = calloc(1, sizeof *c);

	if (!c)
		return NULL;
	if (pthread_mutex_init(&c->mu, NULL) != 0) {
		free(c);
		return NULL;
	}
	if (pthread_cond_init(&c->cv, NULL) != 0) {
		pthread_mutex_destroy(&c->mu);
		free(c);
		return NULL;
	}
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	        SQLITE_OK ||
	    sqlite3_exec(c->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) != SQLITE_OK ||
	    pthread_create(&c->th, NULL, run, c) != 0) {
		ckpt_free(c);
		return NULL;
	}
	return c;
}

/* Wakes the thread for one checkpoint (kicks in between run as one). */
static void kick(struct store *s)
{
	if (!s->ckpt)
		return;
	pthread_mutex_lock(&s->ckpt->mu);
	s->ckpt->kicked = 1;
	pthread_cond_signal(&s->ckpt->cv);
	pthread_mutex_unlock(&s->ckpt->mu);
}

/* SQLite's WAL hook, after each commit: the thread is woken once the WAL
 * holds CKPT_FRAMES pages, as SQLite's own checkpoint would run at 1,000;
 * more at a time, since each checkpoint waits for the disk once. */
#define CKPT_FRAMES 4000
static int on_commit(void *arg, sqlite3 *db, const char *name, int frames)
{
	(void)db;
	(void)name;
	if (frames >= CKPT_FRAMES)
		kick(arg);
	return SQLITE_OK;
}

int store_checkpointer(struct store *s, int on)
{
	if (on && !s->ckpt && (s->ckpt = ckpt_new(s->path)) != NULL)
		sqlite3_wal_hook(s->db, on_commit, s);
	if (!on && s->ckpt) {
		pthread_mutex_lock(&s->ckpt->mu);
		s->ckpt->stop = 1;
		pthread_cond_signal(&s->ckpt->cv);
		pthread_mutex_unlock(&s->ckpt->mu);
		pthread_join(s->ckpt->th, NULL);
		ckpt_free(s->ckpt);
		s->ckpt = NULL;
		sqlite3_wal_autocheckpoint(s->db, 1000);   /* SQLite's own hook again */
	}
	return s->ckpt != NULL;
}
