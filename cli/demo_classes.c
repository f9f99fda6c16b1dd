/*
 * demo_classes.c - the demo plant's equipment classes: how long each lives
 * (Weibull shape and scale in days), how it fails, what fixes it and which
 * preventive routines it gets.  Plus the random number generator.
 *
 * The shapes are chosen so that the demo shows every pattern a reliability
 * engineer looks for: wear-out (gearboxes, boilers, compressors: beta well
 * above 1), random failures (conveyors, valves, packaging jams: beta near 1)
 * and infant mortality (drives: beta below 1).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "demo.h"

/* ------------------------------------------------------------------ rng */

void demo_rng_seed(struct demo_rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t demo_rng_next(struct demo_rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

double demo_unit(struct demo_rng *r)
{
	/* 53 random bits, shifted off zero so that logarithms stay finite. */
	return ((double)(demo_rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
}

int demo_int(struct demo_rng *r, int lo, int hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int)(demo_rng_next(r) % (uint64_t)(hi - lo + 1));
}

double demo_weibull(struct demo_rng *r, double beta, double eta)
{
	return eta * pow(-log(demo_unit(r)), 1.0 / beta);
}

double demo_lognormal(struct demo_rng *r, double median, double sigma)
{
	/* Box-Muller; one of the pair is enough here. */
	double z = sqrt(-2.0 * log(demo_unit(r))) * cos(2.0 * M_PI * demo_unit(r));
	return median * exp(sigma * z);
}

int demo_chance(struct demo_rng *r, double p)
{
	return demo_unit(r) < p;
}

/* --------------------------------------------------------------- helpers */

int64_t demo_day_of(int64_t t)
{
	int64_t d = t / WR_DAY;
	if (t % WR_DAY < 0)
		d--;
	return d * WR_DAY;
}

int demo_prio_for(int crit)
{
	return crit >= 5 ? PR_URGENT : crit == 4 ? PR_HIGH : crit == 3 ? PR_MEDIUM : PR_LOW;
}

void demo_fill_title(char *buf, size_t n, const char *tmpl, const char *name)
{
	const char *at = strstr(tmpl, "%s");

	if (!at) {
		wr_strlcpy(buf, tmpl, n);
		return;
	}
	snprintf(buf, n, "%.*s%s%s", (int)(at - tmpl), tmpl, name, at + 2);
}

void demo_as_of(struct store *s, const char *user, int64_t day)
{
	store_set_actor(s, user);
	demo_clock_set(day);
}

/* ---------------------------------------------------------- failure modes */

static const struct demo_mode pump_modes[] = {
	{"LEAK", "SEAL", "REPL", "Leak at mechanical seal of %s",
	 "Replaced the mechanical seal and flushed the seal chamber; no leak at full pressure.",
	 "MS-35-EN", "Mechanical seal 35 mm EN 12756", 310, 1, 5},
	{"VIB", "BEAR", "REPL", "High vibration on %s",
	 "Bearings on both ends were pitted. Replaced 6309-2Z bearings, checked shaft runout "
	 "(0.02 mm), vibration back to 1.8 mm/s.", "BRG-6309", "Bearing 6309-2Z", 42, 2, 4},
	{"VIB", "MISAL", "ADJ", "Vibration and coupling wear on %s",
	 "Coupling misaligned by 0.4 mm after base bolts worked loose. Laser-aligned pump to "
	 "motor, torqued base bolts, replaced coupling insert.", "CPL-INS-90", "Coupling insert "
	 "size 90", 25, 1, 3},
	{"LOWOUT", "WEAR", "REPL", "Low flow from %s",
	 "Impeller and wear ring worn (clearance 1.2 mm). Replaced both; flow back to design.",
	 "IMP-200", "Impeller 200 mm with wear ring", 640, 1, 2},
	{"NOISE", "CONTAM", "CLEAN", "Cavitation noise on %s",
	 "Suction strainer was blocked with debris. Cleaned it; noise gone, suction pressure "
	 "normal.", NULL, NULL, 0, 0, 2},
};

static const struct demo_mode motor_modes[] = {
	{"OVERHEAT", "BEAR", "REPL", "%s running hot",
	 "Drive-end bearing dry and noisy. Replaced both bearings and regreased; winding "
	 "temperature normal after 2 h.", "BRG-6310", "Bearing 6310-C3", 55, 2, 4},
	{"TRIP", "OVERLOAD", "RESET", "%s tripping on overload",
	 "Overload caused by a seized driven load, freed it. Checked currents on all phases, "
	 "reset the overload relay.", NULL, NULL, 0, 0, 3},
	{"NOSTART", "ELECINS", "REWIND", "%s will not start",
	 "Insulation resistance 0.3 MOhm phase to earth. Swapped in the spare motor; the "
	 "failed one went out for rewind.", "MTR-RWD", "Motor rewind (contract)", 1450, 1, 2},
	{"VIB", "MISAL", "ADJ", "Vibration on %s",
	 "Soft foot under the motor feet. Shimmed, realigned, vibration 1.5 mm/s.", "SHIM-KIT",
	 "Stainless shim kit", 38, 1, 2},
};

static const struct demo_mode gearbox_modes[] = {
	{"NOISE", "BEAR", "REPL", "Grinding noise from %s",
	 "Output shaft bearing spalled. Replaced bearing and oil seal, refilled with ISO VG 220.",
	 "BRG-32212", "Taper roller bearing 32212", 96, 1, 4},
	{"LEAK", "SEAL", "REPL", "Oil leak at %s",
	 "Input shaft seal hardened. Replaced the seal, topped up oil.", "SEAL-55x72",
	 "Oil seal 55x72x8", 14, 1, 3},
	{"OVERHEAT", "LUB", "LUBE", "%s running hot",
	 "Oil level low and oil dark. Drained, flushed and refilled with ISO VG 220; "
	 "temperature 58 C after an hour.", "OIL-VG220", "Gear oil ISO VG 220, litre", 9, 6, 2},
	{"BRK", "FATIGUE", "REPL", "%s seized",
	 "Gear teeth broken on the second stage. Replaced the gearbox with the stores spare.",
	 "GBX-SPARE", "Exchange gearbox", 2850, 1, 1},
};

static const struct demo_mode conveyor_modes[] = {
	{"JAM", "OPER", "CLEAN", "Bottles jammed on %s",
	 "Fallen bottles wedged at the transfer plate. Cleared them and adjusted the guide rail.",
	 NULL, NULL, 0, 0, 4},
	{"BRK", "WEAR", "REPL", "Chain broken on %s",
	 "Two chain links cracked. Replaced 1.5 m of table-top chain and tensioned.", "CHN-TT",
	 "Table-top chain, metre", 68, 2, 3},
	{"TRIP", "SENSOR", "ADJ", "%s stops for no reason",
	 "Photo-eye misaligned and dirty. Cleaned and realigned it; ran 30 min without a stop.",
	 NULL, NULL, 0, 0, 3},
	{"NOISE", "LUB", "LUBE", "Squealing from %s",
	 "Return rollers dry. Lubricated the chain and replaced two seized rollers.", "RLR-50",
	 "Return roller 50 mm", 18, 2, 2},
};

static const struct demo_mode compressor_modes[] = {
	{"OVERHEAT", "SCALE", "CLEAN", "%s high temperature shutdown",
	 "Oil cooler fins clogged. Blew out and washed the cooler; outlet temperature 82 C.",
	 NULL, NULL, 0, 0, 4},
	{"LOWOUT", "WEAR", "REPL", "%s cannot hold pressure",
	 "Inlet valve not opening fully. Fitted the inlet valve kit; pressure holds at 7.5 bar.",
	 "IVK-GA37", "Inlet valve kit", 420, 1, 3},
	{"TRIP", "SENSOR", "REPL", "%s trips on sensor fault",
	 "Element outlet temperature sensor reading open circuit. Replaced the sensor.",
	 "TS-PT1000", "Temperature sensor PT1000", 130, 1, 2},
	{"LEAK", "SEAL", "REPL", "Oil carry-over from %s",
	 "Separator element saturated. Replaced separator and oil filter.", "SEP-ELEM",
	 "Oil separator element", 260, 1, 2},
};

static const struct demo_mode dryer_modes[] = {
	{"LOWOUT", "CONTAM", "CLEAN", "High dew point at %s",
	 "Condenser fouled. Cleaned condenser; dew point back to 3 C.", NULL, NULL, 0, 0, 3},
	{"TRIP", "COMP", "REPL", "%s refrigerant compressor trips",
	 "Start capacitor failed. Replaced it; compressor starts cleanly.", "CAP-RUN",
	 "Start capacitor 80 uF", 35, 1, 2},
};

static const struct demo_mode fan_modes[] = {
	{"VIB", "BELT", "REPL", "Belt slip and vibration on %s",
	 "V-belts glazed and cracked. Replaced the set, aligned pulleys, tensioned.", "VB-SPA",
	 "V-belt SPA 1250", 16, 3, 5},
	{"VIB", "CONTAM", "CLEAN", "Vibration on %s",
	 "Build-up on the impeller blades. Cleaned and balanced the impeller in place.", NULL,
	 NULL, 0, 0, 3},
	{"NOISE", "BEAR", "REPL", "Bearing noise on %s",
	 "Fan-side plummer block bearing worn. Replaced bearing unit.", "BRG-UCP210",
	 "Plummer block UCP210", 74, 1, 3},
};

static const struct demo_mode valve_modes[] = {
	{"STUCK", "SCALE", "REPAIR", "%s sticking",
	 "Stem scaled. Stroked the valve, cleaned and lubricated the stem.", NULL, NULL, 0, 0, 4},
	{"LEAK", "SEAL", "REPL", "Gland leak at %s",
	 "Packing worn. Repacked the gland.", "PKG-SET", "Valve packing set", 45, 1, 4},
	{"CTRL", "SENSOR", "CAL", "%s not following setpoint",
	 "Positioner out of calibration. Recalibrated 0-100 percent travel.", NULL, NULL, 0, 0, 2},
};

static const struct demo_mode boiler_modes[] = {
	{"TRIP", "SENSOR", "REPL", "%s flame failure lockout",
	 "Flame scanner lens dirty and scanner weak. Replaced scanner, cleaned sight tube.",
	 "FLS-UV", "UV flame scanner", 780, 1, 4},
	{"LEAK", "CORR", "REPAIR", "Tube leak on %s",
	 "One fire tube weeping at the tube sheet. Re-rolled the tube; hydro test passed.", NULL,
	 NULL, 0, 0, 2},
	{"LOWOUT", "SCALE", "CLEAN", "%s slow to reach pressure",
	 "Scale on the water side. Chemically descaled; steaming rate restored.", "CHEM-DSC",
	 "Descaling chemical, 25 kg", 190, 2, 2},
};

static const struct demo_mode chiller_modes[] = {
	{"TRIP", "SCALE", "CLEAN", "%s high-pressure trip",
	 "Condenser tubes fouled. Brushed the tubes; head pressure normal.", NULL, NULL, 0, 0, 3},
	{"LOWOUT", "SEAL", "REPAIR", "%s low on refrigerant",
	 "Found a leak at a flare fitting. Brazed it, pressure tested, recharged 6 kg R-134a.",
	 "REF-134A", "Refrigerant R-134a, kg", 38, 6, 3},
	{"ELEC", "COMP", "REPL", "%s compressor will not start",
	 "Compressor contactor contacts burnt. Replaced the contactor.", "CTR-95A",
	 "Contactor 95 A", 160, 1, 2},
};

static const struct demo_mode packaging_modes[] = {
	{"JAM", "WEAR", "ADJ", "Jams at %s",
	 "Star wheel timing had drifted. Reset timing and replaced a worn guide.", "GUIDE-UHMW",
	 "UHMW guide strip", 22, 1, 5},
	{"JAM", "OPER", "RESET", "%s stopped with a misfeed",
	 "Wrong changeover parts fitted after the format change. Fitted the right parts, "
	 "briefed the operator.", NULL, NULL, 0, 0, 4},
	{"BRK", "FATIGUE", "REPL", "Broken cam follower on %s",
	 "Cam follower shaft sheared. Replaced the follower and checked the cam track.",
	 "CF-30", "Cam follower 30 mm", 58, 1, 3},
	{"CTRL", "SENSOR", "REPL", "%s faults on a sensor",
	 "Inductive proximity sensor damaged. Replaced and set the gap to 2 mm.", "PRX-M18",
	 "Proximity sensor M18", 64, 1, 3},
	{"ELEC", "COMP", "REPL", "Servo fault on %s",
	 "Servo drive cooling fan seized, drive overheated. Replaced the fan.", "FAN-SRV",
	 "Servo drive fan", 48, 1, 2},
};

static const struct demo_mode vfd_modes[] = {
	{"TRIP", "COMP", "REPL", "%s DC bus fault",
	 "DC bus capacitors bulging. Replaced the drive with a spare and loaded the parameter "
	 "backup.", "VFD-SPARE", "Exchange drive", 1320, 1, 4},
	{"NOSTART", "ELEC", "RESET", "%s in fault, motor will not run",
	 "Loose motor terminal caused an earth fault trip. Tightened terminals, reset the drive.",
	 NULL, NULL, 0, 0, 3},
};

static const struct demo_mode mixer_modes[] = {
	{"VIB", "BEAR", "REPL", "Vibration on %s",
	 "Lower bearing worn. Lifted the mixer, replaced bearings and mechanical seal.",
	 "BRG-MIX", "Mixer bearing set", 390, 1, 3},
	{"TRIP", "CONTAM", "CLEAN", "%s tripping",
	 "Rags wrapped round the propeller. Lifted and cleared it.", NULL, NULL, 0, 0, 4},
};

/* ------------------------------------------------------------- routines */

static const struct demo_routine pump_routines[] = {
	{"Quarterly pump inspection", PK_CALENDAR, 3, PU_MONTH, 0, 7, 0, 0.5,
	 "Check the seal for leaks\nCheck vibration and noise\nCheck bearing temperature\n"
	 "Check the coupling guard", 0},
	{"Monthly critical pump check", PK_CALENDAR, 1, PU_MONTH, 0, 3, 0, 0.5,
	 "Record suction and discharge pressure\nCheck the seal for leaks\n"
	 "Measure vibration (mm/s)", 4},
};
static const struct demo_routine gearbox_routines[] = {
	{"Gearbox oil change", PK_CALENDAR, 6, PU_MONTH, 1, 14, 0, 1.5,
	 "Drain oil and check for metal\nRefill with ISO VG 220\nCheck breather\n"
	 "Check for leaks after running", 0},
};
static const struct demo_routine conveyor_routines[] = {
	{"Conveyor chain and lubrication check", PK_CALENDAR, 3, PU_MONTH, 1, 7, 0, 1.0,
	 "Check chain wear and tension\nLubricate chain\nCheck guide rails\n"
	 "Clean photo-eyes", 0},
};
static const struct demo_routine compressor_routines[] = {
	{"Compressor service (oil, filters)", PK_METER, 0, 0, 0, 0, 2000, 4.0,
	 "Change oil and oil filter\nReplace air filter\nCheck separator pressure drop\n"
	 "Check drains", 0},
	{"Weekly compressor round", PK_CALENDAR, 1, PU_WEEK, 1, 1, 0, 0.25,
	 "Drain condensate traps\nRecord pressure and temperature\nCheck for oil leaks", 0},
};
static const struct demo_routine dryer_routines[] = {
	{"Dryer condenser clean", PK_CALENDAR, 6, PU_MONTH, 1, 7, 0, 1.0,
	 "Clean condenser\nCheck dew point\nTest drain valve", 0},
};
static const struct demo_routine fan_routines[] = {
	{"Fan belt and bearing check", PK_CALENDAR, 6, PU_MONTH, 1, 7, 0, 1.0,
	 "Check belt tension and wear\nGrease bearings\nCheck vibration", 0},
};
static const struct demo_routine valve_routines[] = {
	{"Annual valve stroke test", PK_CALENDAR, 12, PU_MONTH, 0, 30, 0, 0.5,
	 "Stroke 0-100 percent and record travel\nCheck packing for leaks", 3},
};
static const struct demo_routine boiler_routines[] = {
	{"Weekly boiler water test", PK_CALENDAR, 1, PU_WEEK, 0, 1, 0, 0.5,
	 "Test TDS and adjust blowdown\nTest low-water cut-out\nRecord chemical dosing", 0},
	{"Annual boiler inspection", PK_CALENDAR, 12, PU_MONTH, 0, 30, 0, 16.0,
	 "Open and inspect fire side\nOpen and inspect water side\nTest safety valves\n"
	 "Insurance inspector sign-off", 0},
};
static const struct demo_routine chiller_routines[] = {
	{"Quarterly chiller service", PK_CALENDAR, 3, PU_MONTH, 0, 7, 0, 3.0,
	 "Check refrigerant charge\nCheck oil level\nClean condenser coils\n"
	 "Record approach temperatures", 0},
	{"Chiller compressor oil analysis", PK_METER, 0, 0, 0, 0, 4000, 0.5,
	 "Take oil sample\nSend to the lab", 0},
};
static const struct demo_routine packaging_routines[] = {
	{"Monthly lubrication and cleaning", PK_CALENDAR, 1, PU_MONTH, 0, 3, 0, 1.5,
	 "Lubricate per the lubrication chart\nClean and inspect change parts\n"
	 "Check guards and interlocks\nCheck sensors", 0},
};
static const struct demo_routine vfd_routines[] = {
	{"Annual drive inspection", PK_CALENDAR, 12, PU_MONTH, 0, 30, 0, 1.0,
	 "Clean heat sink and fans\nCheck DC bus capacitors\nBack up parameters", 0},
};
static const struct demo_routine mixer_routines[] = {
	{"Mixer lift and inspect", PK_CALENDAR, 6, PU_MONTH, 0, 14, 0, 3.0,
	 "Lift mixer\nCheck propeller and seal\nCheck cable", 0},
};

#define N(a) ((int)(sizeof a / sizeof a[0]))

static const struct demo_class classes[DC__COUNT] = {
	{"centrifugal-pump", "P", 1.6, 900, 4,
	 {{"Grundfos", "NB 65-200"}, {"KSB", "Etanorm 050-032-200"}, {"Sulzer", "AHLSTAR A21"}},
	 pump_modes, N(pump_modes), pump_routines, N(pump_routines), 0, "mechanical"},
	{"electric-motor", "M", 1.2, 2200, 5,
	 {{"ABB", "M3BP 160"}, {"Siemens", "1LE1 132"}, {"WEG", "W22 180"}},
	 motor_modes, N(motor_modes), NULL, 0, 0, "electrical"},
	{"gearbox", "GB", 2.8, 1500, 8,
	 {{"SEW-Eurodrive", "R67"}, {"Flender", "FZG 100"}, {"Nord", "SK 9022"}},
	 gearbox_modes, N(gearbox_modes), gearbox_routines, N(gearbox_routines), 0, "mechanical"},
	{"conveyor", "CV", 1.0, 420, 1.5,
	 {{"Interroll", "RM 8300"}, {"Dorner", "3200"}, {"Hytrol", "190-ACC"}},
	 conveyor_modes, N(conveyor_modes), conveyor_routines, N(conveyor_routines), 0,
	 "mechanical"},
	{"air-compressor", "AC", 1.9, 520, 6,
	 {{"Atlas Copco", "GA 37"}, {"Kaeser", "ASD 50"}, {"Ingersoll Rand", "R37i"}},
	 compressor_modes, N(compressor_modes), compressor_routines, N(compressor_routines), 16,
	 "utilities"},
	{"air-dryer", "DR", 1.3, 1100, 3,
	 {{"Atlas Copco", "FD 95"}, {"Kaeser", "TD 61"}, {"Parker", "PoleStar 200"}},
	 dryer_modes, N(dryer_modes), dryer_routines, N(dryer_routines), 0, "utilities"},
	{"fan", "F", 1.5, 1300, 3,
	 {{"Ziehl-Abegg", "ZN063"}, {"ebm-papst", "R3G 450"}, {"Howden", "Centrifugal 560"}},
	 fan_modes, N(fan_modes), fan_routines, N(fan_routines), 0, "mechanical"},
	{"control-valve", "V", 1.0, 2000, 2,
	 {{"Fisher", "ED 2in"}, {"Samson", "3241"}, {"Burkert", "2301"}},
	 valve_modes, N(valve_modes), valve_routines, N(valve_routines), 0, "instrument"},
	{"boiler", "B", 2.2, 700, 10,
	 {{"Cleaver-Brooks", "CBEX 700"}, {"Viessmann", "Vitomax 200"}, {"Bosch", "UL-S 8000"}},
	 boiler_modes, N(boiler_modes), boiler_routines, N(boiler_routines), 14, "utilities"},
	{"chiller", "CH", 1.7, 650, 8,
	 {{"Carrier", "30XA 602"}, {"Trane", "RTAC 300"}, {"York", "YVAA 0300"}},
	 chiller_modes, N(chiller_modes), chiller_routines, N(chiller_routines), 12, "utilities"},
	{"packaging-machine", "PK", 1.0, 300, 1.5,
	 {{"Krones", "Modulfill"}, {"Sidel", "Super Combi"}, {"KHS", "Innopack"}},
	 packaging_modes, N(packaging_modes), packaging_routines, N(packaging_routines), 0,
	 "mechanical"},
	{"vfd", "VFD", 0.6, 4000, 3,
	 {{"ABB", "ACS580"}, {"Danfoss", "FC 302"}, {"Siemens", "G120"}},
	 vfd_modes, N(vfd_modes), vfd_routines, N(vfd_routines), 0, "electrical"},
	{"mixer", "MX", 1.8, 1000, 6,
	 {{"Flygt", "4630"}, {"Sulzer", "XRW 400"}, {"Landia", "POP-I"}},
	 mixer_modes, N(mixer_modes), mixer_routines, N(mixer_routines), 0, "mechanical"},
};

const struct demo_class *demo_class(int cls)
{
	return cls >= 0 && cls < DC__COUNT ? &classes[cls] : &classes[0];
}

/* ---------------------------------------------------------------- people */

static const char *const mech[] = {DEMO_USER, "jsmith", "akowalski"};
static const char *const elec[] = {"mgarcia", "tnguyen"};
static const char *const util[] = {"kwhite", DEMO_USER};
static const char *const inst[] = {"tnguyen", "mgarcia"};
static const char *const planners[] = {"rpatel", "lchen"};

const char *demo_tech(struct demo_rng *r, const char *team)
{
	if (strcmp(team, "electrical") == 0)
		return elec[demo_int(r, 0, N(elec) - 1)];
	if (strcmp(team, "utilities") == 0)
		return util[demo_int(r, 0, N(util) - 1)];
	if (strcmp(team, "instrument") == 0)
		return inst[demo_int(r, 0, N(inst) - 1)];
	return mech[demo_int(r, 0, N(mech) - 1)];
}

const char *demo_planner(struct demo_rng *r)
{
	return planners[demo_int(r, 0, N(planners) - 1)];
}
