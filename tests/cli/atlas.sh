# atlas.sh - the import templates Atlas CMMS ships (location, asset, meter,
# preventive_maintenance, work_order), imported as they are and checked
# field by field in what export gives back; then again, changing nothing.
# The templates are not part of this repository: ATLAS_TEMPLATES names
# their folder (default: ../shared/data/atlas-cmms-templates beside the
# source tree).
. "$(dirname "$0")/lib.sh"

A=${ATLAS_TEMPLATES:-$WRENCH_SRC/../shared/data/atlas-cmms-templates}
if [ ! -r "$A/work_order.csv" ]; then
	fail "Atlas templates: none in $A (set ATLAS_TEMPLATES)"
	finish
fi

# The templates name assets their asset template does not list (the
# asset of the meters, schedules and work orders): the plant has them.
printf '%s\n' 'tag,name' \
	'GEN-1,Generator Engine-Backup Generator-Utility Area' \
	'BG-1,Backup Generator-Utility Area' \
	'CONV-1,Conveyor Belts-Egg Collection System-Layer House' \
	'HVAC-1,HVAC System-Layer House' >"$TMP/plant.csv"
w import assets "$TMP/plant.csv"
check_rc "the plant's other assets" 0

# imp ENTITY FILE ROWS COUNTS: imports one template; the counts line says
# ROWS rows and then COUNTS.
imp() {
	w import "$1" "$A/$2"
	check_rc "$2" 0
	assert_contains "$2: $4" "$OUT" "$3 rows: $4"
}
imp locations location.csv 5 "5 inserted, 0 updated, 0 unchanged, 0 rejected"
imp assets asset.csv 3 "3 inserted, 0 updated, 0 unchanged, 0 rejected"
imp meters meter.csv 3 "3 inserted, 0 updated, 0 unchanged, 0 rejected"
assert_contains "U+FFFD is pointed out" "$ERR" "meter.csv:2 holds U+FFFD, a character lost before wrench read the file"
imp pms preventive_maintenance.csv 4 "4 inserted, 0 updated, 0 unchanged, 0 rejected"
imp workorders work_order.csv 3 "3 inserted, 0 updated, 0 unchanged, 0 rejected"

# ---- locations: blank IDs, codes made from the names
w export locations
L=$OUT
assert_contains "site" "$L" $'\nMAIN-FACILITY-1,Main Facility 1,site,,'
assert_contains "parent by name" "$L" $'\nBROODING-HOUSE-1,Brooding House 1,area,MAIN-FACILITY-1,'
assert_contains "area" "$L" $'\nAREA-1-BROODING-HOUSE-1,Area 1-Brooding House 1,area,BROODING-HOUSE-1,'
assert_contains "area 2" "$L" $'\nAREA-2-BROODING-HOUSE-1,Area 2-Brooding House 1,area,BROODING-HOUSE-1,'
assert_contains "layer house" "$L" $'\nLAYER-HOUSE-1,Layer House 1,area,MAIN-FACILITY-1,'

# ---- assets: Barcode is the tag, names resolve
w export assets
assert_contains "asset 1" "$OUT" $'\n01-BH-VS,Ventilation System-Brooding House,"assembly that ensures adequate air exchange and temperature control within the brooding house, crucial for maintaining the health and growth of chicks.",HVAC Systems,,AREA-2-BROODING-HOUSE-1,3,operational,,6437070,,,'
assert_contains "asset 2" "$OUT" $'\n01-BH-VS-AI-001,Air Inlets-Ventilation System-Brooding House,Allows fresh air to enter the brooding area,HVAC Systems,01-BH-VS,AREA-2-BROODING-HOUSE-1,3,operational,,64915018,,,'
assert_contains "asset 3: Down" "$OUT" $'\n01-BH-VS-EF-001,Exhaust Fans-Ventilation System-Brooding House,Removes stale air and regulates temperature,HVAC Systems,01-BH-VS,AREA-2-BROODING-HOUSE-1,3,down,,2581838,,,'

# ---- meters: Category is the kind
w export meters
assert_contains "Usage, cycles: a counter" "$OUT" $'\n01-BH-VS-EF-001,Oil cylinder trigger,cycles,counter,'
assert_contains "Usage, KWH: a counter" "$OUT" $'\nGEN-1,Facility 1 daily Energy consumption reading,KWH,counter,'
# The copy in ../shared lost Atlas's Latin-1 degree sign to U+FFFD before
# wrench saw it: that is what the file holds, and what lands.
assert_contains "Condition: a gauge" "$OUT" $'\nGEN-1,Temperature Monitoring,\xef\xbf\xbdC,gauge,'

# ---- schedules: the name is the code, days, end and delay kept
w export pms
P=$OUT
assert_contains "weekly on days" "$P" $'\nWEEKLY-CONVEYOR-INSPECTION,Weekly Equipment Check,CONV-1,calendar,1,week,no,,,0,2024-12-18,,8,a1testcmms@gmail.com,Team 2,medium,preventive,yes,,"mon,wed,fri",2025-12-18,1,'
assert_contains "monthly" "$P" $'\nMONTHLY-GENERATOR-TEST,Monthly Generator Test,BG-1,calendar,1,month,no,,,0,2025-01-01,,2,a1testcmms@gmail.com,Team 2,high,preventive,yes,,,2026-01-01,3,'
assert_contains "yearly: 12 months, no asset" "$P" $'\nANNUAL-SAFETY-AUDIT,Annual Safety Inspection,,calendar,12,month,no,,,0,2025-01-01,,16,a1testcmms@gmail.com,Team 2,high,preventive,yes,,,2030-01-01,7,'
assert_contains "daily from completion" "$P" $'\nDAILY-HVAC-CHECK,Daily HVAC Inspection,HVAC-1,calendar,2,day,yes,,,0,2024-12-18,,1,technician1testcmms@gmail.com,,low,preventive,yes,,,2025-12-18,2,'

# ---- work orders: the file's dates, not the import's
w export workorders
assert_contains "completed, created then too" "$OUT" $'\n2538,Repair Conveyor Belt Damaged,corrective,done,high,CONV-1,technician1testcmms@gmail.com,,,"Belt stuck, production stopped",,,,no,,,,0,2024-03-02 01:33:49,,2024-03-02 01:33:49,,a1testcmms@gmail.com,'
assert_contains "open, None is low" "$OUT" $'\n3897,Test1,corrective,open,low,,a1testcmms@gmail.com,,,,,,,no,,,,0,'
assert_contains "open, team work" "$OUT" $'\n2632,HElp Tech 2 for Actual WO,corrective,open,high,BG-1,,,,ensure safety and LOTO,,,,no,,,,1,'

# ---- the engine honours what the schedules say
WRENCH_TODAY=2024-12-20 w pm due --format csv
check_rc "pm due" 0
assert_contains "Wed Dec 18 + 1 day's delay: overdue" "$OUT" $'\nWEEKLY-CONVEYOR-INSPECTION,CONV-1,2024-12-19,,,yes,,'
assert_contains "Dec 18 + 2 days" "$OUT" $'\nDAILY-HVAC-CHECK,HVAC-1,2024-12-20,,,no,,'
assert_not_contains "not before it starts" "$OUT" "MONTHLY-GENERATOR-TEST"
WRENCH_TODAY=2024-12-20 w pm generate
check_rc "pm generate" 0
w export workorders
assert_contains "made on Dec 18, due a day later" "$OUT" ",2024-12-19,,,,,no,,,WEEKLY-CONVEYOR-INSPECTION,8,"

# ---- the same files again change nothing
imp locations location.csv 5 "0 inserted, 0 updated, 5 unchanged, 0 rejected"
imp assets asset.csv 3 "0 inserted, 0 updated, 3 unchanged, 0 rejected"
imp meters meter.csv 3 "0 inserted, 0 updated, 3 unchanged, 0 rejected"
imp pms preventive_maintenance.csv 4 "0 inserted, 0 updated, 4 unchanged, 0 rejected"
imp workorders work_order.csv 3 "0 inserted, 0 updated, 3 unchanged, 0 rejected"

# ---- the meter template as Atlas ships it: a Latin-1 degree sign
sed $'s/\xef\xbf\xbd/\xb0/' "$A/meter.csv" >"$TMP/meter-latin1.csv"
w import meters "$TMP/meter-latin1.csv"
check_rc "Latin-1 meter file" 0
assert_contains "Latin-1: read as Windows-1252" "$ERR" "is not UTF-8 from line 2 on; read it as Windows-1252"
assert_contains "Latin-1: one unit corrected" "$OUT" "0 inserted, 1 updated, 2 unchanged"
w export meters
assert_contains "the degree sign in UTF-8" "$OUT" $'\nGEN-1,Temperature Monitoring,\xc2\xb0C,gauge,'
w import --encoding utf-8 meters "$TMP/meter-latin1.csv"
check_rc "named UTF-8: refused" 1
assert_contains "names the line and --encoding" "$ERR" "meter-latin1.csv:2: column 3 is not UTF-8 text"

finish
