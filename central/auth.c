/*
 * auth.c - bearer tokens: 32 random bytes shown once as hexadecimal, kept
 * only as their SHA-256, looked up by hash and compared in constant time.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "central.h"

static const char *const role_names[RO__COUNT] = {"technician", "planner", "admin"};

const char *role_name(int r)
{
	return r >= 0 && r < RO__COUNT ? role_names[r] : "unknown";
}

int role_parse(const char *s)
{
	for (int i = 0; s && i < RO__COUNT; i++)
		if (!strcmp(s, role_names[i]))
			return i;
	return -1;
}

void token_new(char hex[65])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, 65, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
}

int token_hash_hex(const char *hex, unsigned char hash[32])
{
	if (strlen(hex) != 64)
		return WR_EINPUT;
	for (int i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)hex[i]) || isupper((unsigned char)hex[i]))
			return WR_EINPUT;
	crypto_hash_sha256(hash, (const unsigned char *)hex, 64);
	return WR_OK;
}

/* Parses a PostgreSQL text[] of plain site codes ("{A,B}") into p. */
static void parse_sites(const char *arr, struct principal *p)
{
	char buf[1200];
	char *save = NULL;

	p->nsites = 0;
	wr_strlcpy(buf, arr, sizeof buf);
	if (buf[0] != '{')
		return;
	buf[strcspn(buf, "}")] = '\0';
	for (char *t = strtok_r(buf + 1, ",", &save); t && p->nsites < SITES_MAX;
	     t = strtok_r(NULL, ",", &save)) {
		if (t[0] == '"') {
			t++;
			t[strcspn(t, "\"")] = '\0';
		}
		wr_strlcpy(p->sites[p->nsites++], t, sizeof p->sites[0]);
	}
}

int auth_lookup(PGconn *c, const char *authorization, struct principal *p, struct wr_err *e)
{
	static const char sql[] =
		"SELECT t.id, u.name, u.role, t.sites, t.hash FROM token t"
		" JOIN app_user u ON u.id = t.user_id"
		" WHERE t.hash = decode($1, 'hex') AND t.revoked_at IS NULL";
	unsigned char hash[32], stored[32];
	char hashhex[65];
	const char *params[1] = {hashhex};
	PGresult *r;
	int rc = WR_ENOTFOUND;

	if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
		return WR_ENOTFOUND;
	if (token_hash_hex(authorization + 7, hash) != WR_OK)
		return WR_ENOTFOUND;
	sodium_bin2hex(hashhex, sizeof hashhex, hash, sizeof hash);
	if (!(r = db_exec(c, sql, 1, params, e, NULL)))
		return WR_EDB;
	if (PQntuples(r) == 1) {
		/* The index found the row by hash; the comparison that decides is
		 * the constant-time one. */
		const char *hx = PQgetvalue(r, 0, 4);
		size_t n = 0;
		if (!strncmp(hx, "\\x", 2) &&
		    sodium_hex2bin(stored, sizeof stored, hx + 2, strlen(hx + 2), NULL, &n, NULL) == 0 &&
		    n == sizeof stored && sodium_memcmp(stored, hash, sizeof hash) == 0) {
			p->token_id = atoll(PQgetvalue(r, 0, 0));
			wr_strlcpy(p->user, PQgetvalue(r, 0, 1), sizeof p->user);
			p->role = role_parse(PQgetvalue(r, 0, 2));
			parse_sites(PQgetvalue(r, 0, 3), p);
			rc = p->role >= 0 ? WR_OK : WR_ENOTFOUND;
		}
	}
	PQclear(r);
	return rc;
}

int principal_sees(const struct principal *p, const char *site)
{
	if (p->nsites == 0)
		return 1;
	if (!site || !site[0])
		return 0;
	for (int i = 0; i < p->nsites; i++)
		if (!strcmp(p->sites[i], site))
			return 1;
	return 0;
}

const char *principal_sites_array(const struct principal *p, char *buf, size_t n)
{
	size_t len = 0;

	if (p->nsites == 0)
		return NULL;
	len += (size_t)snprintf(buf, n, "{");
	for (int i = 0; i < p->nsites && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s\"%s\"", i ? "," : "", p->sites[i]);
	if (len < n)
		snprintf(buf + len, n - len, "}");
	return buf;
}
