/*
 * cmd_sync.c - `wrench sync`: one sync with the plant's wrench-central
 * (sync/engine.c), and `wrench sync --status`: what this device knows of
 * its server without asking it.
 *
 * The server, token file and CA file are remembered in the database after
 * the first sync that worked, so later runs need no options.  The token
 * itself is never stored or printed: it stays in its file, which must be
 * readable by its owner alone (as ssh insists for a private key).
 *
 * Exit status: 0 everything was exchanged and nothing waits for the user;
 * 3 the sync finished but conflicts or rejected edits wait (they are
 * listed); 1 it could not finish (network, token, server), saying why.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "store_sync.h"
#include "sync.h"

#define CLI_WAITING 3

static const struct arg_opt sync_opts[] = {
	{"server", 0, 1, "URL", "the wrench-central server, https://HOST:PORT (remembered)"},
	{"token-file", 0, 1, "FILE", "a file holding this device's token, readable by you alone "
	 "(remembered)"},
	{"ca-file", 0, 1, "FILE", "the plant's own CA certificate, PEM (remembered)"},
	{"status", 0, 0, NULL, "show the server, user, last sync and what waits; no network"},
	{"format", 0, 1, "FMT", "with --status: text (default) or json"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec sync_spec = {
	"sync", "",
	"Sends this device's edits to the plant's wrench-central server and brings its\n"
	"changes here.  Edits made offline wait in the database until the next sync.\n"
	"The server and token file are remembered after the first sync that worked.",
	sync_opts, 0, 0, NULL,
	"exit status: 0 everything was exchanged; 3 conflicts or rejected edits wait\n"
	"(listed; see 'wrench conflicts'); 1 the sync could not finish (the message\n"
	"says why); 2 usage."
};

/* ---------------------------------------------------------- the token */

/* Reads the token from path into tok (65 bytes): 0, or an exit code with
 * the message printed (sync_token_read checks the file's mode as ssh
 * does a private key's). */
static int read_token(const struct cli *c, const char *path, char tok[65])
{
	struct wr_err e = {0, ""};

	if (sync_token_read(path, tok, &e) != WR_OK)
		return cli_failf(c, CLI_BAD, "%s", e.msg);
	return 0;
}

/* ---------------------------------------------------------- settings */

struct target {
	const char *server, *token_file, *ca_file;
	char token_path[PATH_MAX], ca_path[PATH_MAX];
};

/* The options, else what the database remembers; 0 or an exit code. */
static int pick_target(const struct cli *c, const struct args *a,
                       const struct store_sync_state *st, struct target *t)
{
	t->server = args_get(a, "server") ? args_get(a, "server") : st->server;
	t->token_file = args_get(a, "token-file") ? args_get(a, "token-file") : st->token_file;
	t->ca_file = args_get(a, "ca-file") ? args_get(a, "ca-file") : st->ca_file;
	if (!t->server[0])
		return args_usage(c, "no server yet: pass --server URL and --token-file FILE the "
		                  "first time (they are remembered)");
	if (!t->token_file[0])
		return args_usage(c, "no token yet: pass --token-file FILE (a file holding the "
		                  "token 'wrench-central token add' printed; chmod 600)");
	/* Remembered as absolute paths: the next sync may run elsewhere. */
	if (!realpath(t->token_file, t->token_path))
		wr_strlcpy(t->token_path, t->token_file, sizeof t->token_path);
	if (!t->ca_file[0] || !realpath(t->ca_file, t->ca_path))
		wr_strlcpy(t->ca_path, t->ca_file, sizeof t->ca_path);
	t->ca_file = t->ca_path;
	return 0;
}

/* ---------------------------------------------------------- progress */

struct show {
	int tty;        /* stdout is a terminal: a progress line */
	int shown;
};

static void on_progress(void *ctx, const struct sync_progress *p)
{
	struct show *sh = ctx;
	double rate = p->seconds > 0 ? (double)(p->pushed + p->pulled) / p->seconds : 0;

	if (!sh->tty)
		return;
	printf("\r\033[Ksync: %s: %lld pushed, %lld pulled (%.0f records/s)", p->phase,
	       (long long)p->pushed, (long long)p->pulled, rate);
	fflush(stdout);
	sh->shown = 1;
}

static void on_retry(void *ctx, const char *line)
{
	struct show *sh = ctx;

	if (sh->shown)
		fputs("\r\033[K", stdout);
	sh->shown = 0;
	fprintf(stderr, "wrench: sync: ");
	out_printf(stderr, "%s\n", line);
}

/* -------------------------------------------------------------- sync */

static void summary(const struct target *t, const struct sync_outcome *o, double seconds)
{
	fputs("synced with ", stdout);
	out_put(stdout, t->server);
	if (o->user[0])
		out_printf(stdout, " as %s (%s)", o->user, o->role);
	printf(": %lld pushed, %lld pulled in %.1f s", (long long)o->pushed, (long long)o->pulled,
	       seconds);
	if (o->reset)
		fputs("; the server's database was re-created: this device's recent edits were "
		      "sent again", stdout);
	if (o->conflicts || o->rejected)
		printf("; %lld conflict%s and %lld rejected edit%s wait (wrench conflicts)",
		       (long long)o->conflicts, o->conflicts == 1 ? "" : "s", (long long)o->rejected,
		       o->rejected == 1 ? "" : "s");
	putchar('\n');
}

static double seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Opens the transport and runs one sync; the sync_rc, with e saying why. */
static int exchange(struct cli *c, const struct target *t, const char *token, struct show *sh,
                    struct sync_outcome *out, struct wr_err *e)
{
	struct sync_options so;
	struct sync_run_opts ro;
	struct sync_transport *tr;
	int rc;

	memset(&so, 0, sizeof so);
	so.url = t->server;
	so.token = token;
	so.ca_file = t->ca_file[0] ? t->ca_file : NULL;
	so.log = on_retry;
	so.log_ctx = sh;
	if ((rc = sync_central_open(&so, &tr, e)) != SYNC_OK)
		return rc;
	memset(&ro, 0, sizeof ro);
	ro.progress = on_progress;
	ro.ctx = sh;
	rc = sync_run(c->st, tr, &ro, out, e);
	sync_close(tr);
	return rc;
}

static int sync_now(struct cli *c, const struct args *a)
{
	struct store_sync_state st;
	struct target t;
	struct show sh = {out_is_terminal(stdout), 0};
	struct sync_outcome out;
	struct wr_err e = {0, ""};
	char token[65];
	double t0 = seconds_now();
	int rc;

	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	if (store_sync_state(c->st, &st, &e) != WR_OK)
		return cli_fail(c, &e);
	if ((rc = pick_target(c, a, &st, &t)) != 0 || (rc = read_token(c, t.token_path, token)) != 0)
		return rc;
	rc = exchange(c, &t, token, &sh, &out, &e);
	memset(token, 0, sizeof token);
	if (sh.shown)
		fputs("\r\033[K", stdout);
	if (rc != SYNC_OK)
		return cli_failf(c, CLI_BAD, "could not finish: %s", e.msg);
	if (store_sync_remember(c->st, t.server, t.token_path, t.ca_file, &e) != WR_OK)
		return cli_fail(c, &e);
	summary(&t, &out, seconds_now() - t0);
	if (!out.conflicts && !out.rejected)
		return CLI_OK;
	rc = cli_sync_issues_print(c, OUT_TABLE);
	return rc ? rc : CLI_WAITING;
}

/* ------------------------------------------------------------ status */

static void status_text(const struct store_sync_state *st)
{
	char when[WR_DATE_BUF];

	fputs("server:         ", stdout);
	out_put(stdout, st->server[0] ? st->server : "(none yet: wrench sync --server URL)");
	fputs("\nuser:           ", stdout);
	out_put(stdout, st->user[0] ? st->user : "(unknown until the first sync)");
	if (st->role[0])
		out_printf(stdout, " (%s)", st->role);
	printf("\nlast sync:      %s\n", st->last_sync ? wr_date_fmt(st->last_sync, when) : "never");
	if (st->last_error[0])
		out_printf(stdout, "last error:     %s\n", st->last_error);
	printf("edits waiting:  %lld\nconflicts:      %lld\nrejected edits: %lld\n",
	       (long long)st->pending, (long long)st->conflicts, (long long)st->rejected);
}

/* By the JSON convention (writers.h): null for what is not set, the last
 * sync an instant in RFC 3339 UTC. */
static void status_json(const struct store_sync_state *st)
{
	struct wr_json js;
	static const char *const key[] = {"server", "device", "user", "role"};
	const char *const v[] = {st->server, st->device, st->user, st->role};

	wr_json_init(&js, stdout, out_write);
	wr_json_object(&js, 0);
	for (size_t i = 0; i < sizeof key / sizeof *key; i++) {
		wr_json_key(&js, key[i]);
		wr_json_text(&js, v[i]);
	}
	wr_json_key(&js, "last_sync");
	wr_json_time(&js, st->last_sync ? st->last_sync : WR_NO_TIME);
	wr_json_key(&js, "last_error");
	wr_json_text(&js, st->last_error);
	wr_json_key(&js, "pending");
	wr_json_int(&js, (long long)st->pending);
	wr_json_key(&js, "conflicts");
	wr_json_int(&js, (long long)st->conflicts);
	wr_json_key(&js, "rejected");
	wr_json_int(&js, (long long)st->rejected);
	wr_json_end(&js);
}

static int sync_status(struct cli *c, const struct args *a)
{
	struct store_sync_state st;
	struct wr_err e = {0, ""};
	int json, rc;

	if ((rc = out_format_text(c, args_get(a, "format"), &json)) != 0)
		return rc;
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	if (store_sync_state(c->st, &st, &e) != WR_OK)
		return cli_fail(c, &e);
	if (json)
		status_json(&st);
	else
		status_text(&st);
	return CLI_OK;
}

int cmd_sync(struct cli *c, int argc, char **argv)
{
	struct args a;
	int rc = args_parse(c, &sync_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (args_has(&a, "status")) {
		if (args_get(&a, "server") || args_get(&a, "token-file") || args_get(&a, "ca-file"))
			return args_usage(c, "--status asks nothing of the server: leave out --server, "
			                  "--token-file and --ca-file");
		return sync_status(c, &a);
	}
	if (args_get(&a, "format"))
		return args_usage(c, "--format goes with --status");
	return sync_now(c, &a);
}
