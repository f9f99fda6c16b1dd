# report_html.sh - `wrench report monthly`: the numbers as CSV and JSON
# (the same as `wrench report NAME` over each month), and the HTML page,
# parsed (python3's html.parser) and rendered in a real headless browser
# (Debian's chromium): its title and month, a chart per measure with a
# point per month that has a value, a bar per bad actor, the ranking's top
# twenty, no script and no URL, the database's texts escaped, and a
# screenshot that shows the charts.  Without chromium the test fails.
. "$(dirname "$0")/lib.sh"

export WRENCH_TODAY=2026-03-02
w demo --no-ui
check_rc "demo" 0

# An asset whose tag and class are markup, failing often in February: it
# leads the bad actors, and its texts must come out as text.
cat >"$TMP/evil.csv" <<'EOF'
tag,name,class,install_date
"EV<i>&""1",Evil,"cl<b>ss",2024-01-01
EOF
w import assets "$TMP/evil.csv"
check_rc "import the evil asset" 0
{
	echo "asset,date,event,code,notes"
	for d in 02 05 09 13 17 21 25; do
		echo "\"EV<i>&\"\"1\",2026-02-$d,failure,,Tripped"
	done
} >"$TMP/evil_history.csv"
w import history "$TMP/evil_history.csv"
check_rc "import its failures" 0

# ---- usage
w report monthly --month 2026-13
check_rc "a month 13 is refused" 2
assert_contains "it says how to write a month" "$ERR" "YYYY-MM"
w report monthly --month 2026-04
check_rc "a month not begun is refused" 2
w report monthly --format pdf
check_rc "an unknown format is refused" 2
w report monthly --format html -o "$DB"
check_rc "the database is never the output" 1
w report availability
check_rc "the database is intact" 0

# ---- the numbers: twelve months ending with the last complete one
w report monthly --format csv
check_rc "monthly csv" 0
CSV=$(printf '%s\n' "$OUT" | tr -d '\r')
# The measures of report trend, in the order of the page.
assert_eq "csv header" "month,availability_pct,mtbf_hours,mttr_hours,failures,downtime_hours,pm_compliance_pct,schedule_compliance_pct,planned_pct,backlog_wos,backlog_hours,backlog_weeks,aging_days,cost" \
	"$(printf '%s\n' "$CSV" | head -1)"
assert_eq "twelve months" 12 "$(csv_rows "$CSV")"
assert_eq "from March" "2025-03" "$(printf '%s\n' "$CSV" | sed -n 2p | cut -d, -f1)"
assert_eq "to February" "2026-02" "$(printf '%s\n' "$CSV" | tail -1 | cut -d, -f1)"
# col NAME MONTH: a measure's value in a month of $CSV.
col() {
	printf '%s\n' "$CSV" | awk -F, -v name="$1" -v m="$2" \
		'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i } $1 == m { print $c }'
}
# Each month's figure is the TOTAL of `wrench report NAME` over that month,
# and the same as report trend's.
w report availability --from 2026-01-01 --to 2026-01-31 --format csv
jan_av=$(printf '%s\n' "$OUT" | tr -d '\r' | awk -F, '$1 == "TOTAL" { printf "%.2f", $5 }')
assert_eq "January's availability is report availability's" "$jan_av" "$(col availability_pct 2026-01)"
w report mttr --from 2025-06-01 --to 2025-06-30 --format csv
jun_mttr=$(printf '%s\n' "$OUT" | tr -d '\r' | awk -F, '$1 == "TOTAL" { printf "%.2f", $5 }')
assert_eq "June's MTTR is report mttr's" "$jun_mttr" "$(col mttr_hours 2025-06)"
w report trend --from 2025-03-01 --to 2026-02-28 --format csv
TREND=$(printf '%s\n' "$OUT" | tr -d '\r')
for m in 2025-03 2025-09 2026-02; do
	for k in pm_compliance_pct backlog_wos cost failures; do
		want=$(printf '%s\n' "$TREND" | awk -F, -v name="$k" -v m="$m" \
			'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i } $1 == m { print $c }')
		assert_eq "$m $k is report trend's" "$want" "$(col "$k" "$m")"
	done
done
w report monthly --month 2025-12 --format json
check_rc "monthly json" 0
assert_json "json parses" "$OUT"
assert_eq "json: twelve months to December" "12 2025-12" \
	"$(printf '%s' "$OUT" | jq -r '"\(length) \(.[-1].month)"')"
assert_eq "json: numbers are numbers" "number" \
	"$(printf '%s' "$OUT" | jq -r '.[-1].availability_pct | type')"

# Months with a value, per measure: the points each chart must have.
points() { for m in $(printf '%s\n' "$CSV" | tail -n +2 | cut -d, -f1); do col "$1" "$m"; done | grep -c .; }
P_AV=$(points availability_pct)
P_MTBF=$(points mtbf_hours)
P_MTTR=$(points mttr_hours)
P_PM=$(points pm_compliance_pct)
P_COST=$(points cost)
P_WEEKS=$(points backlog_weeks)

# ---- the page
HTML="$TMP/report.html"
w report monthly --format html -o "$HTML"
check_rc "monthly html" 0
assert_eq "nothing on stdout with -o" "" "$OUT"
if [ -s "$HTML" ]; then pass; else fail "the page was written to $HTML"; fi

# summarize FILE: what a page holds, one "key value" a line.
summarize() {
	python3 - "$1" <<'PY'
import re, sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr", "circle", "rect", "line", "polyline", "path"}

class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.n = [], {}
        self.mismatched = 0
        self.texts = {"title": "", "h1": "", "actorlabel": "", "firstrisk": "", "firstriskp": ""}
        self.capture = None
        self.measure = None
        self.in_actors = False
        self.in_risk = False
        self.risk_cells = 0

    def bump(self, k, by=1):
        self.n[k] = self.n.get(k, 0) + by

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        for name, value in attrs:
            if name.startswith("on"):
                self.bump("handlers")
            if name in ("href", "src", "action", "xlink:href", "srcset"):
                self.bump("urls")
            if value and re.search(r"(https?:|ftp:|//|url\()", value, re.I):
                self.bump("urls")
        self.bump("el_" + tag)
        if tag == "svg" and "trend" in cls:
            self.measure = a.get("data-measure")
            self.bump("trend_svgs")
        if tag == "svg" and "actors" in cls:
            self.in_actors = True
        if tag == "circle" and "point" in cls and self.measure:
            self.bump("points_" + self.measure)
            if "current" in cls:
                self.bump("current_" + self.measure)
        if tag == "rect" and "bar" in cls and self.in_actors:
            self.bump("actor_bars")
        if tag == "table" and "risk" in cls:
            self.in_risk = True
        if tag == "tr" and self.in_risk and self.stack and self.stack[-1] == "tbody":
            self.bump("risk_rows")
            self.risk_cells = 0
        if tag == "td" and self.in_risk:
            self.risk_cells += 1
            if self.n.get("risk_rows") == 1 and self.risk_cells == 2:
                self.capture = "firstrisk"
            if self.n.get("risk_rows") == 1 and self.risk_cells == 4:
                self.capture = "firstriskp"
        if tag in ("title", "h1") and "svg" not in self.stack and not self.texts[tag]:
            self.capture = tag
        if tag == "text" and self.in_actors and not self.texts["actorlabel"]:
            self.capture = "actorlabel"
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.mismatched += 1
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        if tag == "svg":
            self.measure = None
            self.in_actors = False
        if tag == "table":
            self.in_risk = False
        self.capture = None

    def handle_data(self, data):
        if self.capture:
            self.texts[self.capture] += data
        if re.search(r"https?://", data):
            self.bump("urls")

text = open(sys.argv[1], encoding="utf-8").read()
p = Page()
p.feed(text)
p.close()
for k in ("title", "h1", "actorlabel", "firstrisk", "firstriskp"):
    print(k, p.texts[k].strip())
for k in ("el_script", "el_iframe", "el_object", "el_img", "el_link", "el_i", "el_b",
          "handlers", "urls", "trend_svgs", "actor_bars", "risk_rows", "el_style",
          "points_availability_pct", "points_mtbf_hours", "points_mttr_hours",
          "points_pm_compliance_pct", "points_cost", "points_backlog_weeks",
          "current_availability_pct", "current_mtbf_hours", "current_mttr_hours",
          "current_pm_compliance_pct"):
    print(k, p.n.get(k, 0))
print("unclosed", len(p.stack) + p.mismatched)
PY
}

# key NAME SUMMARY: the value of one line of a summary.
key() { printf '%s\n' "$2" | awk -v k="$1" '$1 == k { sub(/^[^ ]+ ?/, ""); print; exit }'; }

# check_page WHAT SUMMARY: the page's content, as parsed or as rendered.
check_page() {
	local what=$1 s=$2
	assert_eq "$what: title" "Maintenance report, February 2026" "$(key title "$s")"
	assert_eq "$what: heading" "Maintenance report, February 2026" "$(key h1 "$s")"
	for k in el_script el_iframe el_object el_img el_link handlers urls; do
		assert_eq "$what: no $k" 0 "$(key "$k" "$s")"
	done
	assert_eq "$what: the markup in the data stays text (no <i>, no <b>)" "0 0" \
		"$(key el_i "$s") $(key el_b "$s")"
	assert_eq "$what: one style element" 1 "$(key el_style "$s")"
	assert_eq "$what: a trend chart per measure" 13 "$(key trend_svgs "$s")"
	assert_eq "$what: availability has a point per month with a value" "$P_AV" \
		"$(key points_availability_pct "$s")"
	assert_eq "$what: MTBF points" "$P_MTBF" "$(key points_mtbf_hours "$s")"
	assert_eq "$what: MTTR points" "$P_MTTR" "$(key points_mttr_hours "$s")"
	assert_eq "$what: PM compliance points" "$P_PM" "$(key points_pm_compliance_pct "$s")"
	assert_eq "$what: cost points" "$P_COST" "$(key points_cost "$s")"
	assert_eq "$what: no crew capacity, no crew-weeks" "0 0" "$P_WEEKS $(key points_backlog_weeks "$s")"
	assert_eq "$what: the month reported is marked on each chart" "1 1 1 1" \
		"$(key current_availability_pct "$s") $(key current_mtbf_hours "$s") $(key current_mttr_hours "$s") $(key current_pm_compliance_pct "$s")"
	assert_eq "$what: ten bad actors" 10 "$(key actor_bars "$s")"
	assert_eq "$what: the worst actor first, its tag as text" 'EV<i>&"1' "$(key actorlabel "$s")"
	assert_eq "$what: the ranking's top twenty" 20 "$(key risk_rows "$s")"
	assert_eq "$what: the riskiest asset first" "$TOP" "$(key firstrisk "$s")"
	assert_eq "$what: with rank's p_fail" "$TOP_P%" "$(key firstriskp "$s")"
}

if ! command -v python3 >/dev/null 2>&1; then
	fail "python3 is not installed (Debian package python3): it parses the page"
	finish
	exit 1
fi
w rank --at 2026-03-01 --format csv
TOP=$(printf '%s\n' "$OUT" | tr -d '\r' | awk -F, 'NR == 2 { print $2 }' | sed 's/^"//; s/"$//; s/""/"/g')
TOP_P=$(printf '%s\n' "$OUT" | tr -d '\r' | awk -F, 'NR == 2 { printf "%.1f", 100 * $4 }')

PARSED=$(summarize "$HTML")
check_page "parsed" "$PARSED"
assert_eq "parsed: every element closed" 0 "$(key unclosed "$PARSED")"
assert_not_contains "no URL anywhere in the file" "$(cat "$HTML")" "http"
assert_contains "the tag is escaped" "$(cat "$HTML")" "EV&lt;i&gt;&amp;&quot;1"

# A class filter of markup is escaped too, and narrows the page.
w report monthly --format html --class '<b>pump</b>'
check_rc "html with a class filter" 0
assert_contains "the class filter is escaped" "$OUT" "&lt;b&gt;pump&lt;/b&gt;"
assert_not_contains "no <b> from the filter" "$OUT" "<b>pump"

# A site narrows the page and is named in it; an unknown one is refused.
w report monthly --format html --site RIV
check_rc "html for a site" 0
assert_contains "the site is named" "$OUT" "Assets at RIV."
# Its ranking is the site's: the evil asset, which has no location, leads
# the plant's ranking but is not ranked at the site, and the page ranks
# the assets `rank --site` ranks, in its order.
printf '%s\n' "$OUT" >"$TMP/site.html"
SITE_PAGE=$(summarize "$TMP/site.html")
w rank --at 2026-03-01 --site RIV --format csv
check_rc "rank --site RIV" 0
SITE_TOP=$(printf '%s\n' "$OUT" | tr -d '\r' | awk -F, 'NR == 2 { print $2 }')
SITE_RANKED=$(csv_rows "$OUT")
assert_eq "the plant's riskiest is the evil asset" 'EV<i>&"1' "$TOP"
assert_eq "the site's page: the site's riskiest first" "$SITE_TOP" "$(key firstrisk "$SITE_PAGE")"
assert_eq "the site's page: twenty of the site's assets" 20 "$(key risk_rows "$SITE_PAGE")"
assert_contains "the site's page: ranked among the site's assets" \
	"$(cat "$TMP/site.html")" "(<code>wrench rank</code>) of $SITE_RANKED assets."
w report monthly --format html --site NOPE -o "$TMP/nope.html"
check_rc "an unknown site is refused" 1
assert_contains "it is named" "$ERR" "NOPE"
if [ -e "$TMP/nope.html" ]; then fail "no page is left for an unknown site"; else pass; fi

# ---- the page in a real browser
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	fail "chromium is not installed (Debian package chromium): the page must be rendered in a browser"
	finish
	exit 1
fi
mkdir -p "$HOME" "$TMP/chrome"
browse() {
	timeout 180 "$CHROMIUM" --headless --no-sandbox --disable-gpu --user-data-dir="$TMP/chrome" \
		--no-first-run --disable-extensions --window-size=1200,2400 "$@" "file://$HTML"
}
browse --dump-dom >"$TMP/dom.html" 2>"$TMP/chrome.err"
if [ -s "$TMP/dom.html" ]; then pass; else fail "chromium dumped the DOM" "$(tail -3 "$TMP/chrome.err")"; fi
check_page "rendered" "$(summarize "$TMP/dom.html")"

browse --screenshot="$TMP/shot.png" >/dev/null 2>>"$TMP/chrome.err"
if [ -s "$TMP/shot.png" ]; then pass; else fail "chromium took a screenshot" "$(tail -3 "$TMP/chrome.err")"; fi
# The screenshot's pixels: how many are not white, how many have the
# charts' blue (lines, points, bars) and the orange of the month's points.
SHOT=$(python3 - "$TMP/shot.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w, h, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), "an 8-bit RGB(A) PNG"
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
bpp = 4 if ctype == 6 else 3
raw, stride = zlib.decompress(idat), w * bpp
prev, rows, i = bytearray(stride), [], 0
for _ in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b, c = prev[x], prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line)
    prev = line
ink = blue = orange = 0
for line in rows:
    for x in range(0, stride, bpp):
        r, g, b = line[x], line[x + 1], line[x + 2]
        if r < 240 or g < 240 or b < 240: ink += 1
        if abs(r - 31) < 12 and abs(g - 78) < 12 and abs(b - 121) < 12: blue += 1
        if abs(r - 224) < 12 and abs(g - 123) < 12 and b < 20: orange += 1
print(w * h, ink, blue, orange)
PY
)
read -r total ink blue orange <<<"$SHOT"
if [ "${ink:-0}" -gt $((total / 50)) ]; then pass; else fail "the screenshot is not blank" "pixels, inked, blue, orange: $SHOT"; fi
# Ten bars of the bad actors alone cover far more than 20000 pixels.
if [ "${blue:-0}" -gt 20000 ]; then pass; else fail "the charts are drawn (chart blue)" "pixels, inked, blue, orange: $SHOT"; fi
if [ "${orange:-0}" -gt 40 ]; then pass; else fail "the month's points are drawn (orange)" "pixels, inked, blue, orange: $SHOT"; fi

# It prints (to PDF, as a browser's print does).
browse --print-to-pdf="$TMP/report.pdf" --no-pdf-header-footer >/dev/null 2>>"$TMP/chrome.err"
if head -c 5 "$TMP/report.pdf" 2>/dev/null | grep -q '^%PDF-'; then pass; else fail "chromium printed the page to PDF" "$(tail -3 "$TMP/chrome.err")"; fi

finish
