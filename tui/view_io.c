/*
 * view_io.c - import and export: choose the entity (pick list), type a
 * file path, then import, dry-run or export as CSV or JSON.  An import or
 * dry run ends on a report page: the counts (inserted, updated,
 * unchanged, rejected) and every bad row as "line N: reason", scrollable.
 * An import is all or nothing, so a file with a bad row imports nothing,
 * and the report says so.
 *
 * csvio_import() is one blocking call.  The framework repaints only
 * between keys, so the progress line is painted from the import's
 * progress callback directly: one line in the message window, at most ten
 * times a second, nothing else (see paint_progress).  An export is written
 * whole or not at all, never over the database (csvio_export_file).
 */
#include "app.h"
#include "csvio.h"
#include "termtext.h"
#include "screens.h"
#include "theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

enum { M_ENTITY, M_FILE, M_IMPORT, M_DRY, M_CSV, M_JSON, M__COUNT };
enum { RUN_NONE, RUN_IMPORT, RUN_DRY, RUN_EXPORT };

/* Bad rows kept for the report; beyond this they are only counted. */
#define IO_MAX_BAD 5000

struct bad_row {
	size_t line;
	char reason[200];
};

struct io {
	struct app *a;
	struct view *v;
	int entity;
	char path[1024];
	int cur;                  /* menu row */
	int report;               /* the report page is shown */
	int top, rows;            /* report scroll */
	int ran;                  /* RUN_*: what the last run was */
	int ok;                   /* it succeeded */
	char summary[700];
	char detail[1200];
	struct csvio_result res;
	struct bad_row *bad;
	size_t nbad, capbad, bad_total;
	int export_format;        /* CF_CSV or CF_JSON, while confirming a replace */
	int64_t painted_us;       /* the last progress paint */
};

static void set_title(struct io *io)
{
	snprintf(io->v->title, sizeof io->v->title, "Import/export: %s",
	         csvio_entity_name(io->entity));
}

static int io_open(struct app *a, struct view *v, const void *arg)
{
	const struct io_arg *ia = arg;
	struct io *io = calloc(1, sizeof *io);

	if (!io) {
		app_msg_error(a, "Out of memory.");
		return -1;
	}
	io->a = a;
	io->v = v;
	io->entity = ia && ia->entity >= 0 && ia->entity < CE__COUNT ? ia->entity : CE_ASSETS;
	if (ia && ia->path)
		wr_strlcpy(io->path, ia->path, sizeof io->path);
	v->st = io;
	set_title(io);
	return 0;
}

static void io_close(struct app *a, struct view *v)
{
	struct io *io = v->st;

	(void)a;
	free(io->bad);
	free(io);
}

/* ---- drawing ---- */

static void menu_text(const struct io *io, int i, char *buf, size_t n)
{
	switch (i) {
	case M_ENTITY:
		snprintf(buf, n, "Entity: %s", csvio_entity_name(io->entity));
		break;
	case M_FILE:
		snprintf(buf, n, "File:   %s", io->path[0] ? io->path : "(Enter to type a path)");
		break;
	case M_IMPORT:
		snprintf(buf, n, "Import the file");
		break;
	case M_DRY:
		snprintf(buf, n, "Dry run: check it, write nothing");
		break;
	case M_CSV:
		snprintf(buf, n, "Export as CSV");
		break;
	default:
		snprintf(buf, n, "Export as JSON");
		break;
	}
}

/* Draws text from row y, wrapped at blanks to wd columns (continuation
 * lines indented), stopping before row maxy.  Returns the next free row. */
static int draw_wrapped(struct app *a, WINDOW *w, int y, int maxy, int wd, const char *text,
                        attr_t attr, int indent)
{
	size_t len = strlen(text), off = 0;
	int first = 1;

	while (off < len && y < maxy) {
		int x = first ? 0 : indent, cols = wd - x;
		size_t fit = wr_term_fit(text + off, len - off, cols, a->utf8), cut = fit;
		char part[600];

		if (fit == 0)
			break;
		if (off + fit < len) {
			/* Break at the last blank that fits, if there is one. */
			while (cut > 0 && text[off + cut] != ' ')
				cut--;
			if (cut == 0)
				cut = fit;
		}
		snprintf(part, sizeof part, "%.*s", (int)(cut < sizeof part ? cut : sizeof part - 1),
		         text + off);
		if (x > 0)
			draw_line(w, y, 0, "", x, attr);
		draw_line(w, y++, x, part, cols, attr);
		off += cut;
		while (off < len && text[off] == ' ')
			off++;
		first = 0;
	}
	return y;
}

static void draw_report(struct app *a, struct io *io, WINDOW *w, int h, int wd)
{
	int y = 0, i;

	y = draw_wrapped(a, w, y, h, wd, io->summary, theme_attr(io->ok ? ROLE_OK : ROLE_ERROR), 2);
	if (io->detail[0])
		y = draw_wrapped(a, w, y, h, wd, io->detail,
		                 theme_attr(io->ok ? ROLE_NORMAL : ROLE_WARN), 2);
	if (io->bad_total == 0) {
		draw_line(w, y + 1, 0, "q: back to import/export", wd, theme_attr(ROLE_DIM));
		return;
	}
	draw_linef(w, y++, 0, wd, theme_attr(ROLE_HEADING), "Bad rows (%zu)%s", io->bad_total,
	           io->bad_total > io->nbad ? ", the first ones:" : ":");
	/* Scrolled by bad row; each row wraps over as many lines as it needs. */
	io->rows = h - y;
	if (io->top > (int)io->nbad - 1)
		io->top = (int)io->nbad - 1;
	if (io->top < 0)
		io->top = 0;
	for (i = io->top; i < (int)io->nbad && y < h; i++) {
		char text[260];

		snprintf(text, sizeof text, "line %zu: %s", io->bad[i].line, io->bad[i].reason);
		y = draw_wrapped(a, w, y, h, wd, text, theme_attr(ROLE_NORMAL), 2);
	}
}

static void io_draw(struct app *a, struct view *v, WINDOW *w, int h, int wd)
{
	struct io *io = v->st;
	int i, y;

	if (io->report) {
		draw_report(a, io, w, h, wd);
		return;
	}
	for (i = 0; i < M__COUNT && i < h; i++) {
		char text[1100];
		int sel = i == io->cur;

		menu_text(io, i, text, sizeof text);
		draw_line(w, i, 0, sel ? ">" : " ", 1, theme_attr(sel ? ROLE_SELECTION : ROLE_NORMAL));
		draw_line(w, i, 1, text, wd - 1,
		          theme_attr(sel ? ROLE_SELECTION : i < M_IMPORT ? ROLE_LABEL : ROLE_NORMAL));
	}
	y = M__COUNT + 1;
	if (io->ran != RUN_NONE && y < h) {
		draw_line(w, y++, 0, io->summary, wd, theme_attr(io->ok ? ROLE_OK : ROLE_ERROR));
		if (io->detail[0] && y < h)
			draw_line(w, y++, 0, io->detail, wd, theme_attr(ROLE_NORMAL));
		if (io->bad_total && y < h)
			draw_line(w, y, 0, "r: the report of bad rows", wd, theme_attr(ROLE_DIM));
	} else if (y < h) {
		draw_line(w, y, 0, "Enter chooses. Import: all or nothing.", wd,
		          theme_attr(ROLE_DIM));
	}
}

/* ---- running ---- */

/* Paints one line in the message window and sends it to the terminal at
 * once.  This is the one place a view draws outside the main loop's
 * render: csvio_import() blocks until the file is done, and a long import
 * must show that it is moving.  It touches only the message line, which
 * the next render repaints anyway. */
static void paint_now(struct io *io, const char *text)
{
	struct app *a = io->a;

	if (!a->w_msg)
		return;
	werase(a->w_msg);
	draw_line(a->w_msg, 0, 0, text, a->cols, theme_attr(ROLE_WARN));
	wnoutrefresh(a->w_msg);
	doupdate();
	io->painted_us = app_now_us();
}

static void paint_progress(size_t rows, size_t bytes, size_t total, void *ctx)
{
	struct io *io = ctx;
	char line[200], bar[24];
	int i, fill;

	if (app_now_us() - io->painted_us < 100000)
		return;
	if (total > 0) {
		fill = (int)(20.0 * (double)bytes / (double)total);
		for (i = 0; i < 20; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[20] = '\0';
		snprintf(line, sizeof line, "Importing [%s] %3d%%  %zu rows", bar,
		         (int)(100.0 * (double)bytes / (double)total), rows);
	} else {
		snprintf(line, sizeof line, "Importing... %zu rows", rows);
	}
	paint_now(io, line);
}

static void on_bad(size_t line, const char *reason, void *ctx)
{
	struct io *io = ctx;

	io->bad_total++;
	if (io->nbad == IO_MAX_BAD)
		return;
	if (io->nbad == io->capbad) {
		size_t cap = io->capbad ? 2 * io->capbad : 64;
		struct bad_row *p = realloc(io->bad, cap * sizeof *p);

		if (!p)
			return;       /* counted, not listed */
		io->bad = p;
		io->capbad = cap;
	}
	io->bad[io->nbad].line = line;
	wr_strlcpy(io->bad[io->nbad].reason, reason, sizeof io->bad[0].reason);
	io->nbad++;
}

/* "~/x.csv" -> "$HOME/x.csv"; the rest as typed. */
static void expand_path(const char *in, char *out, size_t n)
{
	const char *home = getenv("HOME");

	if (in[0] == '~' && (in[1] == '/' || !in[1]) && home && *home)
		snprintf(out, n, "%s%s", home, in + 1);
	else
		snprintf(out, n, "%s", in);
}

/* Whether the import's error is only its count of bad rows (listed in the
 * report), not a failure that stopped it reading the file. */
static int bad_rows_only(const struct io *io, const char *msg)
{
	char head[64];

	snprintf(head, sizeof head, "%zu bad row", io->bad_total);
	return strncmp(msg, head, strlen(head)) == 0;
}

static int run_import(struct app *a, struct io *io, int dry)
{
	struct csvio_import_opts o;
	struct wr_err e = { 0, "" };
	char path[1100], line[1200];
	int rc;

	expand_path(io->path, path, sizeof path);
	io->nbad = io->bad_total = 0;
	io->top = 0;
	memset(&io->res, 0, sizeof io->res);
	memset(&o, 0, sizeof o);
	o.dry_run = dry;
	o.format = csvio_format_of(path);    /* a .json or .jsonl file is JSON */
	o.on_bad = on_bad;
	o.on_progress = paint_progress;
	o.ctx = io;
	snprintf(line, sizeof line, "%s %s...", dry ? "Checking" : "Importing", path);
	paint_now(io, line);
	rc = csvio_import(a->s, io->entity, path, &o, &io->res, &e);
	io->ran = dry ? RUN_DRY : RUN_IMPORT;
	io->ok = rc == WR_OK;
	io->detail[0] = '\0';
	if (rc == WR_OK) {
		snprintf(io->summary, sizeof io->summary,
		         "%s %zu rows: %zu inserted, %zu updated, %zu unchanged, %zu rejected",
		         dry ? "Dry run," : "Imported", io->res.rows, io->res.inserted,
		         io->res.updated, io->res.unchanged, io->res.rejected);
		snprintf(io->detail, sizeof io->detail, "%s",
		         dry ? "Nothing was written: import to apply it." : path);
		app_msg(a, "%s", dry ? "Dry run done: nothing written." : "Import done.");
	} else if (io->bad_total > 0) {
		snprintf(io->summary, sizeof io->summary, "%zu bad row%s: nothing was %s",
		         io->bad_total, io->bad_total == 1 ? "" : "s", dry ? "written" : "imported");
		snprintf(io->detail, sizeof io->detail, "%s",
		         dry ? "Dry run: an import of this file would write nothing; fix the rows."
		             : "The import is all or nothing: fix the rows and import again.");
		if (!bad_rows_only(io, e.msg)) {
			/* The file stopped being readable (an unclosed quote): say
			 * so, and that the rows after it were not checked. */
			snprintf(io->detail, sizeof io->detail,
			         "Reading stopped at %s; the rows after it were not checked.", e.msg);
			app_msg_error(a, "%zu bad row%s, and %s.", io->bad_total,
			              io->bad_total == 1 ? "" : "s", e.msg);
		} else {
			app_msg_error(a, "%zu bad row%s: nothing was %s.", io->bad_total,
			              io->bad_total == 1 ? "" : "s", dry ? "written" : "imported");
		}
	} else {
		snprintf(io->summary, sizeof io->summary, "Nothing was %s.",
		         dry ? "written" : "imported");
		snprintf(io->detail, sizeof io->detail, "%s", e.msg);
		app_msg_error(a, "%s", e.msg);
	}
	io->report = 1;
	return R_ALL;
}

static int run_export(struct app *a, struct io *io, int format)
{
	struct wr_err e = { 0, "" };
	char path[1100];
	struct stat sb;

	expand_path(io->path, path, sizeof path);
	io->ran = RUN_EXPORT;
	io->nbad = io->bad_total = 0;
	io->detail[0] = '\0';
	if (csvio_export_file(a->s, io->entity, format, path, &e) != WR_OK) {
		io->ok = 0;
		snprintf(io->summary, sizeof io->summary, "Export failed: nothing was written.");
		snprintf(io->detail, sizeof io->detail, "%s", e.msg);
		app_msg_error(a, "%s", e.msg);
		return R_ALL;
	}
	io->ok = 1;
	snprintf(io->summary, sizeof io->summary, "Exported %s as %s (%lld bytes)",
	         csvio_entity_name(io->entity), format == CF_JSON ? "JSON" : "CSV",
	         stat(path, &sb) == 0 ? (long long)sb.st_size : -1LL);
	snprintf(io->detail, sizeof io->detail, "%s", path);
	app_msg(a, "Exported to %s.", path);
	return R_ALL;
}

static int replace_confirmed(struct app *a, void *ctx, int yes)
{
	struct io *io = ctx;

	if (!yes) {
		app_msg(a, "Not exported.");
		return R_ALL;
	}
	return run_export(a, io, io->export_format);
}

/* ---- choosing ---- */

static int entity_cb(struct app *a, void *ctx, const struct pick_item *it)
{
	struct io *io = ctx;

	(void)a;
	io->entity = it->value;
	set_title(io);
	io->cur = M_FILE;
	return R_ALL;
}

static int pick_entity(struct app *a, struct io *io)
{
	struct pick_item items[CE__COUNT];
	struct pick_spec spec;
	int i;

	memset(items, 0, sizeof items);
	for (i = 0; i < CE__COUNT; i++) {
		snprintf(items[i].label, sizeof items[i].label, "%s", csvio_entity_name(i));
		items[i].value = i;
	}
	memset(&spec, 0, sizeof spec);
	spec.title = "Entity";
	spec.items = items;
	spec.n = CE__COUNT;
	spec.cur = io->entity;
	spec.cb = entity_cb;
	spec.ctx = io;
	app_push(a, VIEW_PICK, &spec);
	return R_ALL;
}

static int run(struct app *a, struct io *io, int what);

static int path_cb(struct app *a, void *ctx, const char *text, int done)
{
	struct io *io = ctx;
	char t[1024];

	if (done != 1)
		return R_ALL;
	wr_strlcpy(t, text, sizeof t);
	wr_trim(t);
	wr_strlcpy(io->path, t, sizeof io->path);
	/* A path typed on the way to an action runs it. */
	if (io->cur >= M_IMPORT && io->path[0])
		return run(a, io, io->cur);
	if (io->path[0])
		io->cur = M_IMPORT;
	return R_ALL;
}

/* Tab in the path prompt: completes the last part of the path to the
 * longest prefix the directory's matching entries share, and a single
 * matching directory with its "/".  Nothing matches: the text stays. */
static void complete_path(char *text, size_t n)
{
	char typed[1100], dir[1100], common[256];
	const char *slash = strrchr(text, '/'), *base = slash ? slash + 1 : text;
	size_t blen = strlen(base), dlen = slash ? (size_t)(slash - text) + 1 : 0, clen = 0;
	int matches = 0, isdir = 0;
	struct dirent *de;
	DIR *d;

	snprintf(typed, sizeof typed, "%.*s", (int)dlen, dlen ? text : "./");
	expand_path(typed, dir, sizeof dir);
	if (!(d = opendir(dir)))
		return;
	while ((de = readdir(d)) != NULL) {
		size_t k;

		if (strncmp(de->d_name, base, blen) != 0 || strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 || (de->d_name[0] == '.' && base[0] != '.'))
			continue;
		if (matches++ == 0) {
			wr_strlcpy(common, de->d_name, sizeof common);
			clen = strlen(common);
		}
		for (k = 0; k < clen && common[k] == de->d_name[k]; k++)
			;
		clen = k;
		common[clen] = '\0';
		if (matches == 1) {
			struct stat sb;
			char full[1400];

			snprintf(full, sizeof full, "%s/%s", dir, de->d_name);
			isdir = stat(full, &sb) == 0 && S_ISDIR(sb.st_mode);
		}
	}
	closedir(d);
	if (matches == 0 || dlen + clen + 2 > n)
		return;
	snprintf(text + dlen, n - dlen, "%s%s", common, matches == 1 && isdir ? "/" : "");
}

static void ask_path(struct app *a, struct io *io)
{
	char initial[1024];

	if (io->path[0])
		wr_strlcpy(initial, io->path, sizeof initial);
	else
		snprintf(initial, sizeof initial, "%s.%s", csvio_entity_name(io->entity),
		         io->cur == M_JSON ? "json" : "csv");
	app_prompt(a, "File: ", initial, 0, path_cb, io);
	app_prompt_edit(a, 1, complete_path);
}

static int run(struct app *a, struct io *io, int what)
{
	char path[1100];
	struct stat sb;

	if (!io->path[0]) {
		ask_path(a, io);
		return R_ALL;
	}
	if (what == M_IMPORT || what == M_DRY)
		return run_import(a, io, what == M_DRY);
	io->export_format = what == M_JSON ? CF_JSON : CF_CSV;
	expand_path(io->path, path, sizeof path);
	if (stat(path, &sb) == 0) {
		app_confirm(a, "The file exists: replace it? y/n", replace_confirmed, io);
		return R_ALL;
	}
	return run_export(a, io, io->export_format);
}

static int io_action(struct app *a, struct view *v, int act)
{
	struct io *io = v->st;

	if (io->report) {
		switch (act) {
		case ACT_BACK:
		case ACT_OPEN:
			io->report = 0;
			return R_ALL;
		case ACT_DOWN:
			if (io->top < (int)io->nbad - 1)
				io->top++;
			return R_VIEW;
		case ACT_UP:
			if (io->top > 0)
				io->top--;
			return R_VIEW;
		case ACT_PGDN:
			io->top += io->rows > 1 ? io->rows - 1 : 1;
			return R_VIEW;
		case ACT_PGUP:
			io->top -= io->rows > 1 ? io->rows - 1 : 1;
			if (io->top < 0)
				io->top = 0;
			return R_VIEW;
		case ACT_TOP:
			io->top = 0;
			return R_VIEW;
		case ACT_BOTTOM:
			io->top = (int)io->nbad - 1;
			return R_VIEW;
		default:
			return R_UNHANDLED;
		}
	}
	switch (act) {
	case ACT_UP:
		io->cur = (io->cur + M__COUNT - 1) % M__COUNT;
		return R_VIEW;
	case ACT_DOWN:
	case ACT_NEXT:
		io->cur = (io->cur + 1) % M__COUNT;
		return R_VIEW;
	case ACT_PREV:
		io->cur = (io->cur + M__COUNT - 1) % M__COUNT;
		return R_VIEW;
	case ACT_TOP:
		io->cur = 0;
		return R_VIEW;
	case ACT_BOTTOM:
		io->cur = M__COUNT - 1;
		return R_VIEW;
	case ACT_OPEN:
		if (io->cur == M_ENTITY)
			return pick_entity(a, io);
		if (io->cur == M_FILE) {
			ask_path(a, io);
			return R_ALL;
		}
		return run(a, io, io->cur);
	case ACT_REPORT:
		if (io->ran == RUN_IMPORT || io->ran == RUN_DRY)
			io->report = 1;
		return R_ALL;
	default:
		return R_UNHANDLED;
	}
}

static int io_click(struct app *a, struct view *v, int y, int x)
{
	struct io *io = v->st;

	(void)x;
	if (io->report || y < 0 || y >= M__COUNT)
		return R_NONE;
	if (y == io->cur)
		return io_action(a, v, ACT_OPEN);
	io->cur = y;
	return R_VIEW;
}

const struct view_ops view_io_ops = {
	.name = "io",
	.title = "Import/export",
	.open = io_open,
	.close = io_close,
	.draw = io_draw,
	.action = io_action,
	.click = io_click,
};
