/*
 * views.h - the table of views.  Each view is one file, tui/view_<name>.c,
 * that defines `const struct view_ops view_<name>_ops`.  To add a view,
 * write that file and add one X(ID, name) line below; the enum, the
 * extern declarations and the table in app.c follow from this list.
 */
#ifndef WRENCH_TUI_VIEWS_H
#define WRENCH_TUI_VIEWS_H

#define TUI_VIEWS(X) \
	X(HOME, home) \
	X(WO_LIST, wo_list) \
	X(WO_DETAIL, wo_detail) \
	X(FAULT, fault) \
	X(HELP, help) \
	X(FORM, form) \
	X(PICK, pick) \
	X(ASSET_LIST, asset_list) \
	X(ASSET_DETAIL, asset_detail) \
	X(PM_LIST, pm_list) \
	X(PM_FORECAST, pm_forecast) \
	X(PM_DETAIL, pm_detail) \
	X(RISK, risk) \
	X(IO, io) \
	X(MESSAGES, messages) \
	X(CONFLICT, conflict) \
	X(SYNC_REVIEW, sync_review) \
	X(STOCK, stock) \
	X(REPORTS, reports)

enum tui_view_id {
#define TUI_VIEW_ENUM(id, name) VIEW_##id,
	TUI_VIEWS(TUI_VIEW_ENUM)
#undef TUI_VIEW_ENUM
	VIEW__COUNT
};

/* A set of views, for the keymap: VM(HOME) | VM(WO_LIST). */
#define VM(id) (1ull << VIEW_##id)

struct view_ops;
#define TUI_VIEW_EXTERN(id, name) extern const struct view_ops view_##name##_ops;
TUI_VIEWS(TUI_VIEW_EXTERN)
#undef TUI_VIEW_EXTERN

#endif
