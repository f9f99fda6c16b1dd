/*
 * theme.h - colours by meaning.  Each role has a colour pair and, in the
 * same row, the attribute used on a monochrome terminal or when NO_COLOR
 * is set (like ncdu's colour table).  Meaning is never carried by colour
 * alone: rows also say "overdue", "!", "URGENT" in words or markers.
 *
 * X(ROLE, foreground, background, attribute with colour, attribute without)
 */
#ifndef WRENCH_TUI_THEME_H
#define WRENCH_TUI_THEME_H

#define TUI_ROLES(X) \
	X(NORMAL,    -1,            -1,          A_NORMAL, A_NORMAL) \
	X(TITLE,     COLOR_WHITE,   COLOR_BLUE,  A_BOLD,   A_REVERSE | A_BOLD) \
	X(KEYBAR,    COLOR_BLACK,   COLOR_CYAN,  A_NORMAL, A_REVERSE) \
	X(KEY,       COLOR_YELLOW,  COLOR_BLUE,  A_BOLD,   A_BOLD) \
	X(SELECTION, COLOR_BLACK,   COLOR_CYAN,  A_NORMAL, A_REVERSE) \
	X(HEADING,   COLOR_CYAN,    -1,          A_BOLD,   A_BOLD | A_UNDERLINE) \
	X(LABEL,     COLOR_CYAN,    -1,          A_NORMAL, A_NORMAL) \
	X(OVERDUE,   COLOR_RED,     -1,          A_BOLD,   A_BOLD) \
	X(URGENT,    COLOR_RED,     -1,          A_BOLD,   A_BOLD | A_UNDERLINE) \
	X(HIGH,      COLOR_YELLOW,  -1,          A_BOLD,   A_BOLD) \
	X(OK,        COLOR_GREEN,   -1,          A_NORMAL, A_NORMAL) \
	X(WARN,      COLOR_YELLOW,  -1,          A_BOLD,   A_BOLD) \
	X(ERROR,     COLOR_WHITE,   COLOR_RED,   A_BOLD,   A_REVERSE | A_BOLD) \
	X(DIM,       COLOR_BLUE,    -1,          A_NORMAL, A_DIM) \
	X(INPUT,     COLOR_WHITE,   COLOR_BLACK, A_UNDERLINE, A_UNDERLINE)

enum tui_role {
#define TUI_ROLE_ENUM(r, fg, bg, ca, ma) ROLE_##r,
	TUI_ROLES(TUI_ROLE_ENUM)
#undef TUI_ROLE_ENUM
	ROLE__COUNT
};

/* Sets up colour pairs when the terminal has colours and NO_COLOR is not
 * set.  Returns nonzero when colours are in use. */
int theme_init(void);
/* A role's colours (curses numbers, -1 the terminal's own): the default,
 * or what theme_set_colors gave it before theme_init. */
void theme_set_colors(int role, int fg, int bg);
void theme_get_colors(int role, int *fg, int *bg);
/* The attribute (pair and flags) to draw a role with. */
unsigned long theme_attr(int role);

#endif
