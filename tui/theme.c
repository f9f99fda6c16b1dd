/*
 * theme.c - colour pairs and monochrome fallbacks (see theme.h).
 */
#include "app.h"
#include "theme.h"

#include <stdlib.h>

struct role_def {
	short fg, bg;
	attr_t color_attr, mono_attr;
};

/* Not const: the configuration file's color.ROLE sets a role's colours
 * before theme_init (theme_set_colors). */
static struct role_def roles[ROLE__COUNT] = {
#define TUI_ROLE_ROW(r, fg, bg, ca, ma) { fg, bg, ca, ma },
	TUI_ROLES(TUI_ROLE_ROW)
#undef TUI_ROLE_ROW
};

static int use_color;

void theme_set_colors(int role, int fg, int bg)
{
	if (role < 0 || role >= ROLE__COUNT)
		return;
	roles[role].fg = (short)fg;
	roles[role].bg = (short)bg;
}

void theme_get_colors(int role, int *fg, int *bg)
{
	if (role < 0 || role >= ROLE__COUNT)
		role = ROLE_NORMAL;
	*fg = roles[role].fg;
	*bg = roles[role].bg;
}

int theme_init(void)
{
	const char *nc = getenv("NO_COLOR");
	int i;

	/* no-color.org: present and not empty means no colour. */
	use_color = !(nc && *nc) && has_colors();
	if (!use_color)
		return 0;
	if (start_color() == ERR) {
		use_color = 0;
		return 0;
	}
	use_default_colors();
	for (i = 1; i < ROLE__COUNT; i++)
		init_pair((short)i, roles[i].fg, roles[i].bg);
	return 1;
}

unsigned long theme_attr(int role)
{
	if (role < 0 || role >= ROLE__COUNT)
		role = ROLE_NORMAL;
	if (!use_color)
		return roles[role].mono_attr;
	if (role == ROLE_NORMAL)
		return A_NORMAL;
	return COLOR_PAIR(role) | roles[role].color_attr;
}
