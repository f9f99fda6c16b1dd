/*
 * keymap.h - the one table of keys.  Key dispatch, the help screen and the
 * key-hint bar are all generated from TUI_KEYMAP below, so a key cannot be
 * documented differently from what it does (the idea of tig's request
 * table and calcurse's keydefs).
 *
 * This header does not include curses: the KEY_* names in the table are
 * only expanded in keymap.c.  Keys are ints: a character is its Unicode
 * code point, a curses function key is TK_FN(KEY_...).
 */
#ifndef WRENCH_TUI_KEYMAP_H
#define WRENCH_TUI_KEYMAP_H

#include <stddef.h>
#include "views.h"

#define TK_FN(k) (0x01000000 | (k))
#define TK_IS_FN(k) (((k) & 0x01000000) != 0)
#define TK_CTRL(c) ((c) & 0x1f)
#define TK_ESC 27
#define TK_MAX_KEYS 10

/* Flags of an entry. */
#define KB_HH 1        /* label shown in the handheld (40-column) key bar */
#define KB_DESK 2      /* label shown in the desk key bar */
#define KB_RIGHT 4     /* kept at the right end of the bar (always shown) */
#define KB_BOTH (KB_HH | KB_DESK)

#define TK_ALL 0ull    /* views: every view */
/* The lists where n and N repeat the last search. */
#define TK_LISTS_N (VM(WO_LIST) | VM(ASSET_LIST) | VM(PM_LIST) | VM(RISK))
#define TK_LISTS (VM(HOME) | VM(WO_LIST) | VM(FAULT) | VM(HELP) | VM(PICK) | VM(WO_DETAIL) | VM(FORM))

/*
 * X(ACTION, name, (keys), views, handheld label, desk label, flags, help)
 *
 * Entries naming a view take precedence over TK_ALL entries for the same
 * key, so a view can give a key its own meaning (digits choose items in a
 * pick list but switch screens elsewhere).
 */
#define TUI_KEYMAP(X) \
	X(ACT_QUIT, "quit", ('Q', TK_CTRL('c')), TK_ALL, "", "Quit", KB_DESK, \
	  "Quit wrench (asks first when an edit is unsaved)") \
	X(ACT_BACK, "back", ('q', TK_ESC), TK_ALL, "Back", "Back", KB_BOTH | KB_RIGHT, \
	  "Close this screen (on Home it does nothing: Q quits)") \
	X(ACT_HELP, "help", ('?', TK_FN(KEY_F(1))), TK_ALL, "Help", "Help", KB_BOTH | KB_RIGHT, \
	  "This help: every key, generated from the keymap") \
	X(ACT_GO_HOME, "go-home", ('1'), TK_ALL, "Home", "Home", KB_BOTH, \
	  "Go to Home: my work, overdue PM, assets at risk, sync") \
	X(ACT_GO_WO, "go-wo", ('2'), TK_ALL, "WO", "Work orders", KB_BOTH, \
	  "Go to the work-order list") \
	X(ACT_GO_ASSETS, "go-assets", ('3'), TK_ALL, "Ast", "Assets", KB_BOTH, \
	  "Go to the asset list") \
	X(ACT_GO_PM, "go-pm", ('4'), TK_ALL, "PM", "PM", KB_DESK, \
	  "Go to preventive maintenance schedules") \
	X(ACT_GO_RISK, "go-risk", ('5'), TK_ALL, "Risk", "Risk", KB_DESK, \
	  "Go to the failure-risk ranking") \
	X(ACT_GO_IO, "go-import", ('6'), TK_ALL, "", "Import", KB_DESK, \
	  "Go to import and export of CSV and JSON files") \
	X(ACT_MESSAGES, "messages", ('M'), TK_ALL, "", "Messages", KB_DESK, \
	  "Message history: the recent messages in full, errors first") \
	X(ACT_GO_SYNC, "go-conflicts", ('7'), TK_ALL, "", "Conflicts", KB_DESK, \
	  "Go to the conflict review: fields changed here and on the server, rejected edits") \
	X(ACT_GO_STOCK, "go-parts", ('L'), TK_ALL, "", "Low stock", KB_DESK, \
	  "Go to the parts inventory: the parts low on stock (a shows every part)") \
	X(ACT_GO_REPORTS, "go-reports", ('8'), TK_ALL, "", "Reports", KB_DESK, \
	  "Go to the reports: availability, MTBF, MTTR, PM compliance, backlog by month, bad actors") \
	X(ACT_SYNC_NOW, "sync-now", ('S'), TK_ALL, "", "Sync now", 0, \
	  "Sync with the server now (sync also runs by itself while wrench is open)") \
	X(ACT_UP, "up", ('k', TK_FN(KEY_UP)), TK_ALL, "", "", 0, \
	  "Move up") \
	X(ACT_DOWN, "down", ('j', TK_FN(KEY_DOWN)), TK_ALL, "", "", 0, \
	  "Move down") \
	X(ACT_PGUP, "page-up", (TK_FN(KEY_PPAGE), TK_CTRL('b'), '-'), TK_ALL, "", "", 0, \
	  "Page up") \
	X(ACT_PGDN, "page-down", (TK_FN(KEY_NPAGE), TK_CTRL('f'), ' '), TK_ALL, "", "", 0, \
	  "Page down") \
	X(ACT_TOP, "top", ('g', TK_FN(KEY_HOME)), TK_ALL, "", "", 0, \
	  "First row (newest)") \
	X(ACT_BOTTOM, "bottom", ('G', TK_FN(KEY_END)), TK_ALL, "", "", 0, \
	  "Last row (oldest)") \
	X(ACT_OPEN, "open", ('\n', '\r', TK_FN(KEY_ENTER)), TK_ALL, "", "Open", 0, \
	  "Open the selected row, or choose it") \
	X(ACT_NEXT, "next", ('\t'), TK_ALL, "", "", 0, \
	  "Next section or field") \
	X(ACT_PREV, "previous", (TK_FN(KEY_BTAB)), TK_ALL, "", "", 0, \
	  "Previous section or field") \
	X(ACT_REDRAW, "redraw", (TK_CTRL('l')), TK_ALL, "", "", 0, \
	  "Redraw the screen and reload what it shows from the database") \
	X(ACT_SEARCH, "search", ('/'), VM(WO_LIST) | VM(HOME), "Find", "Search", KB_BOTH, \
	  "Search work orders: updates as you type, Enter keeps, Esc cancels") \
	X(ACT_FILTER, "filter", ('f'), VM(WO_LIST), "Filt", "Filter", KB_BOTH, \
	  "Filter by status, priority, type, assignee or asset") \
	X(ACT_CLEAR, "clear-filter", ('F'), VM(WO_LIST), "", "Clear filter", KB_DESK, \
	  "Clear every filter and the search") \
	X(ACT_NEW, "quick-create", ('c'), VM(HOME) | VM(WO_LIST), "New", "New WO", KB_BOTH, \
	  "Quick-create a work order or request") \
	X(ACT_WO_SORT, "sort-column", ('s'), VM(WO_LIST), "Sort", "Sort", KB_DESK, \
	  "Sort by a column: number, status, priority, asset, due, title (or newest first)") \
	X(ACT_WO_REVERSE, "reverse-sort", ('r'), VM(WO_LIST), "", "Reverse", KB_DESK, \
	  "Reverse the order of the list") \
	X(ACT_FIND_NEXT, "search-next", ('n'), TK_LISTS_N, "", "", 0, \
	  "Repeat the last search forward: the next row that contains its text") \
	X(ACT_FIND_PREV, "search-previous", ('N'), TK_LISTS_N, "", "", 0, \
	  "Repeat the last search backward: the previous row that contains its text") \
	X(ACT_STATUS, "status", ('t'), VM(WO_DETAIL), "Stat", "Status", KB_BOTH, \
	  "Change status (only the allowed transitions are offered)") \
	X(ACT_TIMER, "timer", ('w'), VM(WO_DETAIL), "Time", "Timer", KB_BOTH, \
	  "Start or stop my labour timer on this work order") \
	X(ACT_NOTE, "note", ('a'), VM(WO_DETAIL), "Note", "Add note", KB_BOTH, \
	  "Append a note") \
	X(ACT_PART, "part", ('p'), VM(WO_DETAIL), "Part", "Add part", KB_DESK, \
	  "Add a part used") \
	X(ACT_CODES, "codes", ('c'), VM(WO_DETAIL), "Code", "Codes", KB_DESK, \
	  "Set the problem, cause and remedy codes from pick lists") \
	X(ACT_FAILURE, "failure", ('F'), VM(WO_DETAIL), "Fail", "Failure", KB_DESK, \
	  "Failure record: failure yes/no, downtime start and end (n = now), codes") \
	X(ACT_CHECK, "check", ('x'), VM(WO_DETAIL), "", "Checklist", KB_DESK, \
	  "Checklist: set the selected item to pass, fail, n/a or pending in turn") \
	X(ACT_DIAG, "diagnose", ('d'), VM(WO_DETAIL), "", "Diagnose", KB_DESK, \
	  "Fault diagnosis: similar past faults and what fixed them") \
	X(ACT_EDIT, "edit", ('e'), VM(WO_DETAIL) | VM(FORM) | VM(SYNC_REVIEW), "Edit", "Edit", KB_DESK, \
	  "Edit: the work order's fields, the selected form field, or a conflicting field (then kept)") \
	X(ACT_SAVE, "save", ('s', TK_FN(KEY_F(2)), TK_CTRL('s')), VM(FORM), "Save", "Save", KB_BOTH, \
	  "Save the form (also Enter on its last field)") \
	X(ACT_CF_REDO, "conflict-redo", ('r'), VM(CONFLICT), "Redo", "Reload & redo", KB_BOTH, \
	  "A save refused because the record changed: reload it and open the editor again") \
	X(ACT_CF_MINE, "conflict-mine", ('m'), VM(CONFLICT), "Mine", "Save mine", KB_BOTH, \
	  "A save refused because the record changed: save the fields kept mine (Enter chooses)") \
	X(ACT_CF_THEIRS, "conflict-theirs", ('t'), VM(CONFLICT), "Thrs", "Keep theirs", KB_BOTH, \
	  "A save refused because the record changed: keep theirs, drop mine") \
	X(ACT_CHOOSE_NUM, "choose-number", ('1', '2', '3', '4', '5', '6', '7', '8', '9'), VM(PICK), \
	  "", "", 0, "Choose the item with that number") \
	X(ACT_EXPAND, "expand", ('l', TK_FN(KEY_RIGHT)), VM(ASSET_LIST), "", "Expand", 0, \
	  "Tree: open the selected location or asset to show what is in or below it") \
	X(ACT_COLLAPSE, "collapse", ('h', TK_FN(KEY_LEFT)), VM(ASSET_LIST), "", "", 0, \
	  "Tree: close the selected node, or go up to its parent") \
	X(ACT_ASSET_FIND, "find-asset", ('/'), VM(ASSET_LIST), "Find", "Search", KB_BOTH, \
	  "Search assets by tag, name, class or serial: a flat list that follows each key") \
	X(ACT_TREE, "tree-or-list", ('t'), VM(ASSET_LIST), "Tree", "Tree/list", KB_BOTH, \
	  "Switch between the location tree and the flat list of every asset") \
	X(ACT_ASSET_NEW, "new-for-asset", ('c'), VM(ASSET_LIST) | VM(ASSET_DETAIL), "New", "New WO", \
	  KB_BOTH, "Quick-create a work order or request for this asset") \
	X(ACT_READING, "reading", ('r'), VM(ASSET_DETAIL), "Read", "Reading", KB_BOTH, \
	  "Enter a meter reading (Enter on a meter line chooses that meter)") \
	X(ACT_PLOT, "plot", ('v'), VM(ASSET_DETAIL), "Plot", "Plot", KB_BOTH, \
	  "Show or hide the reliability curve R(t), or N(t) of a repaired asset, age marked") \
	X(ACT_ASSET_WOS, "asset-work", ('o'), VM(ASSET_DETAIL), "", "All WOs", KB_DESK, \
	  "Every work order of this asset, in the work-order list") \
	X(ACT_IO, "import-export", ('i'), VM(ASSET_LIST) | VM(PM_LIST), "", "Import/export", KB_DESK, \
	  "Import or export CSV: locations, assets, meters, readings, PM, work orders, history") \
	X(ACT_PM_EDIT, "edit-pm", ('e'), VM(PM_LIST), "Edit", "Edit", KB_BOTH, \
	  "Edit the selected PM schedule (planners)") \
	X(ACT_PM_NEW, "new-pm", ('c'), VM(PM_LIST), "New", "New PM", KB_DESK, \
	  "Create a PM schedule: code, title, asset, interval and unit (or meter) (planners)") \
	X(ACT_PM_DETAIL, "pm-detail", ('d'), VM(PM_LIST), "Det", "Detail", KB_DESK, \
	  "The selected schedule: its next occurrences and the work orders it generated") \
	X(ACT_PM_GENERATE, "generate", ('m'), VM(PM_LIST), "Make", "Generate due", KB_BOTH, \
	  "Make the work orders of every due PM now (asks first, then says how many)") \
	X(ACT_FORECAST, "forecast", ('f'), VM(PM_LIST), "Fcst", "Forecast", KB_BOTH, \
	  "PM workload forecast: planned hours per week") \
	X(ACT_SPAN, "span", ('t'), VM(PM_FORECAST), "Span", "30/90 days", KB_BOTH, \
	  "Switch the forecast between the next 30 and 90 days") \
	X(ACT_SORT, "sort", ('s'), VM(RISK), "Sort", "Sort", KB_BOTH, \
	  "Sort by the next column: p_fail, asset, class, age, beta, eta, MTBF, trend") \
	X(ACT_REVERSE, "reverse", ('r'), VM(RISK), "Rev", "Reverse", KB_BOTH, \
	  "Reverse the sort order") \
	X(ACT_RISK_FIND, "find-risk", ('/'), VM(RISK), "Find", "Search", KB_DESK, \
	  "Search assets by tag or class: the rows narrow as you type, Esc cancels") \
	X(ACT_RISK_CLASS, "class-filter", ('c'), VM(RISK), "Cls", "Class", KB_DESK, \
	  "Show one class only (a pick list of the ranked classes, or all)") \
	X(ACT_RISK_SITE, "site-filter", ('l'), VM(RISK), "Site", "Site", KB_DESK, \
	  "Rank one site's assets only (a pick list of the sites, or all), again in the background") \
	X(ACT_HORIZON, "horizon", ('h'), VM(RISK), "Hor", "Horizon", KB_DESK, \
	  "Rank again for another horizon: 7, 30 or 90 days (the keys stay live meanwhile)") \
	X(ACT_REPORT, "report", ('r'), VM(IO), "Rep", "Bad rows", KB_BOTH, \
	  "Show the report of the last import or dry run again") \
	X(ACT_STOCK_ALL, "all-parts", ('a'), VM(STOCK), "All", "All/low", KB_BOTH, \
	  "Parts: switch between the parts low on stock and every part") \
	X(ACT_RP_NEXT, "next-measure", ('l', TK_FN(KEY_RIGHT)), VM(REPORTS), "", "", 0, \
	  "Reports: the next measure (on a small screen, the next page)") \
	X(ACT_RP_PREV, "previous-measure", ('h', TK_FN(KEY_LEFT)), VM(REPORTS), "", "", 0, \
	  "Reports: the previous measure") \
	X(ACT_RP_CLASS, "report-class", ('c'), VM(REPORTS), "Cls", "Class", KB_BOTH, \
	  "Reports: one class of assets only (a pick list of the classes, or all)") \
	X(ACT_RP_SITE, "report-site", ('s'), VM(REPORTS), "", "Site", KB_DESK, \
	  "Reports: one site only (a pick list of the sites, or all)") \
	X(ACT_RP_EARLIER, "report-earlier", ('['), VM(REPORTS), "", "", 0, \
	  "Reports: the twelve months that end a month earlier") \
	X(ACT_RP_LATER, "report-later", (']'), VM(REPORTS), "", "", 0, \
	  "Reports: the twelve months that end a month later (at most this month)") \
	X(ACT_KEEP_MINE, "keep-mine", ('m'), VM(SYNC_REVIEW), "Mine", "Keep mine", KB_BOTH, \
	  "Conflict: keep my value; it goes to the server, based on its version, at the next sync") \
	X(ACT_TAKE_THEIRS, "take-theirs", ('t'), VM(SYNC_REVIEW), "Thrs", "Take theirs", KB_BOTH, \
	  "Conflict: take the server's value in place of mine") \
	X(ACT_DROP, "drop-edit", ('d'), VM(SYNC_REVIEW), "Drop", "Drop", KB_BOTH, \
	  "Rejected edit: drop it; what it changed goes back to its old value on this device")

enum tui_action {
	ACT_NONE = 0,
#define TK_ENUM(act, name, keys, views, hh, desk, flags, help) act,
	TUI_KEYMAP(TK_ENUM)
#undef TK_ENUM
	ACT__COUNT
};

struct tui_binding {
	int action;
	const char *name;
	int keys[TK_MAX_KEYS];      /* 0-terminated unless full */
	unsigned long long views;   /* TK_ALL or a VM() set */
	const char *hh_label, *desk_label;
	int flags;
	const char *help;
};

/* The table, in its declared order. */
const struct tui_binding *tk_bindings(size_t *n);
/* The action a key has on a view: an entry naming the view wins over a
 * TK_ALL entry.  ACT_NONE when the key means nothing there. */
int tk_lookup(int key, int view_id);
/* The binding of an action, or NULL. */
const struct tui_binding *tk_binding(int action);
/* Gives an action these keys instead of its own (the configuration file's
 * bind.NAME); n from 1 to TK_MAX_KEYS.  0, or -1 for no such action. */
int tk_rebind(int action, const int *keys, int n);
/* Nonzero when the binding applies on the view. */
int tk_applies(const struct tui_binding *b, int view_id);
/* A short printable name: "j", "Enter", "Esc", "Tab", "F1", "^S", "PgDn",
 * "Space".  buf holds at least 16 bytes.  Returns buf. */
char *tk_name(int key, char *buf, size_t n);
/* "j/Down" for every key of a binding. */
char *tk_keys_text(const struct tui_binding *b, char *buf, size_t n);

#endif
