/*
 * faultproxy.c - a loopback TCP proxy that damages HTTP/1.1 traffic on
 * purpose, for the sync fault tests (tests/central/t_sync_faults.sh,
 * t_sync_random.sh) and the throttled-link benchmark (bench/sync.sh).
 * It sits between `wrench sync` and wrench-central:
 *
 *   faultproxy --to 127.0.0.1:PORT [--listen PORT] [--seed N] [--log FILE]
 *              [--cut-after MIN[-MAX]] [--cut-dir up|down|both]
 *              [--fail-every K] [--fail-with 500|garbage|mixed]
 *              [--truncate-every K] [--path PREFIX]
 *              [--delay MS] [--rate BITS-PER-SECOND]
 *
 *   --cut-after     each connection is closed once this many bytes have
 *                   passed through it (counted in --cut-dir, default both);
 *                   with MIN-MAX a number drawn per connection
 *   --fail-every    every K-th request is not forwarded: the client gets an
 *                   HTTP 500 (problem+json), or garbage (random bytes that
 *                   are no HTTP, or a 200 whose body is no JSON), and the
 *                   connection is closed
 *   --truncate-every  the answer to every K-th request loses the end of its
 *                   body: Content-Length is rewritten to the shorter length,
 *                   so the HTTP framing is sound and only the (gzip) body
 *                   is cut
 *   --path          only requests whose path starts with PREFIX count for
 *                   --fail-every and --truncate-every
 *   --delay         every byte is held this long in each direction
 *   --rate          each direction is throttled to this many bits per
 *                   second (all connections together)
 *   --seed          the seed of every random choice (default 1)
 *
 * It listens on 127.0.0.1 (port 0, the default, picks a free one) and
 * prints the port on standard output once it accepts connections.  The log
 * (default standard error) has one line per event, which the tests read to
 * know that a fault really happened, or when a request has been answered:
 *
 *   req N conn C METHOD PATH        a request's head arrived
 *   fail N 500|garbage-raw|garbage-json
 *   resp N conn C status S length L (-1: not given)
 *   truncate N L -> M
 *   sent N status S METHOD PATH     the answer's last byte went to the client
 *                                   (S 0: the proxy's garbage)
 *   cut conn C after B bytes
 *
 * Plain C and POSIX, one thread, poll().  A test tool: it trusts its
 * command line and gives up (exit 2) on a bad one.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 256
#define HEAD_MAX 16384
#define QUEUE_HIGH (256 * 1024) /* stop reading a side while this much waits */
#define DRAIN_SECONDS 10.0

/* ------------------------------------------------------------ options */

struct opts {
	const char *to_host;
	int to_port, listen_port;
	uint64_t seed;
	long cut_min, cut_max; /* 0: never */
	int cut_up, cut_down;  /* which directions count */
	long fail_every, truncate_every;
	int fail_with;         /* 0: 500, 1: garbage, 2: mixed */
	const char *path;
	double delay;          /* seconds */
	double rate;           /* bytes per second, 0: unlimited */
};
static struct opts O;
static FILE *logfile;

/* ---------------------------------------------------- random numbers */

static uint64_t rng_state;
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}
/* Uniform in [lo, hi]. */
static long rnd_range(long lo, long hi)
{
	return hi <= lo ? lo : lo + (long)(rnd() % (uint64_t)(hi - lo + 1));
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(logfile, fmt, ap);
	va_end(ap);
	fputc('\n', logfile);
	fflush(logfile);
}

/* ------------------------------------------------------------- queues
 * What goes from one side to the other waits in a queue of chunks, each
 * with the time it may leave (--delay).  A chunk without data is a mark:
 * a line to log once everything before it was written, the end of the
 * direction (shutdown), or the end of the connection (a cut). */
enum mark { M_DATA, M_LOG, M_SHUT, M_CLOSE };
struct chunk {
	struct chunk *next;
	enum mark mark;
	double due, made;      /* when it may leave, when it came */
	size_t len, off;
	unsigned char data[];
};
struct queue {
	struct chunk *head, *tail;
	size_t bytes;
};

/* Out of memory the proxy gives up: a test tool, it must not limp on. */
static void queue_add(struct queue *q, enum mark m, const void *data, size_t len)
{
	struct chunk *c = malloc(sizeof *c + len);
	if (!c) {
		perror("faultproxy");
		exit(1);
	}
	c->next = NULL;
	c->mark = m;
	c->made = now();
	c->due = c->made + O.delay;
	c->len = len;
	c->off = 0;
	if (len)
		memcpy(c->data, data, len);
	if (q->tail)
		q->tail->next = c;
	else
		q->head = c;
	q->tail = c;
	q->bytes += len;
}

static void queue_pop(struct queue *q)
{
	struct chunk *c = q->head;
	q->head = c->next;
	if (!q->head)
		q->tail = NULL;
	q->bytes -= c->len - c->off;
	free(c);
}

static void queue_clear(struct queue *q)
{
	while (q->head)
		queue_pop(q);
}

/* ------------------------------------------------------ HTTP framing
 * Each direction follows the messages it carries (no pipelining: curl
 * sends a request after the previous answer): a head up to the blank line,
 * then a body of Content-Length bytes, chunks, or everything until the
 * connection closes. */
enum hstate { H_HEAD, H_BODY, H_CHUNK_SIZE, H_CHUNK_DATA, H_CHUNK_END, H_TRAILER, H_RAW };
struct framing {
	enum hstate st;
	char head[HEAD_MAX];
	size_t hlen;
	long long left;  /* H_BODY, H_CHUNK_DATA: bytes of it still to come */
	long long keep;  /* H_BODY: bytes of it still to forward (a truncation) */
	long req;        /* the request this message belongs to */
	char what[80];   /* its method and path */
	int status;      /* an answer's status */
};

/* What the answer to a request will suffer; a small ring per connection. */
#define PENDING 8
struct conn {
	int used, id;
	int cfd, sfd;              /* client and server sockets, -1 closed */
	int connected;             /* the server socket's connect finished */
	struct queue up, down;     /* to the server, to the client */
	struct framing fup, fdown;
	int up_eof, down_eof;      /* a side said it has nothing more to send */
	int up_shut, down_shut;    /* the shutdown was passed on */
	long long bytes, cut_at;   /* counted bytes; 0: no cut */
	int dead;                  /* cut or failed: reading stopped */
	double drain_until;        /* after a synthetic answer: wait for the client's end */
	long pend_req[PENDING];
	int pend_trunc[PENDING];
	char pend_what[PENDING][80];
	int pend_n;
	/* What the tests read instead of timing the proxy: data chunks that
	 * left only at their delay, and writes the rate held back. */
	long held, throttled;
};
static struct conn conns[MAX_CONNS];
static long requests, matching;
static double bucket_up, bucket_down, bucket_at;

static void conn_close(struct conn *c, const char *why)
{
	if (c->cfd >= 0)
		close(c->cfd);
	if (c->sfd >= 0)
		close(c->sfd);
	queue_clear(&c->up);
	queue_clear(&c->down);
	say("conn %d closed (%s) held %ld throttled %ld", c->id, why, c->held, c->throttled);
	c->used = 0;
}

/* Passes n bytes on in one direction, counting them towards the cut. */
static void forward(struct conn *c, int up, const char *p, size_t n)
{
	struct queue *q = up ? &c->up : &c->down;
	int counts = up ? O.cut_up : O.cut_down;

	if (c->dead || n == 0)
		return;
	if (c->cut_at > 0 && counts && c->bytes + (long long)n >= c->cut_at) {
		size_t part = (size_t)(c->cut_at - c->bytes);
		char line[64];
		queue_add(q, M_DATA, p, part);
		snprintf(line, sizeof line, "cut conn %d after %lld bytes", c->id, c->cut_at);
		queue_add(q, M_LOG, line, strlen(line) + 1);
		queue_add(q, M_CLOSE, NULL, 0);
		c->bytes = c->cut_at;
		c->dead = 1;
		return;
	}
	if (counts)
		c->bytes += (long long)n;
	queue_add(q, M_DATA, p, n);
}

/* "sent N status S METHOD PATH", logged once everything before it was
 * written. */
static void log_sent(struct queue *q, long n, int status, const char *what)
{
	char line[128];
	snprintf(line, sizeof line, "sent %ld status %d %s", n, status, what);
	queue_add(q, M_LOG, line, strlen(line) + 1);
}

/* The value of header NAME in a head, or NULL. */
static const char *header(const char *head, const char *name, char *buf, size_t n)
{
	size_t nl = strlen(name);
	for (const char *l = strstr(head, "\r\n"); l && l[2] != '\r'; l = strstr(l + 2, "\r\n")) {
		const char *h = l + 2;
		if (!strncasecmp(h, name, nl) && h[nl] == ':') {
			const char *v = h + nl + 1, *end = strstr(v, "\r\n");
			size_t len;
			while (*v == ' ' || *v == '\t')
				v++;
			len = end ? (size_t)(end - v) : strlen(v);
			if (len >= n)
				len = n - 1;
			memcpy(buf, v, len);
			buf[len] = '\0';
			return buf;
		}
	}
	return NULL;
}

/* The framing of a message's body after its head.  A request without
 * Content-Length or chunks has no body; an answer runs until the close. */
static void body_start(struct framing *f, const char *head, int no_body, int request)
{
	char v[64];
	f->keep = -1;
	if (no_body) {
		f->st = H_HEAD;
	} else if (header(head, "Transfer-Encoding", v, sizeof v) && !strcasecmp(v, "chunked")) {
		f->st = H_CHUNK_SIZE;
		f->hlen = 0;
	} else if (header(head, "Content-Length", v, sizeof v)) {
		f->left = atoll(v);
		f->st = f->left > 0 ? H_BODY : H_HEAD;
	} else {
		f->st = request ? H_HEAD : H_RAW;
	}
}

static int path_matches(const char *path)
{
	return !O.path || !strncmp(path, O.path, strlen(O.path));
}

static const char garbage_json[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                   "Content-Length: 23\r\nConnection: close\r\n\r\n"
                                   "<html>not json</html>\r\n";
static const char problem_500[] =
	"{\"type\":\"urn:wrench:problem:internal\",\"title\":\"faultproxy\",\"status\":500,"
	"\"detail\":\"injected by faultproxy\"}";

/* Answers request n itself and ends the connection. */
static void fail_request(struct conn *c, long n)
{
	int draw = (int)((rnd() >> 33) % 6); /* high bits: the low ones repeat for small seeds */
	int kind = O.fail_with == 2 ? draw % 3 : O.fail_with == 0 ? 0 : 1 + draw % 2;
	unsigned char junk[512];

	if (kind == 0) {
		char head[256];
		int hl = snprintf(head, sizeof head,
		                 "HTTP/1.1 500 Internal Server Error\r\nContent-Type: "
		                 "application/problem+json\r\nContent-Length: %zu\r\n"
		                 "Connection: close\r\n\r\n", strlen(problem_500));
		queue_add(&c->down, M_DATA, head, (size_t)hl);
		queue_add(&c->down, M_DATA, problem_500, strlen(problem_500));
	} else if (kind == 1) {
		for (size_t i = 0; i < sizeof junk; i++)
			junk[i] = (unsigned char)rnd();
		queue_add(&c->down, M_DATA, junk, (size_t)rnd_range(1, sizeof junk));
	} else {
		queue_add(&c->down, M_DATA, garbage_json, strlen(garbage_json));
	}
	say("fail %ld %s", n, kind == 0 ? "500" : kind == 1 ? "garbage-raw" : "garbage-json");
	log_sent(&c->down, n, kind == 0 ? 500 : 0, c->fup.what);
	queue_add(&c->down, M_SHUT, NULL, 0);
	c->dead = 1;
	c->drain_until = now() + DRAIN_SECONDS;
	if (c->sfd >= 0)
		close(c->sfd);
	c->sfd = -1;
	queue_clear(&c->up);
}

static void request_head(struct conn *c)
{
	struct framing *f = &c->fup;
	char method[16] = "", path[256] = "";
	long n = ++requests;
	int hit, trunc = 0;

	sscanf(f->head, "%15s %255s", method, path);
	say("req %ld conn %d %s %s", n, c->id, method, path);
	f->req = n;
	snprintf(f->what, sizeof f->what, "%s %.60s", method, path);
	hit = path_matches(path);
	if (hit)
		matching++;
	if (hit && O.fail_every > 0 && matching % O.fail_every == 0) {
		fail_request(c, n);
		return;
	}
	if (hit && O.truncate_every > 0 && matching % O.truncate_every == 0)
		trunc = 1;
	if (c->pend_n < PENDING) {
		c->pend_req[c->pend_n] = n;
		memcpy(c->pend_what[c->pend_n], f->what, sizeof f->what);
		c->pend_trunc[c->pend_n++] = trunc;
	}
	forward(c, 1, f->head, f->hlen);
	body_start(f, f->head, 0, 1);
}

/* Rewrites the head's Content-Length to m (the head has room: m < L). */
static void set_length(struct framing *f, long long m)
{
	char *p, *v, *end, num[32];
	size_t nl;

	for (p = strstr(f->head, "\r\n"); p && strncasecmp(p, "\r\nContent-Length:", 17);
	     p = strstr(p + 2, "\r\n"))
		;
	if (!p)
		return;
	v = p + 17;
	end = strstr(v, "\r\n");
	nl = (size_t)snprintf(num, sizeof num, " %lld", m);
	memmove(v + nl, end, f->hlen - (size_t)(end - f->head) + 1);
	memcpy(v, num, nl);
	f->hlen = strlen(f->head);
}

static void response_head(struct conn *c)
{
	struct framing *f = &c->fdown;
	int status = 0, trunc = 0;
	char v[64];
	long long len;

	sscanf(f->head, "HTTP/%*s %d", &status);
	f->status = status;
	if (status >= 100 && status < 200) { /* an interim answer: the real one follows */
		forward(c, 0, f->head, f->hlen);
		return;
	}
	f->req = 0;
	strcpy(f->what, "?");
	if (c->pend_n > 0) {
		f->req = c->pend_req[0];
		trunc = c->pend_trunc[0];
		memcpy(f->what, c->pend_what[0], sizeof f->what);
		memmove(c->pend_req, c->pend_req + 1, sizeof(long) * (PENDING - 1));
		memmove(c->pend_trunc, c->pend_trunc + 1, sizeof(int) * (PENDING - 1));
		memmove(c->pend_what, c->pend_what + 1, sizeof c->pend_what[0] * (PENDING - 1));
		c->pend_n--;
	}
	len = header(f->head, "Content-Length", v, sizeof v) ? atoll(v) : -1;
	say("resp %ld conn %d status %d length %lld", f->req, c->id, status, len);
	body_start(f, f->head, status == 204 || status == 304, 0);
	if (trunc && f->st == H_BODY && len > 1) {
		f->keep = rnd_range(1, (long)len - 1);
		say("truncate %ld %lld -> %lld", f->req, len, f->keep);
		set_length(f, f->keep);
	}
	forward(c, 0, f->head, f->hlen);
	if (f->st == H_HEAD)
		log_sent(&c->down, f->req, f->status, f->what);
}

/* A message ended (its last byte is forwarded). */
static void message_end(struct conn *c, int up)
{
	struct framing *f = up ? &c->fup : &c->fdown;
	f->st = H_HEAD;
	f->hlen = 0;
	if (!up)
		log_sent(&c->down, f->req, f->status, f->what);
}

/* Collects a head; returns the bytes used. */
static size_t feed_head(struct conn *c, int up, const char *p, size_t n)
{
	struct framing *f = up ? &c->fup : &c->fdown;
	size_t i;

	for (i = 0; i < n; i++) {
		if (f->hlen + 1 >= HEAD_MAX) { /* not HTTP as we know it: pass it on */
			forward(c, up, f->head, f->hlen);
			f->st = H_RAW;
			return i;
		}
		f->head[f->hlen++] = p[i];
		if (f->hlen >= 4 && !memcmp(f->head + f->hlen - 4, "\r\n\r\n", 4)) {
			f->head[f->hlen] = '\0';
			if (up)
				request_head(c);
			else
				response_head(c);
			if (f->st == H_HEAD) /* no body: the next head starts afresh */
				f->hlen = 0;
			return i + 1;
		}
	}
	return n;
}

static size_t feed_body(struct conn *c, int up, const char *p, size_t n)
{
	struct framing *f = up ? &c->fup : &c->fdown;
	size_t take = (long long)n < f->left ? n : (size_t)f->left;
	size_t pass = take;

	if (f->keep >= 0) {
		pass = (long long)take < f->keep ? take : (size_t)f->keep;
		f->keep -= (long long)pass;
	}
	forward(c, up, p, pass);
	f->left -= (long long)take;
	if (f->left == 0 && f->st == H_BODY)
		message_end(c, up);
	else if (f->left == 0)
		f->st = H_CHUNK_END;
	return take;
}

/* Chunk sizes and the ends of chunks are lines; they are forwarded as
 * they are and only read to find where the message ends. */
static size_t feed_chunk_line(struct conn *c, int up, const char *p, size_t n)
{
	struct framing *f = up ? &c->fup : &c->fdown;
	size_t i;

	for (i = 0; i < n; i++) {
		if (f->hlen + 1 < HEAD_MAX)
			f->head[f->hlen++] = p[i];
		if (p[i] != '\n')
			continue;
		forward(c, up, p, i + 1);
		f->head[f->hlen] = '\0';
		if (f->st == H_CHUNK_SIZE) {
			f->left = strtoll(f->head, NULL, 16);
			f->st = f->left > 0 ? H_CHUNK_DATA : H_TRAILER;
		} else if (f->st == H_CHUNK_END) {
			f->st = H_CHUNK_SIZE;
		} else if (f->hlen <= 2) { /* the trailer's blank line */
			f->hlen = 0;
			message_end(c, up);
			return i + 1;
		}
		f->hlen = 0;
		return i + 1;
	}
	forward(c, up, p, n);
	return n;
}

/* Runs bytes read from one side through its framing. */
static void feed(struct conn *c, int up, const char *p, size_t n)
{
	struct framing *f = up ? &c->fup : &c->fdown;

	while (n > 0 && !c->dead) {
		size_t used;
		switch (f->st) {
		case H_HEAD: used = feed_head(c, up, p, n); break;
		case H_BODY:
		case H_CHUNK_DATA: used = feed_body(c, up, p, n); break;
		case H_CHUNK_SIZE:
		case H_CHUNK_END:
		case H_TRAILER: used = feed_chunk_line(c, up, p, n); break;
		default: forward(c, up, p, n); used = n; break;
		}
		p += used;
		n -= used;
	}
}

/* --------------------------------------------------------- the sockets */

static int nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void conn_open(int lfd)
{
	struct sockaddr_in a;
	int cfd = accept(lfd, NULL, NULL), sfd, one = 1, i;
	static int ids;

	if (cfd < 0)
		return;
	for (i = 0; i < MAX_CONNS && conns[i].used; i++)
		;
	if (i == MAX_CONNS || nonblock(cfd) < 0 || (sfd = socket(AF_INET, SOCK_STREAM, 0)) < 0) {
		close(cfd);
		return;
	}
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)O.to_port);
	inet_pton(AF_INET, O.to_host, &a.sin_addr);
	nonblock(sfd);
	setsockopt(sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(sfd, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS) {
		close(sfd);
		close(cfd);
		return;
	}
	memset(&conns[i], 0, sizeof conns[i]);
	conns[i] = (struct conn){.used = 1, .id = ++ids, .cfd = cfd, .sfd = sfd};
	if (O.cut_min > 0)
		conns[i].cut_at = rnd_range(O.cut_min, O.cut_max);
	say("conn %d open", conns[i].id);
}

/* Reads what one side sent.  Returns -1 when the connection ended. */
static int conn_read(struct conn *c, int up)
{
	char buf[16384];
	int fd = up ? c->cfd : c->sfd;
	ssize_t n = read(fd, buf, sizeof buf);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < 0) {
		conn_close(c, up ? "client reset" : "server reset");
		return -1;
	}
	if (c->dead) { /* draining after a synthetic answer, or cut */
		if (n == 0 && up) {
			conn_close(c, "client done");
			return -1;
		}
		return 0;
	}
	if (n == 0) {
		queue_add(up ? &c->up : &c->down, M_SHUT, NULL, 0);
		*(up ? &c->up_eof : &c->down_eof) = 1;
		return 0;
	}
	feed(c, up, buf, (size_t)n);
	return 0;
}

/* The most the rate lets through at once: a twentieth of a second's worth. */
static double burst(void)
{
	return O.rate / 20 > 512 ? O.rate / 20 : 512;
}

/* The bytes the rate lets through now in one direction. */
static size_t allowance(int up)
{
	double t = now();
	if (O.rate <= 0)
		return (size_t)-1;
	bucket_up += (t - bucket_at) * O.rate;
	bucket_down += (t - bucket_at) * O.rate;
	bucket_at = t;
	if (bucket_up > burst())
		bucket_up = burst();
	if (bucket_down > burst())
		bucket_down = burst();
	return (size_t)(up ? bucket_up : bucket_down);
}

/* Handles a mark at the head of a queue; returns -1 when the connection ended. */
static int conn_mark(struct conn *c, int up, struct chunk *k)
{
	int fd = up ? c->sfd : c->cfd;

	if (k->mark == M_LOG) {
		say("%s", (char *)k->data);
	} else if (k->mark == M_CLOSE) {
		conn_close(c, "cut");
		return -1;
	} else if (k->mark == M_SHUT && fd >= 0) {
		shutdown(fd, SHUT_WR);
		*(up ? &c->up_shut : &c->down_shut) = 1;
	}
	queue_pop(up ? &c->up : &c->down);
	return 0;
}

/* Whether a direction has something to write now (else the poll's
 * timeout brings it back when its time comes).  A throttled one waits
 * until it may write a whole burst, or the rest of its chunk, so that it
 * does not write a few bytes at a time. */
static int wants_write(struct conn *c, int up)
{
	struct queue *q = up ? &c->up : &c->down;
	size_t left;

	if (!q->head || q->head->due > now())
		return 0;
	if (q->head->mark != M_DATA || O.rate <= 0)
		return 1;
	left = q->head->len - q->head->off;
	if ((double)allowance(up) >= ((double)left < burst() ? (double)left : burst()))
		return 1;
	c->throttled++;
	return 0;
}

/* Writes what may leave now in one direction. */
static int conn_write(struct conn *c, int up)
{
	struct queue *q = up ? &c->up : &c->down;
	int fd = up ? c->sfd : c->cfd;

	while (q->head && q->head->due <= now()) {
		struct chunk *k = q->head;
		size_t want = k->len - k->off, may = allowance(up);
		ssize_t n;

		if (k->mark != M_DATA) {
			if (conn_mark(c, up, k) < 0)
				return -1;
			continue;
		}
		if (fd < 0 || (up && !c->connected) || !wants_write(c, up))
			return 0;
		if (k->off == 0 && k->due > k->made)
			c->held++;
		n = write(fd, k->data + k->off, want < may ? want : may);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n < 0) {
			conn_close(c, up ? "server gone" : "client gone");
			return -1;
		}
		if (O.rate > 0)
			*(up ? &bucket_up : &bucket_down) -= (double)n;
		k->off += (size_t)n;
		q->bytes -= (size_t)n;
		if (k->off == k->len)
			queue_pop(q);
	}
	return 0;
}

static int conn_finished(struct conn *c)
{
	if (c->dead && c->drain_until > 0 && now() > c->drain_until)
		return 1;
	return c->up_shut && c->down_shut && !c->up.head && !c->down.head;
}

/* How long the poll may sleep for one queue: until its head is due, or
 * (throttled) until the rate lets a little more through; a head due and
 * not throttled waits for POLLOUT instead. */
static double queue_wait(const struct queue *q, double t, double w)
{
	if (!q->head)
		return w;
	if (q->head->due > t)
		return q->head->due - t < w ? q->head->due - t : w;
	return O.rate > 0 && w > 0.01 ? 0.01 : w;
}

/* The poll timeout in milliseconds. */
static int next_wakeup(void)
{
	double t = now(), w = 1.0;
	for (int i = 0; i < MAX_CONNS; i++) {
		if (!conns[i].used)
			continue;
		w = queue_wait(&conns[i].up, t, w);
		w = queue_wait(&conns[i].down, t, w);
		if (conns[i].drain_until > 0 && conns[i].drain_until - t < w)
			w = conns[i].drain_until - t;
	}
	return w <= 0 ? 0 : (int)(w * 1000) + 1;
}

/* The server socket's connect finished: 0, or -1 (and the connection
 * closed) when it failed. */
static int connect_done(struct conn *c)
{
	int err = 0;
	socklen_t l = sizeof err;

	getsockopt(c->sfd, SOL_SOCKET, SO_ERROR, &err, &l);
	if (err) {
		conn_close(c, "server refused");
		return -1;
	}
	c->connected = 1;
	return 0;
}

static int hung(const struct pollfd *p)
{
	return p && (p->revents & (POLLHUP | POLLERR));
}

static int readable(const struct pollfd *p)
{
	return p && (p->revents & (POLLIN | POLLHUP | POLLERR));
}

/* Reads what either side sent; -1 when the connection ended. */
static int read_sides(struct conn *c, const struct pollfd *pc, const struct pollfd *ps)
{
	/* A side that hung up after its end of data is gone for good. */
	if ((c->up_eof && hung(pc)) || (c->down_eof && hung(ps))) {
		conn_close(c, "hung up");
		return -1;
	}
	if (readable(pc) && (c->dead || !c->up_eof) && conn_read(c, 1) < 0)
		return -1;
	if (readable(ps) && c->connected && !c->dead && !c->down_eof && conn_read(c, 0) < 0)
		return -1;
	return 0;
}

static void events(struct conn *c, const struct pollfd *pc, const struct pollfd *ps)
{
	if (ps && (ps->revents & (POLLOUT | POLLERR | POLLHUP)) && !c->connected &&
	    connect_done(c) < 0)
		return;
	if (read_sides(c, pc, ps) < 0)
		return;
	if (conn_write(c, 1) < 0 || conn_write(c, 0) < 0)
		return;
	if (conn_finished(c))
		conn_close(c, "done");
}

static short client_events(struct conn *c)
{
	short ev = wants_write(c, 0) ? POLLOUT : 0;
	if (c->dead || (c->up.bytes < QUEUE_HIGH && !c->up_eof))
		ev |= POLLIN;
	return ev;
}

static short server_events(struct conn *c)
{
	short ev = (wants_write(c, 1) || !c->connected) ? POLLOUT : 0;
	if (!c->dead && c->down.bytes < QUEUE_HIGH && !c->down_eof)
		ev |= POLLIN;
	return ev;
}

static void loop(int lfd)
{
	struct pollfd pf[1 + 2 * MAX_CONNS];
	int map[1 + 2 * MAX_CONNS];

	for (;;) {
		int n = 1;
		pf[0] = (struct pollfd){.fd = lfd, .events = POLLIN};
		for (int i = 0; i < MAX_CONNS; i++) {
			struct conn *c = &conns[i];
			if (!c->used)
				continue;
			if (c->cfd >= 0) {
				pf[n] = (struct pollfd){.fd = c->cfd, .events = client_events(c)};
				map[n++] = i;
			}
			if (c->sfd >= 0) {
				pf[n] = (struct pollfd){.fd = c->sfd, .events = server_events(c)};
				map[n++] = i;
			}
		}
		if (poll(pf, (nfds_t)n, next_wakeup()) < 0 && errno != EINTR) {
			perror("faultproxy: poll");
			exit(1);
		}
		if (pf[0].revents & POLLIN)
			conn_open(lfd);
		for (int i = 0; i < MAX_CONNS; i++) {
			const struct pollfd *pc = NULL, *ps = NULL;
			if (!conns[i].used)
				continue;
			for (int j = 1; j < n; j++) {
				if (map[j] != i)
					continue;
				if (pf[j].fd == conns[i].cfd)
					pc = &pf[j];
				else
					ps = &pf[j];
			}
			events(&conns[i], pc, ps);
		}
	}
}

/* ------------------------------------------------------------- main */

static void usage(void)
{
	fprintf(stderr, "usage: faultproxy --to HOST:PORT [--listen PORT] [--seed N] [--log FILE]\n"
	                "  [--cut-after MIN[-MAX]] [--cut-dir up|down|both] [--fail-every K]\n"
	                "  [--fail-with 500|garbage|mixed] [--truncate-every K] [--path PREFIX]\n"
	                "  [--delay MS] [--rate BITS-PER-SECOND]\n");
	exit(2);
}

static long num(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0)
		usage();
	return v;
}

static void parse_to(const char *s)
{
	static char host[64];
	const char *colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof host)
		usage();
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	O.to_host = host;
	O.to_port = (int)num(colon + 1);
}

static void parse_cut(const char *s)
{
	char a[32];
	const char *dash = strchr(s, '-');
	if (!dash) {
		O.cut_min = O.cut_max = num(s);
		return;
	}
	if ((size_t)(dash - s) >= sizeof a)
		usage();
	memcpy(a, s, (size_t)(dash - s));
	a[dash - s] = '\0';
	O.cut_min = num(a);
	O.cut_max = num(dash + 1);
	if (O.cut_max < O.cut_min)
		usage();
}

/* The index of v among names (NULL-terminated); a wrong word is a usage error. */
static int choice(const char *v, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(v, names[i]))
			return i;
	usage();
	return -1;
}

static void parse_word(const char *k, const char *v)
{
	static const char *const dirs[] = {"up", "down", "both", NULL};
	static const char *const fails[] = {"500", "garbage", "mixed", NULL};

	if (!strcmp(k, "--cut-dir")) {
		int d = choice(v, dirs);
		O.cut_up = d != 1;
		O.cut_down = d != 0;
	} else if (!strcmp(k, "--fail-with")) {
		O.fail_with = choice(v, fails);
	} else if (!strcmp(k, "--log")) {
		if (!(logfile = fopen(v, "a"))) {
			perror(v);
			exit(2);
		}
	} else {
		usage();
	}
}

static void parse_opt(const char *k, const char *v)
{
	if (!strcmp(k, "--to"))
		parse_to(v);
	else if (!strcmp(k, "--cut-after"))
		parse_cut(v);
	else if (!strcmp(k, "--path"))
		O.path = v;
	else if (!strcmp(k, "--listen"))
		O.listen_port = (int)num(v);
	else if (!strcmp(k, "--seed"))
		O.seed = (uint64_t)num(v);
	else if (!strcmp(k, "--fail-every"))
		O.fail_every = num(v);
	else if (!strcmp(k, "--truncate-every"))
		O.truncate_every = num(v);
	else if (!strcmp(k, "--delay"))
		O.delay = (double)num(v) / 1000.0;
	else if (!strcmp(k, "--rate"))
		O.rate = (double)num(v) / 8.0;
	else
		parse_word(k, v);
}

static int listen_on(int port)
{
	struct sockaddr_in a;
	socklen_t l = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 64) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &l) < 0 || nonblock(fd) < 0) {
		perror("faultproxy: cannot listen");
		exit(1);
	}
	printf("%d\n", ntohs(a.sin_port));
	fflush(stdout);
	return fd;
}

int main(int argc, char **argv)
{
	logfile = stderr;
	O.seed = 1;
	O.cut_up = O.cut_down = 1;
	for (int i = 1; i < argc; i += 2) {
		if (i + 1 >= argc)
			usage();
		parse_opt(argv[i], argv[i + 1]);
	}
	if (!O.to_host)
		usage();
	rng_state = O.seed;
	signal(SIGPIPE, SIG_IGN);
	bucket_at = now();
	say("faultproxy: seed %llu", (unsigned long long)O.seed);
	loop(listen_on(O.listen_port));
	return 0;
}
