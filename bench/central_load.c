/*
 * central_load.c - the load generator of bench/central.sh: devices that
 * push, pull, sync in a loop or long-poll against a wrench-central server.
 * One thread drives every device through libcurl's multi interface, each
 * device a small state machine with its own device id, sequence numbers,
 * work order and pull cursor, and every request's latency is recorded from
 * the moment it is handed to libcurl to the end of its answer.
 *
 *   central_load push     URL TOKEN devices=8 batch=20 seconds=20
 *   central_load pull     URL TOKEN devices=8 seconds=15 gzip=0|1
 *   central_load sync     URL TOKEN devices=100 batch=5 seconds=30 [pause=MS]
 *                         [pid=P sample=S]
 *   central_load longpoll URL TOKEN admin=TOKEN polls=1000 pid=P
 *
 * A push is a batch of note creations on the device's own work order
 * (made by the device's first push, before the clock starts).  A sync
 * loop is a push, then pulls from the device's cursor until it is up to
 * date, then (with pause) a pause of 0.5 to 1.5 times pause ms.  pid names the server, whose resident memory is read from /proc.
 * Each mode prints one line of "name=value" figures (bench/central.sh
 * formats them).  Traffic goes only to URL.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

enum phase { PH_SETUP, PH_PUSH, PH_PULL, PH_POLL, PH_WAIT, PH_DONE };

struct dev {
	CURL *h;
	int i;
	char device[64];
	long long seq;
	char wo[WR_UUID_BUF];
	char cursor[512];
	enum phase phase;
	struct wr_buf req, resp;
	double t0, wake_at;
};

struct lat {
	double *v;
	size_t n, cap;
};

static struct {
	const char *url, *token, *admin;
	int devices, batch, polls, gzip, pid, sample, pause;
	double seconds;
	char tag[32];
} O;

static CURLM *multi;
static struct curl_slist *headers;
static struct lat lat_push, lat_pull;
static long long errors, pages, rows, bytes, batches, polls_done;
static double until_ms;
static int waiting_devices;   /* sync: devices pausing between syncs */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void lat_add(struct lat *l, double ms)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4096;
		double *nv = realloc(l->v, cap * sizeof *nv);
		if (!nv)
			return;
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n++] = ms;
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The p-th percentile (0..100) of l, by the nearest rank. */
static double lat_pct(struct lat *l, double p)
{
	size_t k;

	if (!l->n)
		return 0;
	qsort(l->v, l->n, sizeof *l->v, dbl_cmp);
	k = (size_t)(p / 100.0 * (double)l->n + 0.5);
	return l->v[k == 0 ? 0 : (k > l->n ? l->n - 1 : k - 1)];
}

static long rss_kb(int pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = atol(line + 6);
	fclose(f);
	return kb;
}

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct wr_buf *b = arg;
	return wr_buf_add(b, p, size * n) == WR_OK ? size * n : 0;
}

/* Hands the device's next request to libcurl: a GET of path, or a POST of
 * the device's req buffer when post is set. */
static void send_req(struct dev *d, const char *path, int post)
{
	char url[1024];

	snprintf(url, sizeof url, "%s%s", O.url, path);
	curl_easy_setopt(d->h, CURLOPT_URL, url);
	if (post) {
		curl_easy_setopt(d->h, CURLOPT_POSTFIELDS, d->req.p);
		curl_easy_setopt(d->h, CURLOPT_POSTFIELDSIZE, (long)d->req.len);
	} else {
		curl_easy_setopt(d->h, CURLOPT_HTTPGET, 1L);
	}
	d->resp.len = 0;
	if (d->resp.p)
		d->resp.p[0] = '\0';
	d->t0 = now_ms();
	curl_multi_add_handle(multi, d->h);
}

static void send_push(struct dev *d, int n)
{
	d->req.len = 0;
	wr_buf_addf(&d->req, "{\"device\":\"%s\",\"mutations\":[", d->device);
	for (int k = 0; k < n; k++) {
		char u[WR_UUID_BUF];
		wr_uuid_new(u);
		wr_buf_addf(&d->req,
		            "%s{\"seq\":%lld,\"entity\":\"notes\",\"op\":\"create\",\"uuid\":\"%s\","
		            "\"base_version\":0,\"fields\":{\"workorder\":{\"new\":\"%s\"},"
		            "\"author\":{\"new\":\"bench\"},\"at\":{\"new\":\"2025-03-02T06:58:10Z\"},"
		            "\"body\":{\"new\":\"Checked the seal at 40 bar; no leak, torque to spec.\"}}}",
		            k ? "," : "", ++d->seq, u, d->wo);
	}
	wr_buf_add(&d->req, "]}", 2);
	send_req(d, "/api/v1/push", 1);
}

static void send_setup(struct dev *d)
{
	d->req.len = 0;
	wr_buf_addf(&d->req,
	            "{\"device\":\"%s\",\"mutations\":[{\"seq\":%lld,\"entity\":\"workorders\","
	            "\"op\":\"create\",\"uuid\":\"%s\",\"base_version\":0,\"fields\":{"
	            "\"title\":{\"new\":\"Bench work order %d\"},\"number\":{\"new\":\"P-%s\"}}}]}",
	            d->device, ++d->seq, d->wo, d->i, d->device);
	send_req(d, "/api/v1/push", 1);
}

static void send_pull(struct dev *d, int wait)
{
	char path[700];

	snprintf(path, sizeof path, "/api/v1/changes?limit=500&cursor=%s%s", d->cursor,
	         wait ? "&wait=60" : "");
	send_req(d, path, 0);
}

static long long count_of(const struct wr_buf *b, const char *needle)
{
	long long n = 0;
	size_t k = strlen(needle);
	const char *p = b->p;

	while (p && (p = strstr(p, needle))) {
		n++;
		p += k;
	}
	return n;
}

/* Takes the page's rows and next cursor; 1 when more pages are ready. */
static int take_page(struct dev *d)
{
	const char *next = d->resp.p ? strstr(d->resp.p, "\"next\":\"") : NULL;
	size_t n;

	if (!next)
		return -1;
	next += 8;
	n = strcspn(next, "\"");
	if (n >= sizeof d->cursor)
		return -1;
	memcpy(d->cursor, next, n);
	d->cursor[n] = '\0';
	rows += count_of(&d->resp, "{\"entity\":");
	pages++;
	return strstr(next, "\"more\":true") != NULL;
}

static int push_ok(struct dev *d, long code, int n)
{
	return code == 200 && count_of(&d->resp, "\"status\":\"applied\"") == n;
}

/* ------------------------------------------------------------ the modes */

static void after_setup(struct dev *d, long code, double ms)
{
	(void)ms;
	errors += !push_ok(d, code, 1);
	d->phase = PH_DONE;
}

static void after_push_mode(struct dev *d, long code, double ms)
{
	lat_add(&lat_push, ms);
	batches++;
	errors += !push_ok(d, code, O.batch);
	if (now_ms() < until_ms)
		send_push(d, O.batch);
}

static void after_pull_mode(struct dev *d, long code, double ms)
{
	curl_off_t len = -1;

	lat_add(&lat_pull, ms);
	curl_easy_getinfo(d->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &len);
	bytes += len > 0 ? (long long)len : 0;
	if (code != 200 || take_page(d) < 0) {
		errors++;
		d->cursor[0] = '\0';
	} else if (strstr(d->resp.p, "\"more\":false")) {
		d->cursor[0] = '\0';   /* the end: walk the log again from the start */
	}
	if (now_ms() < until_ms)
		send_pull(d, 0);
}

/* A pause of about O.pause ms (0.5 to 1.5 times it), so that the devices
 * do not sync in step. */
static void pause_device(struct dev *d, double from)
{
	d->phase = PH_WAIT;
	d->wake_at = now_ms() + O.pause * (from + (double)rand() / RAND_MAX);
	waiting_devices++;
}

static void after_sync_mode(struct dev *d, long code, double ms)
{
	int more = 0;

	if (d->phase == PH_PUSH) {
		lat_add(&lat_push, ms);
		batches++;
		errors += !push_ok(d, code, O.batch);
		d->phase = PH_PULL;
		send_pull(d, 0);
		return;
	}
	lat_add(&lat_pull, ms);
	if (code != 200 || (more = take_page(d)) < 0)
		errors++;
	if (more > 0) {
		send_pull(d, 0);
	} else if (now_ms() < until_ms && O.pause > 0) {
		pause_device(d, 0.5);
	} else if (now_ms() < until_ms) {
		d->phase = PH_PUSH;
		send_push(d, O.batch);
	}
}

static double poll_t0;

static void after_poll(struct dev *d, long code, double ms)
{
	(void)ms;
	if (d->phase == PH_PUSH) {   /* the push that wakes them */
		errors += !push_ok(d, code, 1);
		lat_add(&lat_push, now_ms() - poll_t0);
		return;
	}
	lat_add(&lat_pull, now_ms() - poll_t0);
	polls_done++;
	if (code != 200 || count_of(&d->resp, "{\"entity\":") != 1)
		errors++;
}

/* ------------------------------------------------------------- the loop */

static void (*after)(struct dev *d, long code, double ms);

/* Runs transfers until none is left, or until stop() says so. */
static void drive(int (*stop)(void))
{
	int running = 1;

	while ((running > 0 || waiting_devices > 0) && !(stop && stop())) {
		CURLMsg *m;
		int q;
		curl_multi_perform(multi, &running);
		while ((m = curl_multi_info_read(multi, &q))) {
			struct dev *d;
			long code = 0;
			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&d);
			if (m->data.result == CURLE_OK)
				curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &code);
			curl_multi_remove_handle(multi, m->easy_handle);
			after(d, code, now_ms() - d->t0);
			running = 1;
		}
		curl_multi_poll(multi, NULL, 0, 50, NULL);
	}
}

static struct dev *devices_new(int n, const char *what)
{
	struct dev *ds = calloc((size_t)n, sizeof *ds);

	for (int i = 0; ds && i < n; i++) {
		struct dev *d = &ds[i];
		d->i = i;
		snprintf(d->device, sizeof d->device, "%s-%c%d", O.tag, what[0], i);
		wr_uuid_new(d->wo);
		d->h = curl_easy_init();
		curl_easy_setopt(d->h, CURLOPT_PRIVATE, (char *)d);
		curl_easy_setopt(d->h, CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(d->h, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(d->h, CURLOPT_WRITEDATA, &d->resp);
		curl_easy_setopt(d->h, CURLOPT_NOSIGNAL, 1L);
		if (O.gzip)
			curl_easy_setopt(d->h, CURLOPT_ACCEPT_ENCODING, "gzip");
	}
	return ds;
}

/* Every device's first push: its work order, before the clock starts. */
static void setup_all(struct dev *ds, int n)
{
	void (*was)(struct dev *d, long code, double ms) = after;

	after = after_setup;
	for (int i = 0; i < n; i++) {
		ds[i].phase = PH_SETUP;
		send_setup(&ds[i]);
	}
	drive(NULL);
	after = was;
}

static double run_push(void)
{
	struct dev *ds = devices_new(O.devices, "push");
	double t0;

	after = after_push_mode;
	setup_all(ds, O.devices);
	t0 = now_ms();
	until_ms = t0 + O.seconds * 1000;
	for (int i = 0; i < O.devices; i++) {
		ds[i].phase = PH_PUSH;
		send_push(&ds[i], O.batch);
	}
	drive(NULL);
	return (now_ms() - t0) / 1000.0;
}

static double run_pull(void)
{
	struct dev *ds = devices_new(O.devices, "pull");
	double t0 = now_ms();

	after = after_pull_mode;
	until_ms = t0 + O.seconds * 1000;
	for (int i = 0; i < O.devices; i++)
		send_pull(&ds[i], 0);
	drive(NULL);
	return (now_ms() - t0) / 1000.0;
}

static double next_sample;
static struct dev *sync_devs;

/* Between transfers: the soak's memory samples, printed as they are
 * taken, and the paused devices whose time has come. */
static int sync_tick(void)
{
	double now = now_ms();

	if (O.pid > 0 && O.sample > 0 && now >= next_sample) {
		printf("rss t=%.0f kb=%ld\n", (next_sample - (until_ms - O.seconds * 1000)) / 1000.0,
		       rss_kb(O.pid));
		fflush(stdout);
		next_sample += O.sample * 1000.0;
	}
	for (int i = 0; waiting_devices > 0 && i < O.devices; i++) {
		struct dev *d = &sync_devs[i];
		if (d->phase == PH_WAIT && now >= d->wake_at) {
			waiting_devices--;
			if (now < until_ms) {
				d->phase = PH_PUSH;
				send_push(d, O.batch);
			} else {
				d->phase = PH_DONE;
			}
		}
	}
	return 0;
}

/* Every device: push, pull until up to date, and again; with pause=MS, a
 * pause of about that long between syncs (the first staggered over it). */
static double run_sync(void)
{
	struct dev *ds = devices_new(O.devices, "sync");
	double t0;

	sync_devs = ds;
	setup_all(ds, O.devices);
	after = after_sync_mode;
	t0 = now_ms();
	until_ms = t0 + O.seconds * 1000;
	next_sample = t0;
	for (int i = 0; i < O.devices; i++) {
		if (O.pause > 0) {
			pause_device(&ds[i], 0.0);
		} else {
			ds[i].phase = PH_PUSH;
			send_push(&ds[i], O.batch);
		}
	}
	drive(sync_tick);
	return (now_ms() - t0) / 1000.0;
}

/* The server's count of parked polls, from /metrics; -1 when unknown. */
static long waiting_polls(void)
{
	struct wr_buf b = {0};
	struct curl_slist *h = NULL;
	char auth[200], url[600];
	const char *w;
	long n = -1;
	CURL *c = curl_easy_init();

	snprintf(auth, sizeof auth, "Authorization: Bearer %s", O.admin);
	snprintf(url, sizeof url, "%s/metrics", O.url);
	h = curl_slist_append(h, auth);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	if (curl_easy_perform(c) == CURLE_OK && b.p && (w = strstr(b.p, "\nwrench_longpolls_waiting ")))
		n = atol(w + strlen("\nwrench_longpolls_waiting "));
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	wr_buf_free(&b);
	return n;
}

/* The cursor at the end of the log, walked to with one device. */
static int tail_cursor(struct dev *d)
{
	for (int i = 0; i < 100000; i++) {
		long code = 0;
		int more;
		char path[700];
		snprintf(path, sizeof path, "%s/api/v1/changes?limit=500&cursor=%s", O.url, d->cursor);
		curl_easy_setopt(d->h, CURLOPT_URL, path);
		d->resp.len = 0;
		if (d->resp.p)
			d->resp.p[0] = '\0';
		if (curl_easy_perform(d->h) != CURLE_OK)
			return -1;
		curl_easy_getinfo(d->h, CURLINFO_RESPONSE_CODE, &code);
		if (code != 200 || (more = take_page(d)) < 0)
			return -1;
		if (!more)
			return 0;
	}
	return -1;
}

static double parked_next, parked_deadline;
static long parked_seen;

/* Stops the loop once every poll is parked (or after the deadline). */
static int parked(void)
{
	if (now_ms() < parked_next)
		return 0;
	parked_next = now_ms() + 250;
	parked_seen = waiting_polls();
	return parked_seen >= O.polls || now_ms() > parked_deadline;
}

static void run_longpoll(void)
{
	struct dev *ds = devices_new(O.polls + 1, "poll"), *pusher = &ds[O.polls];
	long rss0 = rss_kb(O.pid), rss1, within = 0;

	after = after_poll;
	if (tail_cursor(pusher) != 0) {
		fprintf(stderr, "central_load: cannot pull to the end of the log\n");
		exit(1);
	}
	pages = rows = 0;
	for (int i = 0; i < O.polls; i++) {
		wr_strlcpy(ds[i].cursor, pusher->cursor, sizeof ds[i].cursor);
		ds[i].phase = PH_POLL;
		send_pull(&ds[i], 1);
	}
	parked_deadline = now_ms() + 50000;
	drive(parked);
	rss1 = rss_kb(O.pid);
	pusher->phase = PH_PUSH;
	poll_t0 = now_ms();
	send_setup(pusher);
	drive(NULL);
	for (size_t i = 0; i < lat_pull.n; i++)
		within += lat_pull.v[i] <= 2000.0;
	printf("longpoll polls=%d parked=%ld rss_before_kb=%ld rss_parked_kb=%ld push_ms=%.1f"
	       " answered=%lld first_ms=%.1f p50_ms=%.1f p99_ms=%.1f last_ms=%.1f within_2s=%ld"
	       " errors=%lld\n",
	       O.polls, parked_seen, rss0, rss1, lat_push.n ? lat_push.v[0] : -1.0, polls_done,
	       lat_pct(&lat_pull, 0), lat_pct(&lat_pull, 50), lat_pct(&lat_pull, 99),
	       lat_pct(&lat_pull, 100), within, errors);
}

static void report(const char *mode, double secs)
{
	struct lat all = {0};

	for (size_t i = 0; i < lat_push.n; i++)
		lat_add(&all, lat_push.v[i]);
	for (size_t i = 0; i < lat_pull.n; i++)
		lat_add(&all, lat_pull.v[i]);
	if (!strcmp(mode, "push"))
		printf("push devices=%d batch=%d seconds=%.1f batches=%lld batches_per_s=%.1f"
		       " mutations_per_s=%.0f p50_ms=%.1f p99_ms=%.1f errors=%lld\n",
		       O.devices, O.batch, secs, batches, (double)batches / secs,
		       (double)batches * O.batch / secs, lat_pct(&lat_push, 50), lat_pct(&lat_push, 99),
		       errors);
	else if (!strcmp(mode, "pull"))
		printf("pull devices=%d gzip=%d seconds=%.1f pages=%lld pages_per_s=%.1f rows_per_s=%.0f"
		       " bytes_per_row=%.1f p50_ms=%.1f p99_ms=%.1f errors=%lld\n",
		       O.devices, O.gzip, secs, pages, (double)pages / secs, (double)rows / secs,
		       rows ? (double)bytes / (double)rows : 0, lat_pct(&lat_pull, 50),
		       lat_pct(&lat_pull, 99), errors);
	else
		printf("sync devices=%d batch=%d seconds=%.1f requests=%zu requests_per_s=%.1f"
		       " p50_ms=%.1f p99_ms=%.1f push_p50_ms=%.1f push_p99_ms=%.1f pull_p50_ms=%.1f"
		       " pull_p99_ms=%.1f errors=%lld\n",
		       O.devices, O.batch, secs, all.n, (double)all.n / secs, lat_pct(&all, 50),
		       lat_pct(&all, 99), lat_pct(&lat_push, 50), lat_pct(&lat_push, 99),
		       lat_pct(&lat_pull, 50), lat_pct(&lat_pull, 99), errors);
	free(all.v);
}

static const char *arg(int argc, char **argv, const char *name, const char *def)
{
	size_t n = strlen(name);
	for (int i = 4; i < argc; i++)
		if (!strncmp(argv[i], name, n) && argv[i][n] == '=')
			return argv[i] + n + 1;
	return def;
}

int main(int argc, char **argv)
{
	char auth[200];
	const char *mode = argc > 3 ? argv[1] : "";

	if (strcmp(mode, "push") && strcmp(mode, "pull") && strcmp(mode, "sync") &&
	    strcmp(mode, "longpoll")) {
		fprintf(stderr, "usage: central_load push|pull|sync|longpoll URL TOKEN [name=value...]\n");
		return 2;
	}
	O.url = argv[2];
	O.token = argv[3];
	O.admin = arg(argc, argv, "admin", O.token);
	O.devices = atoi(arg(argc, argv, "devices", "8"));
	O.batch = atoi(arg(argc, argv, "batch", "20"));
	O.seconds = atof(arg(argc, argv, "seconds", "20"));
	O.gzip = atoi(arg(argc, argv, "gzip", "0"));
	O.polls = atoi(arg(argc, argv, "polls", "1000"));
	O.pid = atoi(arg(argc, argv, "pid", "0"));
	O.sample = atoi(arg(argc, argv, "sample", "0"));
	O.pause = atoi(arg(argc, argv, "pause", "0"));
	/* Device ids differ from run to run (the server keeps their receipts),
	 * and stay short: "P-<device>" must fit a work-order number. */
	snprintf(O.tag, sizeof O.tag, "%08lx", ((unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16)) & 0xffffffffUL);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", O.token);
	headers = curl_slist_append(headers, auth);
	headers = curl_slist_append(headers, "Content-Type: application/json");
	multi = curl_multi_init();
	if (!strcmp(mode, "longpoll"))
		run_longpoll();
	else
		report(mode, !strcmp(mode, "push")   ? run_push()
		             : !strcmp(mode, "pull") ? run_pull()
		                                     : run_sync());
	return 0;
}
