/*
 * sync_text.c - the sync state in words (sync_text.h).
 */
#include "sync_text.h"
#include "store_sync.h"
#include "syncbg.h"

#include <stdio.h>
#include <string.h>

void sync_ago(int64_t secs, int brief, char *buf, size_t n)
{
	if (secs < 0)
		secs = 0;
	if (secs < 60)
		snprintf(buf, n, "%s", brief ? "now" : "just now");
	else if (secs < 3600)
		snprintf(buf, n, brief ? "%lldm" : "%lld min ago", (long long)(secs / 60));
	else if (secs < 86400)
		snprintf(buf, n, brief ? "%lldh" : "%lld h ago", (long long)(secs / 3600));
	else if (brief)
		snprintf(buf, n, "%lldd", (long long)(secs / 86400));
	else
		snprintf(buf, n, "%lld day%s ago", (long long)(secs / 86400), secs < 2 * 86400 ? "" : "s");
}

/* What sync is doing, or when it last finished. */
static void state_words(const struct store_sync_state *st, const struct syncbg_status *bs,
                        int64_t now, int brief, char *buf, size_t n)
{
	char ago[32];
	int failed = bs ? bs->phase == SB_RETRY || bs->phase == SB_STOPPED : st->last_error[0] != 0;
	int offline = bs && bs->rc == SYNC_ETEMPORARY;

	if (bs && bs->phase == SB_SYNCING) {
		snprintf(buf, n, "%s", brief ? "sync.." : "syncing");
	} else if (failed) {
		snprintf(buf, n, "%s", offline ? "offline" : brief ? "sync err" : "sync failed");
	} else if (st->last_sync == 0) {
		snprintf(buf, n, "%s", brief ? "never" : "never synced");
	} else {
		sync_ago(now - st->last_sync, brief, ago, sizeof ago);
		snprintf(buf, n, "%s%s", brief ? "" : "synced ", ago);
	}
}

static void brief_text(const struct store_sync_state *st, const struct syncbg_status *bs,
                       int64_t now, char *buf, size_t n)
{
	char words[32];
	size_t len;

	state_words(st, bs, now, 1, words, sizeof words);
	len = (size_t)snprintf(buf, n, "%s", words);
	if (st->pending > 0 && len < n)
		len += (size_t)snprintf(buf + len, n - len, " +%lld", (long long)st->pending);
	if (st->conflicts + st->rejected > 0 && len < n)
		snprintf(buf + len, n - len, " !%lld", (long long)(st->conflicts + st->rejected));
}

/* What waits for the user first: at 40 columns the end is cut. */
static void home_text(const struct store_sync_state *st, const struct syncbg_status *bs,
                      int64_t now, char *buf, size_t n)
{
	char words[64];
	size_t len = 0;

	buf[0] = '\0';
	if (st->conflicts > 0)
		len += (size_t)snprintf(buf, n, "%lld conflict%s, ", (long long)st->conflicts,
		                        st->conflicts == 1 ? "" : "s");
	if (st->rejected > 0 && len < n)
		len += (size_t)snprintf(buf + len, n - len, "%lld rejected, ", (long long)st->rejected);
	if (st->pending > 0 && len < n)
		len += (size_t)snprintf(buf + len, n - len, "%lld to send, ", (long long)st->pending);
	state_words(st, bs, now, 0, words, sizeof words);
	if (len < n)
		snprintf(buf + len, n - len, "%s", words);
}

void sync_text(const struct store_sync_state *st, const struct syncbg_status *bs, int64_t now,
               int form, char *buf, size_t n)
{
	if (n == 0)
		return;
	buf[0] = '\0';
	if (!st || !st->server[0]) {
		if (form == SYNC_TEXT_HOME)
			snprintf(buf, n, "offline: sync not configured");
		return;
	}
	if (form == SYNC_TEXT_BRIEF)
		brief_text(st, bs, now, buf, n);
	else
		home_text(st, bs, now, buf, n);
}
