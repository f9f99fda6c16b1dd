/*
 * curl_api.c - libcurl, loaded the first time a sync needs it.
 *
 * Linked in, libcurl brings some thirty libraries (TLS, Kerberos, LDAP,
 * SSH, HTTP/2, IDN, ...) that the dynamic loader maps and relocates at the
 * start of every command: 10 ms of the 14 ms `wrench --version` took,
 * paid by `wo list`, the ranking and the terminal interface alike, which
 * never sync.  So the sync code calls libcurl through this table, filled
 * by dlopen() of the library's run-time name once, on first use; a device
 * without libcurl says so when it syncs and does everything else.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "internal.h"

#define CURL_SONAME "libcurl.so.4"

static struct sync_curl_api api;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char why[256];
static int loaded;

/* Each entry point: its name and where its pointer goes. */
static const struct {
	const char *name;
	size_t at;
} entry[] = {
	{"curl_global_init", offsetof(struct sync_curl_api, global_init)},
	{"curl_easy_init", offsetof(struct sync_curl_api, easy_init)},
	{"curl_easy_setopt", offsetof(struct sync_curl_api, easy_setopt)},
	{"curl_easy_perform", offsetof(struct sync_curl_api, easy_perform)},
	{"curl_easy_getinfo", offsetof(struct sync_curl_api, easy_getinfo)},
	{"curl_easy_cleanup", offsetof(struct sync_curl_api, easy_cleanup)},
	{"curl_easy_strerror", offsetof(struct sync_curl_api, easy_strerror)},
	{"curl_slist_append", offsetof(struct sync_curl_api, slist_append)},
	{"curl_slist_free_all", offsetof(struct sync_curl_api, slist_free_all)},
	{"curl_free", offsetof(struct sync_curl_api, free)},
	{"curl_getdate", offsetof(struct sync_curl_api, getdate)},
	{"curl_url", offsetof(struct sync_curl_api, url)},
	{"curl_url_cleanup", offsetof(struct sync_curl_api, url_cleanup)},
	{"curl_url_get", offsetof(struct sync_curl_api, url_get)},
	{"curl_url_set", offsetof(struct sync_curl_api, url_set)},
	{"curl_version_info", offsetof(struct sync_curl_api, version_info)},
};

static void load(void)
{
	void *lib = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	if (!lib) {
		const char *msg = dlerror();
		snprintf(why, sizeof why, "cannot load %s (Debian package libcurl4): %s", CURL_SONAME,
		         msg ? msg : "unknown error");
		return;
	}
	for (i = 0; i < sizeof entry / sizeof entry[0]; i++) {
		/* POSIX: a function's address from dlsym() converts through
		 * void *; it is copied, not cast, to keep ISO C quiet. */
		void *sym = dlsym(lib, entry[i].name);
		if (!sym) {
			snprintf(why, sizeof why, "%s has no %s: a libcurl older than 7.62", CURL_SONAME,
			         entry[i].name);
			return;   /* the library stays loaded: nothing else may use it */
		}
		memcpy((char *)&api + entry[i].at, &sym, sizeof sym);
	}
	loaded = 1;
}

const struct sync_curl_api *sync_curl(struct wr_err *e)
{
	if (pthread_once(&once, load) != 0) {
		if (e)
			wr_fail(e, WR_EINPUT, "cannot load libcurl: pthread_once failed");
		return NULL;
	}
	if (!loaded) {
		if (e)
			wr_fail(e, WR_EINPUT, "%s", why);
		return NULL;
	}
	return &api;
}
