/*
 * enums.c - names of the enumerations in store.h and their parsers.
 *
 * Parsers are forgiving about spelling because the text comes from people
 * and from other systems' exports: case is ignored, surrounding blanks are
 * ignored, and a blank, '-' or '_' inside a name are interchangeable, so
 * "In Progress", "in-progress" and Atlas CMMS's "IN_PROGRESS" all match
 * "in_progress".  Each parser returns WR_OK, or WR_EINPUT leaving *out
 * untouched; callers write the message, since only they know the field.
 */
#include <ctype.h>
#include <string.h>

#include "store.h"

struct alias {
	const char *name;
	int value;
};

/* 1 when s (blanks around it ignored) spells name, where name is lower case
 * with '_' separators and s may use any case and ' ', '-' or '_'. */
static int spelled(const char *s, const char *name)
{
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
	                   s[len - 1] == '\n'))
		len--;
	for (size_t i = 0; i < len; i++, name++) {
		unsigned char c = (unsigned char)s[i];
		if (!*name)
			return 0;
		if (c == ' ' || c == '-')
			c = '_';
		if (tolower(c) != (unsigned char)*name)
			return 0;
	}
	return *name == '\0';
}

static int lookup(const struct alias *tab, size_t n, const char *s, int *out)
{
	if (!s)
		return WR_EINPUT;
	for (size_t i = 0; i < n; i++) {
		if (spelled(s, tab[i].name)) {
			*out = tab[i].value;
			return WR_OK;
		}
	}
	return WR_EINPUT;
}

#define LOOKUP(tab, s, out) lookup(tab, sizeof tab / sizeof tab[0], s, out)

/* ---------------------------------------------------------- asset status */

static const char *const asset_status_names[AS__COUNT] = {
	"operational", "down", "standby", "retired",
};

const char *wr_asset_status_name(int st)
{
	return st >= 0 && st < AS__COUNT ? asset_status_names[st] : "unknown";
}

/* Atlas CMMS has finer asset states than ours; they map by whether the asset
 * can run now and whether it still counts as a unit in service:
 *   INSPECTION_SCHEDULED  the asset still runs until inspected -> operational
 *   COMMISSIONING         installed but not yet in production  -> standby
 *   MODERNIZATION         taken out of service to be upgraded   -> down
 *   EMERGENCY_SHUTDOWN    stopped                               -> down
 *   DISPOSED, ARCHIVED    gone for good                         -> retired
 * A few everyday words ("running", "spare", "scrapped") are accepted too. */
static const struct alias asset_status_alias[] = {
	{"operational", AS_OPERATIONAL},
	{"down", AS_DOWN},
	{"standby", AS_STANDBY},
	{"retired", AS_RETIRED},
	{"inspection_scheduled", AS_OPERATIONAL},
	{"commissioning", AS_STANDBY},
	{"modernization", AS_DOWN},
	{"emergency_shutdown", AS_DOWN},
	{"disposed", AS_RETIRED},
	{"archived", AS_RETIRED},
	{"running", AS_OPERATIONAL},
	{"in_service", AS_OPERATIONAL},
	{"stand_by", AS_STANDBY},
	{"spare", AS_STANDBY},
	{"out_of_service", AS_DOWN},
	{"scrapped", AS_RETIRED},
	{"decommissioned", AS_RETIRED},
	/* Atlas's templates in French, German, Spanish, Portuguese, Italian and
	 * Dutch. */
	{"opérationnel", AS_OPERATIONAL}, {"operationnel", AS_OPERATIONAL},
	{"en_panne", AS_DOWN},            {"operativo", AS_OPERATIONAL},
	{"operatico", AS_OPERATIONAL},    {"caído", AS_DOWN},
	{"caido", AS_DOWN},               {"operacional", AS_OPERATIONAL},
	{"inoperante", AS_DOWN},          {"fermo", AS_DOWN},
	{"operationeel", AS_OPERATIONAL}, {"buiten_bedrijf", AS_DOWN},
	/* Maximo's asset states (domain LOCASSETSTATUS) and their usual
	 * synonyms: OPERATING or ACTIVE runs, NOT READY is not yet in service,
	 * BROKEN is down, DECOMMISSIONED is gone. */
	{"operating", AS_OPERATIONAL},    {"active", AS_OPERATIONAL},
	{"not_ready", AS_STANDBY},        {"broken", AS_DOWN},
};

int wr_asset_status_parse(const char *s, int *out)
{
	return LOOKUP(asset_status_alias, s, out);
}

/* ------------------------------------------------------------ event kind */

static const char *const event_kind_names[] = {"install", "failure", "replacement"};

const char *wr_event_kind_name(int k)
{
	return k >= EV_INSTALL && k <= EV_REPLACEMENT ? event_kind_names[k] : "unknown";
}

static const struct alias event_kind_alias[] = {
	{"install", EV_INSTALL},         {"installed", EV_INSTALL},
	{"installation", EV_INSTALL},    {"failure", EV_FAILURE},
	{"failed", EV_FAILURE},          {"fail", EV_FAILURE},
	{"replacement", EV_REPLACEMENT}, {"replaced", EV_REPLACEMENT},
	{"replace", EV_REPLACEMENT},
};

int wr_event_kind_parse(const char *s, int *out)
{
	return LOOKUP(event_kind_alias, s, out);
}

/* ------------------------------------------------------- work-order type */

static const char *const wo_type_names[WT__COUNT] = {
	"corrective", "preventive", "inspection", "request",
};

const char *wr_wo_type_name(int t)
{
	return t >= 0 && t < WT__COUNT ? wo_type_names[t] : "unknown";
}

/* Other systems call unplanned repair "reactive", "breakdown" or
 * "emergency" work and spell preventive "preventative"; a PM is preventive. */
static const struct alias wo_type_alias[] = {
	{"corrective", WT_CORRECTIVE}, {"reactive", WT_CORRECTIVE},
	{"breakdown", WT_CORRECTIVE},  {"emergency", WT_CORRECTIVE},
	{"repair", WT_CORRECTIVE},     {"cm", WT_CORRECTIVE},
	{"preventive", WT_PREVENTIVE}, {"preventative", WT_PREVENTIVE},
	{"pm", WT_PREVENTIVE},         {"planned", WT_PREVENTIVE},
	{"inspection", WT_INSPECTION}, {"request", WT_REQUEST},
	{"work_request", WT_REQUEST},
	/* Maximo's work types: CM corrective, EM emergency, PM preventive,
	 * CAL calibration (planned, like a PM), INSP inspection. */
	{"em", WT_CORRECTIVE},         {"cal", WT_PREVENTIVE},
	{"insp", WT_INSPECTION},
};

int wr_wo_type_parse(const char *s, int *out)
{
	return LOOKUP(wo_type_alias, s, out);
}

/* ----------------------------------------------------- work-order status */

static const char *const wo_status_names[WS__COUNT] = {
	"requested", "open", "in_progress", "on_hold", "done", "closed", "cancelled",
};

const char *wr_wo_status_name(int st)
{
	return st >= 0 && st < WS__COUNT ? wo_status_names[st] : "unknown";
}

/* Atlas CMMS uses OPEN, IN_PROGRESS, ON_HOLD and COMPLETE; COMPLETE is our
 * done (finished, not yet reviewed and closed). */
static const struct alias wo_status_alias[] = {
	{"requested", WS_REQUESTED}, {"request", WS_REQUESTED},
	{"open", WS_OPEN},           {"in_progress", WS_IN_PROGRESS},
	{"inprogress", WS_IN_PROGRESS}, {"started", WS_IN_PROGRESS},
	{"on_hold", WS_ON_HOLD},     {"onhold", WS_ON_HOLD},
	{"hold", WS_ON_HOLD},        {"done", WS_DONE},
	{"complete", WS_DONE},       {"completed", WS_DONE},
	{"closed", WS_CLOSED},       {"cancelled", WS_CANCELLED},
	{"canceled", WS_CANCELLED},
	/* Atlas's templates in French, German, Spanish, Portuguese, Italian and
	 * Dutch. */
	{"ouvert", WS_OPEN},         {"en_cours", WS_IN_PROGRESS},
	{"en_pause", WS_ON_HOLD},    {"termine", WS_DONE},
	{"terminé", WS_DONE},        {"offen", WS_OPEN},
	{"in_bearbeitung", WS_IN_PROGRESS}, {"in_wartestellung", WS_ON_HOLD},
	{"abgeschlossen", WS_DONE},  {"abierta", WS_OPEN},
	{"en_progreso", WS_IN_PROGRESS}, {"en_espera", WS_ON_HOLD},
	{"completa", WS_DONE},       {"aberto", WS_OPEN},
	{"em_andamento", WS_IN_PROGRESS}, {"em_espera", WS_ON_HOLD},
	{"concluído", WS_DONE},      {"concluido", WS_DONE},
	{"aperto", WS_OPEN},         {"in_corso", WS_IN_PROGRESS}, {"in_attesa", WS_ON_HOLD},
	{"completato", WS_DONE},     {"in_uitvoering", WS_IN_PROGRESS},
	{"in_de_wacht", WS_ON_HOLD}, {"voltooid", WS_DONE},
	/* Maximo: waiting for approval is a request; approved or waiting to be
	 * scheduled is open; waiting on material or on the plant's condition is
	 * on hold; COMP is done; HISTEDIT (edited in history) stays closed. */
	{"wappr", WS_REQUESTED},     {"appr", WS_OPEN},
	{"wsch", WS_OPEN},           {"wmatl", WS_ON_HOLD},
	{"wpcond", WS_ON_HOLD},      {"inprg", WS_IN_PROGRESS},
	{"comp", WS_DONE},           {"close", WS_CLOSED},
	{"can", WS_CANCELLED},       {"histedit", WS_CLOSED},
};

int wr_wo_status_parse(const char *s, int *out)
{
	return LOOKUP(wo_status_alias, s, out);
}

/* -------------------------------------------------------------- priority */

static const char *const priority_names[] = {"low", "medium", "high", "urgent"};

const char *wr_priority_name(int p)
{
	return p >= PR_LOW && p <= PR_URGENT ? priority_names[p - PR_LOW] : "unknown";
}

/* Atlas CMMS's NONE is a work order nobody ranked: low. */
static const struct alias priority_alias[] = {
	{"low", PR_LOW},       {"medium", PR_MEDIUM}, {"high", PR_HIGH},
	{"urgent", PR_URGENT}, {"1", PR_LOW},         {"2", PR_MEDIUM},
	{"3", PR_HIGH},        {"4", PR_URGENT},      {"none", PR_LOW},
	{"normal", PR_MEDIUM}, {"med", PR_MEDIUM},    {"critical", PR_URGENT},
	{"emergency", PR_URGENT},
	/* Atlas's templates in French, German, Spanish, Portuguese, Italian and
	 * Dutch. */
	{"aucune", PR_LOW},    {"basse", PR_LOW},     {"moyenne", PR_MEDIUM}, {"haute", PR_HIGH},
	{"keine", PR_LOW},     {"niedrig", PR_LOW},   {"hoch", PR_HIGH},      {"ninguna", PR_LOW},
	{"bajo", PR_LOW},      {"medio", PR_MEDIUM},  {"alto", PR_HIGH},      {"nenhum", PR_LOW},
	{"baixa", PR_LOW},     {"média", PR_MEDIUM},  {"media", PR_MEDIUM},   {"alta", PR_HIGH},
	{"nessuna", PR_LOW},   {"bassa", PR_LOW},     {"geen", PR_LOW},       {"laag", PR_LOW},
	{"gemiddeld", PR_MEDIUM}, {"hoog", PR_HIGH},
};

int wr_priority_parse(const char *s, int *out)
{
	return LOOKUP(priority_alias, s, out);
}

/* ----------------------------------------------------------- check result */

static const char *const check_result_names[] = {"pending", "pass", "fail", "na"};

const char *wr_check_result_name(int r)
{
	return r >= CR_PENDING && r <= CR_NA ? check_result_names[r] : "unknown";
}

/* ------------------------------------------------------------- lifecycle */

int wr_wo_transition_ok(int from, int to)
{
	/* allowed[from] is a bit set of the statuses reachable from it. */
	static const unsigned allowed[WS__COUNT] = {
		[WS_REQUESTED] = 1u << WS_OPEN | 1u << WS_CANCELLED,
		[WS_OPEN] = 1u << WS_IN_PROGRESS | 1u << WS_ON_HOLD | 1u << WS_DONE |
		            1u << WS_CANCELLED,
		[WS_IN_PROGRESS] = 1u << WS_ON_HOLD | 1u << WS_DONE | 1u << WS_CANCELLED,
		[WS_ON_HOLD] = 1u << WS_IN_PROGRESS | 1u << WS_CANCELLED,
		[WS_DONE] = 1u << WS_CLOSED | 1u << WS_IN_PROGRESS,
		[WS_CLOSED] = 0,
		[WS_CANCELLED] = 0,
	};
	if (from < 0 || from >= WS__COUNT || to < 0 || to >= WS__COUNT)
		return 0;
	return (allowed[from] >> to) & 1u;
}
