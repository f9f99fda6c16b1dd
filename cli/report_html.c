/*
 * report_html.c - the monthly report as one HTML page (see report_html.h).
 *
 * The page must open anywhere, print well and leak nothing: all style is
 * in one <style> element, every chart is inline SVG drawn here, and there
 * is no script and no URL at all (no font, no image, no namespace: inline
 * SVG in HTML needs none), so nothing is ever fetched.  Texts from the database
 * (tags, classes, the class filter) may hold anything, so each goes
 * through html_text(), in element content and attributes alike.
 */
#include <math.h>
#include <string.h>

#include "cli.h"
#include "report_html.h"

/* Chart geometry, in SVG user units (the page scales them). */
#define TREND_W 300.0
#define TREND_H 120.0
#define TREND_LEFT 44.0      /* the value labels */
#define TREND_TOP 10.0
#define TREND_BOTTOM 22.0    /* the month labels */
#define ACTOR_ROW 22.0
#define ACTOR_LEFT 150.0     /* the asset labels */
#define ACTOR_W 520.0

static const char *const month_abbr[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
static const char *const month_name[12] = {
	"January", "February", "March", "April", "May", "June", "July", "August", "September",
	"October", "November", "December",
};

static const char css[] =
	"*{box-sizing:border-box}"
	"body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;color:#1a1a1a;margin:24px;"
	"font-size:14px;background:#fff}"
	"h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:24px 0 8px;"
	"border-bottom:2px solid #1f4e79;padding-bottom:4px;color:#1f4e79}"
	".sub{color:#555;margin:0 0 16px}"
	".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px}"
	".card{border:1px solid #ccd;border-radius:6px;padding:10px 12px;break-inside:avoid}"
	".card h3{font-size:15px;margin:0}"
	".value{font-size:26px;font-weight:bold;margin:2px 0}"
	".unit{font-size:14px;font-weight:normal;color:#555}"
	".delta{font-size:12px;color:#555}.good{color:#1b7a2f}.bad{color:#b3261e}"
	"svg{display:block;width:100%;height:auto}svg.actors{max-width:760px}"
	"svg text{font-size:10px;fill:#444}"
	".axis{stroke:#999;stroke-width:1}"
	".line{fill:none;stroke:#1f4e79;stroke-width:2}"
	".point{fill:#1f4e79}.point.current{fill:#e07b00;stroke:#1a1a1a;stroke-width:1}"
	".bar{fill:#1f4e79}"
	"table{border-collapse:collapse;width:100%;font-size:13px}"
	"th,td{border-bottom:1px solid #dde;padding:4px 6px;text-align:left}"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
	"thead th{background:#eef2f7}"
	".none{color:#777;font-style:italic}"
	"footer{margin-top:24px;font-size:11px;color:#666}"
	"@page{size:A4;margin:14mm}"
	"@media print{body{margin:0;font-size:12px}.cards{grid-template-columns:1fr 1fr}"
	"h2{break-after:avoid}tr{break-inside:avoid}}";

/* Text from anywhere, escaped for element content and quoted attributes. */
static void html_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			/* Control characters other than tab and line breaks
			 * have no place in a page. */
			if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n')
				fputc('?', f);
			else
				fputc(*s, f);
		}
	}
}

/* A value with the measure's decimals, or a dash when there is none. */
static void put_value(FILE *f, double v, int decimals)
{
	if (isfinite(v))
		fprintf(f, "%.*f", decimals, v);
	else
		fputs("&#8211;", f);
}

static void month_label(int64_t t, char *buf, size_t n, int full)
{
	int y, m, d;

	wr_date_to_ymd(t, &y, &m, &d);
	snprintf(buf, n, "%s %d", full ? month_name[m - 1] : month_abbr[m - 1], y);
}

/* The values' range [lo, hi], and the range the chart spans: widened a
 * little so that a flat line sits in the middle and the extremes do not
 * touch the frame.  0 when no month has a value. */
static int trend_range(const double *v, int n, double *lo, double *hi, double *clo,
                       double *chi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (int i = 0; i < n; i++)
		if (isfinite(v[i])) {
			*lo = v[i] < *lo ? v[i] : *lo;
			*hi = v[i] > *hi ? v[i] : *hi;
		}
	if (!isfinite(*lo))
		return 0;
	*clo = *lo;
	*chi = *hi;
	if (*chi - *clo < 1e-9) {
		*clo -= 1;
		*chi += 1;
	}
	double pad = (*chi - *clo) * 0.1;
	*clo -= pad;
	*chi += pad;
	return 1;
}

static double trend_x(int i, int n)
{
	double slot = (TREND_W - TREND_LEFT - 6) / n;
	return TREND_LEFT + slot * (i + 0.5);
}

static double trend_y(double v, double lo, double hi)
{
	double plot = TREND_H - TREND_TOP - TREND_BOTTOM;
	return TREND_TOP + plot * (1 - (v - lo) / (hi - lo));
}

/* The line through the months that have a value, broken where one has none. */
static void trend_line(FILE *f, const double *v, int n, double lo, double hi)
{
	int open = 0;

	for (int i = 0; i <= n; i++) {
		if (i < n && isfinite(v[i])) {
			fprintf(f, "%s%.1f,%.1f", open ? " " : "<polyline class=\"line\" points=\"",
			        trend_x(i, n), trend_y(v[i], lo, hi));
			open = 1;
		} else if (open) {
			fputs("\"/>", f);
			open = 0;
		}
	}
}

/* The twelve months of one measure: axis, value labels, month initials,
 * the line and one point per month with a value (the report's month
 * marked), each point titled with its month and value. */
static void trend_svg(FILE *f, const struct monthly_report *r, int m)
{
	const struct wr_monthly_info *mi = wr_monthly_info(m);
	const double *v = r->m.v[m];
	int n = r->m.n;
	double lo, hi, clo = 0, chi = 1, base = TREND_H - TREND_BOTTOM;
	char lab[32];
	int any = trend_range(v, n, &lo, &hi, &clo, &chi);

	fprintf(f, "<svg class=\"trend\" data-measure=\"%s\" viewBox=\"0 0 %.0f %.0f\" "
	        "role=\"img\" aria-label=\"%s, 12 months\">",
	        wr_measure_name(mi->measure), TREND_W, TREND_H, mi->title);
	fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
	        TREND_LEFT - 2, base, TREND_W - 4, base);
	fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
	        TREND_LEFT - 2, TREND_TOP, TREND_LEFT - 2, base);
	if (!any)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">no value in these "
		        "months</text>", (TREND_LEFT + TREND_W) / 2, TREND_H / 2);
	/* The greatest and least month, labelled where they are. */
	for (int k = 0; any && k < (hi > lo ? 2 : 1); k++)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.*f</text>",
		        TREND_LEFT - 5, trend_y(k ? lo : hi, clo, chi) + 3.5, mi->decimals, k ? lo : hi);
	for (int i = 0; i < n; i++) {
		int y, mo, d;
		wr_date_to_ymd(r->m.month[i], &y, &mo, &d);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.1s</text>",
		        trend_x(i, n), TREND_H - 8, month_abbr[mo - 1]);
	}
	trend_line(f, v, n, clo, chi);
	for (int i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			continue;
		month_label(r->m.month[i], lab, sizeof lab, 0);
		fprintf(f, "<circle class=\"point%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" "
		        "data-month=\"%s\" data-value=\"%.*f\"><title>%s: %.*f %s</title></circle>",
		        i == n - 1 ? " current" : "", trend_x(i, n), trend_y(v[i], clo, chi),
		        i == n - 1 ? "4.5" : "3", wr_month_fmt(r->m.month[i], (char[8]){0}),
		        mi->decimals, v[i], lab, mi->decimals, v[i], mi->unit);
	}
	fputs("</svg>", f);
}

/* How the month compares with the one before, in words and colour. */
static void delta_text(FILE *f, const struct wr_monthly_info *mi, double now, double before)
{
	if (!isfinite(now) || !isfinite(before)) {
		fputs("<div class=\"delta\">no comparison with the month before</div>", f);
		return;
	}
	double d = now - before;
	int good = d == 0 ? -1 : (d > 0) == (mi->higher_is_better != 0);
	/* A change of a percentage is in points. */
	fprintf(f, "<div class=\"delta%s\">%s%.*f%s%s on the month before</div>",
	        good < 0 ? "" : good ? " good" : " bad", d >= 0 ? "+" : "&#8722;", mi->decimals,
	        fabs(d), *mi->unit ? " " : "", strcmp(mi->unit, "%") ? mi->unit : "points");
}

static void measure_card(FILE *f, const struct monthly_report *r, int m)
{
	const struct wr_monthly_info *mi = wr_monthly_info(m);
	int n = r->m.n;
	double now = r->m.v[m][n - 1];

	fprintf(f, "<div class=\"card\" id=\"m-%s\"><h3>%s</h3><div class=\"value\">",
	        wr_measure_name(mi->measure), mi->title);
	put_value(f, now, mi->decimals);
	fprintf(f, " <span class=\"unit\">%s</span></div>", mi->unit);
	delta_text(f, mi, now, n > 1 ? r->m.v[m][n - 2] : NAN);
	trend_svg(f, r, m);
	fputs("</div>", f);
}

/* The bad actors: one bar per asset, as long as its failures. */
static void actors_svg(FILE *f, const struct monthly_report *r)
{
	int64_t max = 1;
	size_t i;
	double h = ACTOR_ROW * (double)r->nactors + 8;

	for (i = 0; i < r->nactors; i++)
		if (r->actors[i].failures > max)
			max = r->actors[i].failures;
	fprintf(f, "<svg class=\"actors\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
	        "aria-label=\"Bad actors by failures\">",
	        ACTOR_LEFT + ACTOR_W + 40, h);
	for (i = 0; i < r->nactors; i++) {
		const struct wr_bad_actor *b = &r->actors[i];
		double y = 4 + ACTOR_ROW * (double)i, w = ACTOR_W * (double)b->failures / (double)max;
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", ACTOR_LEFT - 6, y + 14);
		html_text(f, b->tag);
		fprintf(f, "</text><rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		        "height=\"%.1f\" data-asset=\"", ACTOR_LEFT, y + 2, w, ACTOR_ROW - 6);
		html_text(f, b->tag);
		fprintf(f, "\" data-failures=\"%lld\"><title>", (long long)b->failures);
		html_text(f, b->tag);
		fprintf(f, ": %lld failures, %.1f h down</title></rect>", (long long)b->failures,
		        b->downtime_hours);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%lld</text>", ACTOR_LEFT + w + 6, y + 14,
		        (long long)b->failures);
	}
	fputs("</svg>", f);
}

static void actors_section(FILE *f, const struct monthly_report *r)
{
	char a[32], b[32];

	month_label(r->m.month[0], a, sizeof a, 0);
	month_label(r->m.month[r->m.n - 1], b, sizeof b, 0);
	fprintf(f, "<section id=\"bad-actors\"><h2>Bad actors, %s to %s</h2>", a, b);
	if (r->nactors == 0) {
		fputs("<p class=\"none\">No failures recorded in these months.</p></section>", f);
		return;
	}
	actors_svg(f, r);
	fputs("<table><thead><tr><th>Asset</th><th class=\"num\">Failures</th>"
	      "<th class=\"num\">Downtime (h)</th><th class=\"num\">Cost</th></tr></thead><tbody>",
	      f);
	for (size_t i = 0; i < r->nactors; i++) {
		fputs("<tr><td>", f);
		html_text(f, r->actors[i].tag);
		fprintf(f, "</td><td class=\"num\">%lld</td><td class=\"num\">%.1f</td>"
		        "<td class=\"num\">%.2f</td></tr>", (long long)r->actors[i].failures,
		        r->actors[i].downtime_hours, r->actors[i].cost);
	}
	fputs("</tbody></table></section>", f);
}

static void risk_section(FILE *f, const struct monthly_report *r)
{
	char day[WR_DATE_BUF];

	fprintf(f, "<section id=\"at-risk\"><h2>At risk: the top %d</h2><p class=\"sub\">"
	        "Probability of failure within %.0f days of %s, from the failure-risk ranking "
	        "(<code>wrench rank</code>) of %zu assets.</p>", MONTHLY_AT_RISK, r->horizon_days,
	        wr_date_fmt_day(r->risk_as_of, day), r->ranked);
	if (r->nrisk == 0) {
		fputs("<p class=\"none\">No asset could be ranked.</p></section>", f);
		return;
	}
	fputs("<table class=\"risk\"><thead><tr><th class=\"num\">#</th><th>Asset</th>"
	      "<th>Class</th><th class=\"num\">P(failure)</th><th class=\"num\">Age (days)</th>"
	      "<th class=\"num\">Failures</th></tr></thead><tbody>", f);
	for (size_t i = 0; i < r->nrisk; i++) {
		const struct monthly_risk *k = &r->risk[i];
		fprintf(f, "<tr><td class=\"num\">%zu</td><td>", i + 1);
		html_text(f, k->tag);
		fputs("</td><td>", f);
		html_text(f, k->cls);
		fprintf(f, "</td><td class=\"num\">%.1f%%</td><td class=\"num\">%.0f</td>"
		        "<td class=\"num\">%d</td></tr>", 100 * k->p_fail, k->age_days, k->failures);
	}
	fputs("</tbody></table></section>", f);
}

static void head(FILE *f, const struct monthly_report *r, const char *title)
{
	char day[WR_DATE_BUF];

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	      "<title>", f);
	fputs(title, f);
	fprintf(f, "</title><style>%s</style></head>\n<body><header><h1>%s</h1><p class=\"sub\">",
	        css, title);
	if (r->cls || r->site) {
		fputs("Assets", f);
		if (r->cls) {
			fputs(" of class ", f);
			html_text(f, r->cls);
		}
		if (r->site) {
			fputs(" at ", f);
			html_text(f, r->site);
		}
		fputs(". ", f);
	} else {
		fputs("All assets. ", f);
	}
	fprintf(f, "Made by wrench %s on %s.</p></header>\n", WRENCH_VERSION,
	        wr_date_fmt_day(r->generated, day));
}

void report_html_write(FILE *f, const struct monthly_report *r)
{
	char title[64], ml[32];

	month_label(r->month, ml, sizeof ml, 1);
	snprintf(title, sizeof title, "Maintenance report, %s", ml);
	head(f, r, title);
	fputs("<section id=\"measures\"><h2>Measures</h2><div class=\"cards\">", f);
	for (int m = 0; m < WM__COUNT; m++)
		measure_card(f, r, m);
	fputs("</div></section>\n", f);
	actors_section(f, r);
	fputc('\n', f);
	risk_section(f, r);
	fputs("\n<footer>Each month's figure is the total of <code>wrench report NAME</code> over "
	      "that month (backlog and age of open work: as of its last day), as <code>wrench "
	      "report trend</code> lists them; wrench(1) defines each measure under REPORTS. "
	      "The bad actors are <code>wrench report pareto --by asset</code> over the twelve "
	      "months.</footer>\n</body></html>\n", f);
}
