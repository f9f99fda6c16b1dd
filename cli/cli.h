/*
 * cli.h - what the files of cli/ share: the invocation context, the option
 * parser, the output writers and the subcommands.  Nothing outside cli/
 * includes it.
 *
 * Exit codes are the contract with scripts: 0 ok, 1 bad input or data (the
 * command line was well-formed but the data was refused or wrong), 2 usage
 * (unknown command or option, missing argument, a malformed value for an
 * option that steers the command such as --format or --limit).
 */
#ifndef WRENCH_CLI_H
#define WRENCH_CLI_H

#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include "util.h"
#include "store.h"
#include "config.h"
#include "version.h"
#include "writers.h"

#define CLI_OK 0
#define CLI_BAD 1
#define CLI_USAGE 2
/* A version-checked edit (--if-version) found that the record had been
 * changed since that version: nothing was changed. */
#define CLI_CONFLICT 3
/* Returned by a store callback to end a listing early (--limit); the store
 * passes a callback's nonzero return back, so the caller maps it to OK. */
#define CLI_STOP 1000

/* One invocation: the global options and the store once it is open. */
struct cli {
	const char *db_path;    /* --db, or NULL for the default */
	const char *user;       /* --user, or NULL for $WRENCH_USER / $USER */
	const char *wait;       /* --wait SECONDS, or NULL for $WRENCH_BUSY_TIMEOUT / 60 */
	const char *cmd;        /* "wo set": names the command in messages */
	struct store *st;
	const struct wr_config *cfg; /* the configuration file's settings, or NULL */
	/* wrench --complete-words: the command named prints the words it takes
	 * (args_list) instead of running. */
	int list_words;
};

/* Opens the store: `create` nonzero creates a missing or empty database
 * (init, import, demo); otherwise a missing one is an error that says how to
 * make one.  While another program holds the database, it waits (--wait),
 * saying so on stderr after a second.  Prints the error and returns an exit
 * code on failure, 0 on success. */
int cli_open(struct cli *c, int create);
/* Takes a global option (--db, --user, --wait, with its value as the next
 * word or after '=') at argv[*k] and advances *k past it.  Returns 1 when
 * taken, 0 when argv[*k] is not one, -1 when its value is missing. */
int cli_global_option(struct cli *c, int argc, char **argv, int *k);
void cli_close(struct cli *c);
/* The path the store would be opened at (--db or the default); NULL with a
 * message printed when no default can be worked out. */
const char *cli_db_path(struct cli *c, char *buf, size_t n);

/* Reads the configuration file and the environment into cfg, says each bad
 * line on stderr ("wrench: FILE:LINE: ..."), and sets c->cfg. */
void cli_config(struct cli *c, struct wr_config *cfg);
/* wrench --print-config: every setting, its value and where it came from. */
int cli_print_config(struct cli *c);

/* Prints "wrench: CMD: message" on stderr and returns the exit code for rc. */
int cli_fail(const struct cli *c, const struct wr_err *e);
int cli_failf(const struct cli *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Maps an enum wr_rc to an exit code (0, 1 or 2). */
int cli_exit_code(int rc);
/* Flushes stdout and reports a write error (disk full, closed pipe) as 1. */
int cli_finish(const struct cli *c, int code);

/* ------------------------------------------------------------- options */

struct arg_opt {
	const char *name;       /* long name without dashes; NULL ends a list */
	char short_name;        /* e.g. 'o', or 0 */
	int has_value;          /* 1: takes a value (--x V or --x=V) */
	const char *value_name; /* shown in help, e.g. "DATE" */
	const char *help;
};

struct cmd_spec {
	const char *name;       /* "wo list" */
	const char *args;       /* positional part of the synopsis, e.g. "NUM TEXT" */
	const char *summary;    /* one line shown by --help */
	const struct arg_opt *opts;
	int min_pos, max_pos;   /* positional argument counts; max -1 = any */
	const char *noun;       /* what an unknown option is called: "option" or "field" */
	const char *more;       /* extra help text, may be NULL */
};

#define ARGS_MAX_OPTS 48
#define ARGS_MAX_POS 64
#define ARGS_MAX_ORDER 64

struct args {
	const struct cmd_spec *spec;
	const char *val[ARGS_MAX_OPTS];  /* last value given (flags get "1") */
	int count[ARGS_MAX_OPTS];
	const char *pos[ARGS_MAX_POS];
	int npos;
	/* Options in command-line order, for commands where order and
	 * repetition matter (wo set applies fields as given). */
	int order_opt[ARGS_MAX_ORDER];
	const char *order_val[ARGS_MAX_ORDER];
	int norder;
};

/* Parses argv[1..argc) (argv[0] is the command word) against spec.  --db
 * and --user are accepted anywhere and stored in c; -h/--help prints the
 * command's help on stdout, and so does c->list_words its words
 * (args_list) without looking at argv.  Returns 0 to go on, -1 when help
 * was printed (exit 0), or CLI_USAGE with the error already printed. */
int args_parse(struct cli *c, const struct cmd_spec *spec, int argc, char **argv,
               struct args *a);
/* The value of an option by long name, or NULL when it was not given. */
const char *args_get(const struct args *a, const char *name);
int args_has(const struct args *a, const char *name);
void args_help(const struct cmd_spec *spec, FILE *f);
/* The options every command takes (--db, --user, --wait, -h/--help). */
const struct arg_opt *args_globals(void);
/* Options as --help shows them, one a line. */
void args_help_opts(const struct arg_opt *opts, FILE *f);
/* The words of a command for completion scripts (wrench --complete-words),
 * one a line of four tab-separated fields KIND WORD VALUE TEXT: "command",
 * a subcommand's name, "", its summary; "option", -o or --name, the name of
 * its value ("" for a flag), its help; "argument", the synopsis of what
 * follows the options ("ENTITY FILE"), "", "".  args_list lists a
 * command's options, the global ones and its arguments. */
void args_list_opts(const struct arg_opt *opts, FILE *f);
void args_list(const struct cmd_spec *spec, FILE *f);
/* Usage error for this command: prints the message and the help hint. */
int args_usage(const struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Value parsers.  On failure they print an error naming the option and
 * return `code`, or CLI_USAGE for those without one: a malformed value of an
 * option that steers the command (--limit, --horizon, --from) is a usage
 * error, while a value meant for a record (wo new --due, wo part --qty) is
 * bad input, as the store would say for wo set.  0 on success.  A NULL value
 * leaves *out untouched (the default). */
int args_int(const struct cli *c, const char *opt, const char *v, long lo, long hi, long *out);
int args_days(const struct cli *c, const char *opt, const char *v, double *days);
int args_date(const struct cli *c, const char *opt, const char *v, int64_t *out, int code);
int args_real(const struct cli *c, const char *opt, const char *v, double *out, int code);

/* Closest candidate to `word` among `cands` (NULL-terminated) by edit
 * distance, or NULL when none is close enough to suggest. */
const char *args_suggest(const char *word, const char *const *cands);

/* ------------------------------------------------------------- output */

enum out_fmt { OUT_TABLE, OUT_CSV, OUT_JSON };
/* Parses --format; allow_table 0 for commands with no table form.  Prints a
 * usage error and returns CLI_USAGE on a bad name. */
int out_format(const struct cli *c, const char *v, int dflt, int allow_table, int *fmt);
/* --format of a command that shows one thing: text (default; "table" is
 * taken for it too) or json, into *json (1 for json); else a usage error. */
int out_format_text(const struct cli *c, const char *v, int *json);

/* A row writer.  Table output is buffered (column widths need every row);
 * CSV and JSON stream.  numeric[i] nonzero renders column i unquoted in JSON
 * (null when the cell is empty or not a number) and right-aligned in
 * tables.  A table fits `width` display columns (out_fit): its text columns
 * are cut with an ellipsis, widest first; the first column (the key: a
 * work-order number, an asset tag, a PM code) and the numbers never are. */
struct out {
	FILE *f;
	int fmt;
	size_t ncols;
	const char *const *head;
	const int *numeric;
	size_t nrows;
	char **cells;           /* table mode: nrows * ncols copies */
	size_t cap;
	size_t width;           /* table mode: out_columns(f) from out_begin; 0 none */
	const unsigned char *give_way;  /* per column: 0 always shown, else the order in
	                                 * which columns are dropped (highest first) */
	int failed;             /* out of memory */
	const unsigned char *kind;      /* per column, enum out_kind (out_kinds), or NULL */
	struct wr_json js;      /* JSON mode: the document */
	int with_total;         /* out_has_total was called */
	int json_done;          /* JSON mode: the document is closed */
};
int out_begin(struct out *o, FILE *f, int fmt, size_t ncols, const char *const *head,
              const int *numeric);
int out_row(struct out *o, const char *const *cells);
/* A table with a total: call out_has_total after out_begin, then out_total
 * once after the rows.  In a table and in CSV the total is the last line
 * (its first cell the label, "TOTAL"); JSON is then an object,
 * {"rows": [...], "total": {...}}, the total keyed like the rows without
 * the first column (null when no total came). */
void out_has_total(struct out *o);
int out_total(struct out *o, const char *const *cells);
/* What a column holds, for JSON (tables and CSV show the cells as they
 * are): OUT_BOOL cells "yes"/"no" become true/false, OUT_TIME cells (a
 * local time as wr_date_fmt writes it) RFC 3339 in UTC; an empty cell is
 * null.  kind has one per column and must live until out_end. */
enum out_kind { OUT_PLAIN, OUT_BOOL, OUT_TIME };
void out_kinds(struct out *o, const unsigned char *kind);
/* On a terminal too narrow for the whole table, columns with a rank in
 * rank[] (one per column; 0 never) are dropped, highest first, before any
 * text column is cut below a readable width; the rest then fit as
 * out_fit says.  Into a file or a pipe nothing is dropped.  rank must live
 * until out_end. */
void out_give_way(struct out *o, const unsigned char *rank);
/* Writes what is buffered and frees everything; returns 0, or -1 when an
 * allocation failed on the way (the output is then incomplete). */
int out_end(struct out *o);
/* Renders a whole report table. */
int out_wr_table(FILE *f, int fmt, const struct wr_table *t);

/* The blanks between two columns of a table. */
#define OUT_GAP 2
/* The display columns a table written to f must fit: 0 (no limit) unless f
 * is a terminal; on one, COLUMNS when it is a whole number from 1 to 65535,
 * else the terminal's width (TIOCGWINSZ), else 80. */
size_t out_columns(FILE *f);
/* Narrows the widths w[0..ncols) of a table's columns until they and the
 * gaps between them fit `width`: the widest column above its floor gives
 * way first, so those that give way end up equally wide; none goes below
 * floor[i].  Returns the table's width, more than `width` when the floors
 * do not fit. */
size_t out_fit(size_t ncols, size_t *w, const size_t *floor, size_t width);

/* Every string of data (from the database, a file, the command line or the
 * environment) is printed with these.  To a terminal the text goes through
 * wr_term_sanitize() (termtext.h): control characters and escape sequences
 * come out as '?'.  To a file or a pipe it is written unchanged.  Fixed text
 * of wrench's own may be printed with printf. */
int out_is_terminal(FILE *f);                  /* decided once for stdout, stderr */
void out_write(FILE *f, const char *s, size_t n);
void out_put(FILE *f, const char *s);          /* one value; NULL writes nothing */
/* Formats, then writes as out_put() does, except that line breaks are kept
 * (on a terminal too: a line break cannot act on it). */
void out_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_vprintf(FILE *f, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Writers used by the "show" commands and JSON documents. */
void out_text(FILE *f, const char *s);        /* free text: line breaks indented by 4 */
void out_json_str(FILE *f, const char *s);    /* quoted and escaped */
void out_json_num(FILE *f, double v);         /* null for NAN or infinity */
/* The JSON convention (writers.h): text null when empty, instants RFC 3339
 * in UTC, dates YYYY-MM-DD; null for WR_NO_TIME. */
void out_json_text(FILE *f, const char *s);
void out_json_time(FILE *f, int64_t t);
void out_json_date(FILE *f, int64_t t);
void out_csv_cell(FILE *f, const char *s, int numeric);

/* Number formatting for cells: "" for NAN, else %.*g trimmed. */
char *out_num(char *buf, size_t n, double v, int digits);
/* snprintf(buf, n, "%.*g", digits, v) to the byte, faster (out_gnum.c). */
char *out_gnum(char *buf, size_t n, double v, int digits);

/* ------------------------------------------------------------ commands */

int cmd_init(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_asset(struct cli *c, int argc, char **argv);
int cmd_part(struct cli *c, int argc, char **argv);
int cmd_wo(struct cli *c, int argc, char **argv);
int cmd_pm(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
/* The names of the reports, "mtbf, mttr, ...", for the list of commands. */
const char *cmd_report_names(void);
/* `report monthly` (cmd_report_monthly.c); argv[0] is "monthly". */
int cmd_report_monthly(struct cli *c, int argc, char **argv);
/* report settings, report trend (cmd_report_settings.c, cmd_report_trend.c), and
 * the scope options (--from --to --class --site --asset) they share with report. */
int cmd_report_settings(struct cli *c, int argc, char **argv);
int cmd_report_trend(struct cli *c, int argc, char **argv);
struct wr_report_opts;
int report_scope_args(struct cli *c, const struct args *a, struct wr_report_opts *o);
int cmd_rank(struct cli *c, int argc, char **argv);
int cmd_fit(struct cli *c, int argc, char **argv);
int cmd_backtest(struct cli *c, int argc, char **argv);
/* `backtest --truth FILE` (truth.c): the true p of every loaded unit at
 * every cutoff, p[cut * nunits + unit] (NAN where the file has none), and
 * each unit's group (-1: none). */
#define CLI_TRUTH_MAX_GROUPS 16
struct cli_truth {
	double *p;
	int *group;
	char group_names[CLI_TRUTH_MAX_GROUPS][32];
	size_t ngroups, rows;
};
/* Reads FILE for the units of ld and the cutoffs (days); 0, or an exit
 * code with the errors printed.  Free with cli_truth_free whatever the
 * result. */
int cli_read_truth(const struct cli *c, const char *path, const struct ld_set *ld,
                   const double *cuts, size_t ncut, struct cli_truth *t);
void cli_truth_free(struct cli_truth *t);
/* `asset show`'s reliability section (cmd_predict.c): the asset's row of the
 * whole plant's ranking as of `at` with the default model and `horizon`
 * days, the same p_fail as `wrench rank`, Home and the asset card.  Text, or
 * with json the member "reliability": {...} of the open object.  0 or an
 * exit code. */
int cli_asset_reliability(struct cli *c, const struct wr_asset *as, int64_t at,
                          double horizon, struct wr_json *json);
int cmd_demo(struct cli *c, int argc, char **argv);
int cmd_sync(struct cli *c, int argc, char **argv);
int cmd_conflicts(struct cli *c, int argc, char **argv);
/* The conflicts and rejected edits waiting for the user, as `wrench
 * conflicts` lists them (cmd_conflicts.c); 0 or an exit code. */
int cli_sync_issues_print(struct cli *c, int fmt);
int cmd_ui(struct cli *c, int argc, char **argv);

/* The work-order commands that change things (cmd_wo_edit.c). */
int wo_cmd_new(struct cli *c, int argc, char **argv);
int wo_cmd_set(struct cli *c, int argc, char **argv);
int wo_cmd_open(struct cli *c, int argc, char **argv);
int wo_cmd_start(struct cli *c, int argc, char **argv);
int wo_cmd_hold(struct cli *c, int argc, char **argv);
int wo_cmd_done(struct cli *c, int argc, char **argv);
int wo_cmd_close(struct cli *c, int argc, char **argv);
int wo_cmd_cancel(struct cli *c, int argc, char **argv);
int wo_cmd_reopen(struct cli *c, int argc, char **argv);
int wo_cmd_note(struct cli *c, int argc, char **argv);
int wo_cmd_labor(struct cli *c, int argc, char **argv);
int wo_cmd_part(struct cli *c, int argc, char **argv);

/* A group command ("wo", "asset", "pm") dispatches on its second word. */
struct subcmd {
	const char *name;
	int (*run)(struct cli *c, int argc, char **argv);
	const char *summary;
};
int cli_dispatch(struct cli *c, const char *group, const struct subcmd *subs, int argc,
                 char **argv);

/* ------------------------------------------------------------ demo data */

/* Fills an empty store with the demo plant and two years of history ending
 * at `today`.  Deterministic for a given today.  One transaction. */
int demo_build(struct store *s, int64_t today, struct wr_err *e);

#endif
