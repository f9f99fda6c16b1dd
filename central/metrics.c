/*
 * metrics.c - counters for GET /metrics in Prometheus's text format.
 */
#include <pthread.h>
#include <stdlib.h>

#include "central.h"

static const char *const ep_names[EP__COUNT] = {"health", "changes", "push", "resource",
                                                "users", "metrics", "other"};
static const double bounds[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NB (sizeof bounds / sizeof bounds[0])

static struct {
	pthread_mutex_t mu;
	unsigned long long req[EP__COUNT][600];
	unsigned long long bucket[NB];
	unsigned long long count;
	double sum;
	unsigned long long mut[MS__COUNT];
} m = {PTHREAD_MUTEX_INITIALIZER, {{0}}, {0}, 0, 0, {0}};

void metrics_request(int endpoint, int status, double seconds)
{
	pthread_mutex_lock(&m.mu);
	if (endpoint >= 0 && endpoint < EP__COUNT && status >= 0 && status < 600)
		m.req[endpoint][status]++;
	for (size_t i = 0; i < NB; i++)
		if (seconds <= bounds[i])
			m.bucket[i]++;
	m.count++;
	m.sum += seconds;
	pthread_mutex_unlock(&m.mu);
}

void metrics_mutation(int s)
{
	pthread_mutex_lock(&m.mu);
	if (s >= 0 && s < MS__COUNT)
		m.mut[s]++;
	pthread_mutex_unlock(&m.mu);
}

char *metrics_text(size_t *len)
{
	struct wr_buf b = {0};
	int size, in_use;

	pool_stats(&size, &in_use);
	pthread_mutex_lock(&m.mu);
	wr_buf_addf(&b, "# TYPE wrench_http_requests_total counter\n");
	for (int e = 0; e < EP__COUNT; e++)
		for (int s = 0; s < 600; s++)
			if (m.req[e][s])
				wr_buf_addf(&b, "wrench_http_requests_total{endpoint=\"%s\",status=\"%d\"} %llu\n",
				            ep_names[e], s, m.req[e][s]);
	wr_buf_addf(&b, "# TYPE wrench_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < NB; i++)
		wr_buf_addf(&b, "wrench_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", bounds[i],
		            m.bucket[i]);
	wr_buf_addf(&b, "wrench_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", m.count);
	wr_buf_addf(&b, "wrench_http_request_duration_seconds_sum %.6f\n", m.sum);
	wr_buf_addf(&b, "wrench_http_request_duration_seconds_count %llu\n", m.count);
	wr_buf_addf(&b, "# TYPE wrench_mutations_total counter\n");
	for (int s = 0; s < MS__COUNT; s++)
		wr_buf_addf(&b, "wrench_mutations_total{result=\"%s\"} %llu\n", mstatus_name(s), m.mut[s]);
	pthread_mutex_unlock(&m.mu);
	wr_buf_addf(&b, "# TYPE wrench_longpolls_waiting gauge\nwrench_longpolls_waiting %d\n",
	            longpoll_waiting());
	wr_buf_addf(&b, "# TYPE wrench_db_pool_connections gauge\nwrench_db_pool_connections %d\n", size);
	wr_buf_addf(&b, "# TYPE wrench_db_pool_in_use gauge\nwrench_db_pool_in_use %d\n", in_use);
	wr_buf_addf(&b, "# TYPE wrench_db_analyze_total counter\nwrench_db_analyze_total %llu\n",
	            analyze_runs());
	*len = b.len;
	return b.p;
}
