/*
 * test_csv_atlas.c - importing files as Atlas CMMS writes them: records
 * whose ID is blank get a key made from their name (stable when the file
 * is imported again, unique against records of other names), meters keep
 * their Category, schedules their days of the week, end date and due-date
 * delay, and work orders the dates the file gives.
 *
 * (The shipped templates themselves are imported by tests/cli/atlas.sh.)
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/testdb.h"
#include "csvio.h"
#include "store.h"

static struct store *S;
static char P[512];
static struct wr_err E;
static char FILE_PATH[600];
static struct csvio_result R;
static char BAD_WHY[600];

#define OK(call) ck_assert_msg((call) == WR_OK, "%s failed: %s (%s)", #call, E.msg, BAD_WHY)

static void setup(void)
{
	S = testdb_open(P, sizeof P);
	memset(&E, 0, sizeof E);
	snprintf(FILE_PATH, sizeof FILE_PATH, "%.*s/in.csv", (int)(strrchr(P, '/') - P), P);
}

static void teardown(void)
{
	remove(FILE_PATH);
	testdb_close(S, P);
	S = NULL;
}

static void on_bad(size_t line, const char *reason, void *ctx)
{
	(void)line;
	(void)ctx;
	snprintf(BAD_WHY, sizeof BAD_WHY, "%s", reason);
}

static int import_text(const char *entity, const char *text)
{
	struct csvio_import_opts o;
	FILE *f = fopen(FILE_PATH, "wb");
	int ent;

	ck_assert(f != NULL);
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(csvio_entity_parse(entity, &ent), WR_OK);
	memset(&o, 0, sizeof o);
	o.on_bad = on_bad;
	BAD_WHY[0] = '\0';
	memset(&E, 0, sizeof E);
	return csvio_import(S, ent, FILE_PATH, &o, &R, &E);
}

static const char locations[] =
	"ID,Name,Address,Parent Location\n"
	",Main Facility 1,Road 1,\n"
	",Brooding House 1,Road 1,Main Facility 1\n"
	",Halle S\xC3\xBC" "d / Nord,,Main Facility 1\n";

START_TEST(blank_ids_make_codes)
{
	struct wr_location l;

	OK(import_text("locations", locations));
	ck_assert_uint_eq(R.inserted, 3);
	OK(store_location_get(S, "MAIN-FACILITY-1", &l, &E));
	ck_assert_str_eq(l.name, "Main Facility 1");
	OK(store_location_get(S, "BROODING-HOUSE-1", &l, &E));
	ck_assert_str_eq(l.parent_code, "MAIN-FACILITY-1");
	OK(store_location_get(S, "HALLE-S\xC3\x9C" "D-NORD", &l, &E));
	/* Imported again: the same records, found by name. */
	OK(import_text("locations", locations));
	ck_assert_uint_eq(R.unchanged, 3);
	ck_assert_uint_eq(R.inserted, 0);
	/* A code taken by a record of another name: the next free one. */
	OK(import_text("locations", "code,name\nPUMP-HOUSE,Old pump room\n"));
	OK(import_text("locations", "ID,Name\n,Pump House\n,Pump-House\n"));
	OK(store_location_get(S, "PUMP-HOUSE-2", &l, &E));
	ck_assert_str_eq(l.name, "Pump House");
	OK(store_location_get(S, "PUMP-HOUSE-3", &l, &E));
	ck_assert_str_eq(l.name, "Pump-House");
	OK(import_text("locations", "ID,Name\n,Pump House\n,Pump-House\n"));
	ck_assert_uint_eq(R.unchanged, 2);
	/* A name several records share names none. */
	OK(import_text("locations", "code,name\nX1,Twin\nX2,Twin\n"));
	ck_assert_int_eq(import_text("locations", "ID,Name\n,Twin\n"), WR_EINPUT);
	ck_assert_msg(strstr(BAD_WHY, "several locations are named 'Twin'"), "%s", BAD_WHY);
	/* wrench's own column must be filled. */
	ck_assert_int_eq(import_text("locations", "code,name\n,Pump House\n"), WR_EINPUT);
	ck_assert_msg(strstr(BAD_WHY, "code is empty; every row needs one"), "%s", BAD_WHY);
	/* Neither: nothing to make a code from. */
	ck_assert_int_eq(import_text("locations", "ID,Name,Address\n,,Road 2\n"), WR_EINPUT);
	ck_assert_msg(strstr(BAD_WHY, "code is empty and so is the name"), "%s", BAD_WHY);
}
END_TEST

START_TEST(assets_without_barcode_or_id)
{
	struct wr_asset a;

	OK(import_text("locations", locations));
	OK(import_text("assets", "ID,Name,Location Name,Parent Asset,Barcode\n"
	                         ",Ventilation System,Brooding House 1,,\n"
	                         ",Exhaust Fan 1,Brooding House 1,Ventilation System,EF-1\n"));
	OK(store_asset_get(S, "VENTILATION-SYSTEM", &a, &E));
	ck_assert_str_eq(a.location_code, "BROODING-HOUSE-1");
	OK(store_asset_get(S, "EF-1", &a, &E));
	ck_assert_str_eq(a.parent_tag, "VENTILATION-SYSTEM");
}
END_TEST

/* The kind of asset G-1's meter called name, or -1. */
struct kind_of {
	const char *name;
	int kind;
};

static int find_meter(const struct wr_meter *m, void *ctx)
{
	struct kind_of *k = ctx;
	if (!strcmp(m->name, k->name))
		k->kind = m->kind;
	return 0;
}

static int meter_kind(const char *name)
{
	struct kind_of k = {name, -1};

	OK(store_meter_list(S, "G-1", find_meter, &k, &E));
	return k.kind;
}

START_TEST(meter_category)
{
	OK(import_text("assets", "tag\nG-1\n"));
	OK(import_text("meters", "ID,Name,Unit,Update Frequency,Category,Asset Name\n"
	                         ",Temperature,\xC2\xB0" "C,1,Condition,G-1\n"
	                         ",Strokes,cycles,1,Usage,G-1\n"
	                         ",Engine,hours,1,Usage,G-1\n"
	                         ",Energy,KWH,1,,G-1\n"));
	ck_assert_int_eq(meter_kind("Temperature"), MK_GAUGE);
	ck_assert_int_eq(meter_kind("Strokes"), MK_COUNTER);
	ck_assert_int_eq(meter_kind("Engine"), MK_RUNHOURS);
	ck_assert_int_eq(meter_kind("Energy"), MK_RUNHOURS);   /* no category: the default */
}
END_TEST

START_TEST(pm_name_days_end_delay)
{
	struct wr_pm p;

	OK(import_text("assets", "tag,name\nC-1,Conveyor\n"));
	static const char pms[] =
		"Name,Starts On,Ends On,Frequency,Due Date Delay,Recurrence Type,Recurrence Based On,"
		"Days Of Week,ID,Title,Asset Name,Primary Worker,Assigned To\n"
		"Weekly Conveyor Inspection,2024-12-18,2025-12-18,1,1,weekly,Scheduled Date,"
		"\"Monday,Wednesday,Friday\",,Weekly Equipment Check,Conveyor,a@x,\"b@x,c@x\"\n"
		"Daily check,2024-12-18,,2,2,daily,COMPLETION_DATE,,,,C-1,,\n";
	OK(import_text("pms", pms));
	OK(store_pm_get(S, "WEEKLY-CONVEYOR-INSPECTION", &p, &E));
	ck_assert_str_eq(p.title, "Weekly Equipment Check");
	ck_assert_str_eq(p.asset_tag, "C-1");
	ck_assert_str_eq(p.weekdays, "mon,wed,fri");
	ck_assert_int_eq(p.ends_on, wr_date_from_ymd(2025, 12, 18));
	ck_assert_int_eq(p.due_delay, 1);
	ck_assert_int_eq(p.unit, PU_WEEK);
	ck_assert_str_eq(p.assignee, "a@x");                 /* the primary worker */
	ck_assert_int_eq(p.next_due, wr_date_from_ymd(2024, 12, 18));   /* a Wednesday */
	wr_pm_clear(&p);
	OK(store_pm_get(S, "DAILY-CHECK", &p, &E));
	ck_assert_str_eq(p.title, "Daily check");            /* no title: the name */
	ck_assert_int_eq(p.floating, 1);
	ck_assert_int_eq(p.due_delay, 2);
	ck_assert_int_eq(p.ends_on, WR_NO_TIME);
	wr_pm_clear(&p);
	OK(import_text("pms", pms));
	ck_assert_uint_eq(R.unchanged, 2);
}
END_TEST

START_TEST(workorder_dates_from_the_file)
{
	struct wr_wo w;

	OK(import_text("assets", "tag\nC-1\n"));
	OK(import_text("workorders",
	               "ID,Title,Status,Priority,Asset Name,Completed By,Completed On,Date created\n"
	               "2538,Repair belt,Complete,High,C-1,a@x,2024-03-02 01:33:49.802,\n"
	               "2539,Inspect,Complete,None,C-1,b@x,2024-03-05 10:00,2024-03-01 08:00\n"));
	OK(store_wo_get(S, "2538", &w, &E));
	ck_assert_int_eq(w.completed_at, wr_date_from_ymd(2024, 3, 2) + 1 * 3600 + 33 * 60 + 49);
	ck_assert_int_eq(w.created_at, w.completed_at);      /* not the import's time */
	ck_assert_str_eq(w.completed_by, "a@x");
	wr_wo_clear(&w);
	OK(store_wo_get(S, "2539", &w, &E));
	ck_assert_int_eq(w.created_at, wr_date_from_ymd(2024, 3, 1) + 8 * 3600);
	ck_assert_int_eq(w.completed_at, wr_date_from_ymd(2024, 3, 5) + 10 * 3600);
	ck_assert_int_eq(w.priority, PR_LOW);
	wr_wo_clear(&w);
}
END_TEST

/* Atlas's templates in its other languages (French, German, Spanish,
 * Portuguese, Dutch, Italian): their headers and words. */
START_TEST(other_languages)
{
	struct wr_location l;
	struct wr_asset a;
	struct wr_wo w;
	struct wr_pm p;

	OK(import_text("locations", "ID,Name,Adresse,\xC3\x9C" "bergeordneter Standort\n"
	                            ",Werk,,\n,Halle 1,,Werk\n"));
	OK(store_location_get(S, "HALLE-1", &l, &E));
	ck_assert_str_eq(l.parent_code, "WERK");
	OK(import_text("assets", "ID,Nom,Statut,Archiv\xC3\xA9,Nom de l'Emplacement,Code Barres,"
	                         "Cat\xC3\xA9gorie,Num\xC3\xA9ro de s\xC3\xA9rie\n"
	                         ",Pompe 1,En panne,Non,Halle 1,P-1,Pompes,SN-9\n"));
	OK(store_asset_get(S, "P-1", &a, &E));
	ck_assert_str_eq(a.name, "Pompe 1");
	ck_assert_int_eq(a.status, AS_DOWN);
	ck_assert_str_eq(a.location_code, "HALLE-1");
	ck_assert_str_eq(a.cls, "Pompes");
	ck_assert_str_eq(a.serial, "SN-9");
	OK(import_text("workorders",
	               "ID,T\xC3\xADtulo,Estado,Prioridad,Nombre del activo,Completado por,Completado,"
	               "Fecha de vencimiento\n"
	               "7,Cambiar sello,Completa,Alto,Pompe 1,ana@x,2024-05-02 10:00,2024-05-01\n"));
	OK(store_wo_get(S, "7", &w, &E));
	ck_assert_str_eq(w.title, "Cambiar sello");
	ck_assert_int_eq(w.status, WS_DONE);
	ck_assert_int_eq(w.priority, PR_HIGH);
	ck_assert_str_eq(w.asset_tag, "P-1");
	ck_assert_str_eq(w.completed_by, "ana@x");
	ck_assert_int_eq(w.due_at, wr_date_from_ymd(2024, 5, 1));
	wr_wo_clear(&w);
	/* Dutch and Italian. */
	OK(import_text("workorders", "ID,Titel,Status,Prioriteit,Assetnaam,Voltooid Door,Voltooid Op,"
	                             "Aanmaakdatum\n"
	                             "8,Lager vervangen,Voltooid,Hoog,Pompe 1,jan@x,2024-05-03 09:00,"
	                             "2024-05-02 08:00\n"));
	OK(store_wo_get(S, "8", &w, &E));
	ck_assert_int_eq(w.status, WS_DONE);
	ck_assert_int_eq(w.priority, PR_HIGH);
	ck_assert_str_eq(w.completed_by, "jan@x");
	ck_assert_int_eq(w.created_at, wr_date_from_ymd(2024, 5, 2) + 8 * 3600);
	wr_wo_clear(&w);
	OK(import_text("locations", "ID,Nome,Posizione Genitore\n,Reparto,Halle 1\n"));
	OK(store_location_get(S, "REPARTO", &l, &E));
	ck_assert_str_eq(l.parent_code, "HALLE-1");
	OK(import_text("pms", "ID,Nome,Come\xC3\xA7" "a em,Frequ\xC3\xAA" "ncia,"
	                      "Tipo de Recorr\xC3\xAA" "ncia,T\xC3\xADtulo,Nome do Ativo,Prioridade\n"
	                      ",Inspe\xC3\xA7\xC3\xA3o semanal,2024-01-01,2,Semanal,Inspecionar,"
	                      "Pompe 1,Alta\n"));
	OK(store_pm_get(S, "INSPE\xC3\x87\xC3\x83O-SEMANAL", &p, &E));
	ck_assert_str_eq(p.title, "Inspecionar");
	ck_assert_int_eq(p.interval, 2);
	ck_assert_int_eq(p.unit, PU_WEEK);
	ck_assert_int_eq(p.priority, PR_HIGH);
	ck_assert_str_eq(p.asset_tag, "P-1");
	wr_pm_clear(&p);
}
END_TEST

/* Atlas's part template in Spanish, Portuguese, Italian and Dutch, a
 * blank ID making the code from the name. */
START_TEST(parts_in_other_languages)
{
	struct wr_stock p;

	OK(import_text("parts", "ID,Nombre,Costo,Categor\xC3\xAD" "a,Sin stock,C\xC3\xB3" "digo de barras,"
	                        "Descripci\xC3\xB3n,Cantidad,Informaci\xC3\xB3n adicional,\xC3\x81rea,"
	                        "Cantidad m\xC3\xADnima\n"
	                        ",Junta t\xC3\xB3rica,5,Hidr\xC3\xA1ulica,No,8216,Sella,3,ver ficha,Estante 1,2\n"));
	OK(store_stock_get(S, "JUNTA-T\xC3\x93RICA", &p, &E));
	ck_assert_str_eq(p.name, "Junta t\xC3\xB3rica");
	ck_assert(p.cost == 5 && p.on_hand == 3 && p.min_qty == 2 && !p.non_stock);
	ck_assert_str_eq(p.category, "Hidr\xC3\xA1ulica");
	ck_assert_str_eq(p.barcode, "8216");
	ck_assert_str_eq(p.description, "Sella");
	ck_assert_str_eq(p.notes, "ver ficha");
	ck_assert_str_eq(p.area, "Estante 1");
	OK(import_text("parts", "ID,Nome,Custo,Quantidade,Quantidade m\xC3\xADnima,\xC3\x81rea\n"
	                        "PT-1,Rolamento,12,7,4,Prateleira 2\n"));
	OK(store_stock_get(S, "PT-1", &p, &E));
	ck_assert(p.cost == 12 && p.on_hand == 7 && p.min_qty == 4);
	ck_assert_str_eq(p.area, "Prateleira 2");
	OK(import_text("parts", "ID,Nome,Costo,Quantit\xC3\xA0,Quantit\xC3\xA0 minima,"
	                        "Codice a barre,Non a magazzino\n"
	                        "IT-1,Cuscinetto,9,1,2,777,S\xC3\xAC\n"));
	OK(store_stock_get(S, "IT-1", &p, &E));
	ck_assert(p.cost == 9 && p.on_hand == 1 && p.min_qty == 2 && p.non_stock);
	ck_assert_str_eq(p.barcode, "777");
	OK(import_text("parts", "ID,Naam,Kosten,Hoeveelheid,Minimale hoeveelheid,Gebied,"
	                        "Aanvullende informatie\n"
	                        "NL-1,Lager,3,10,5,Kast 4,zie blad\n"));
	OK(store_stock_get(S, "NL-1", &p, &E));
	ck_assert(p.cost == 3 && p.on_hand == 10 && p.min_qty == 5);
	ck_assert_str_eq(p.area, "Kast 4");
	ck_assert_str_eq(p.notes, "zie blad");
	/* Again with the quantity left empty: the stored one stays. */
	OK(import_text("parts", "ID,Naam,Hoeveelheid\nNL-1,Lager,\n"));
	OK(store_stock_get(S, "NL-1", &p, &E));
	ck_assert(p.on_hand == 10);
}
END_TEST

static Suite *atlas_suite(void)
{
	Suite *s = suite_create("csv_atlas");
	TCase *tc = tcase_create("csv_atlas");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, blank_ids_make_codes);
	tcase_add_test(tc, assets_without_barcode_or_id);
	tcase_add_test(tc, meter_category);
	tcase_add_test(tc, pm_name_days_end_delay);
	tcase_add_test(tc, workorder_dates_from_the_file);
	tcase_add_test(tc, other_languages);
	tcase_add_test(tc, parts_in_other_languages);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(atlas_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
