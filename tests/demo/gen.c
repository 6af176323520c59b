/* gen.c - deterministic demo-organisation generator for rapport.
 *
 * demo-gen [--scale F] [--seed N] [--end YYYY-MM] writes to stdout a psql
 * script that loads one synthetic nonprofit into the tables of
 * sql/schema.sql, already created in the current search_path: one
 * COPY ... FROM STDIN block (text format) per table.  At scale 1 there are
 * 2,000 stakeholders, ~20,000 interactions, ~6,000 gifts, ~1,000 volunteer
 * shifts, ~800 surveys and 25 staff; every count is linear in F.
 *
 * The data covers the 36 months ending with --end (default 2026-10), read
 * from a snapshot taken at noon on the 5th of the following month: the
 * rows dated in those four and a half days (~0.5% of interactions and
 * gifts) exercise the engine's "rows after the period end are ignored"
 * rule, and nothing is dated later.
 *
 * Same arguments, same bytes on any machine: all randomness comes from
 * xoshiro256** streams seeded through splitmix64 per (table, stakeholder),
 * and all arithmetic that decides output is integer.  Memory is one small
 * record per stakeholder: rows are streamed, and the thread simulation is
 * replayed for the thread, interaction and survey tables instead of being
 * kept.
 *
 * Exit status: 0; 64 on a usage error; 74 when stdout cannot be written.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EX_USAGE 64
#define EX_IOERR 74

#define MINUTE INT64_C(60)
#define HOUR INT64_C(3600)
#define DAY INT64_C(86400)
#define NEVER INT64_C(-1)
#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- random numbers ---------------------------------------------------- */

typedef struct {
    uint64_t s[4];
} rng;

static uint64_t g_seed = 1;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Streams: one per table (and per stakeholder), independent of each other
 * so that a table can be regenerated without replaying the others. */
enum {
    S_PEOPLE = 1, S_NAME, S_EMAIL, S_PHONE, S_STAFF, S_THREADS, S_SURVEY,
    S_GIFTS, S_SHIFTS, S_VISITS
};

static void rng_seed(rng *r, uint64_t stream, uint64_t id)
{
    uint64_t x = g_seed;
    uint64_t h = splitmix64(&x);

    x = h ^ (stream * UINT64_C(0xD1B54A32D192ED03));
    h = splitmix64(&x);
    x = h ^ (id * UINT64_C(0xAEF17502108EF2D9));
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* xoshiro256** */
static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n); 0 without a draw when n <= 1. */
static int64_t below(rng *r, int64_t n)
{
    if (n <= 1)
        return 0;
    return (int64_t)((rng_next(r) >> 11) % (uint64_t)n);
}

/* Uniform in [lo, hi]; lo when hi < lo. */
static int64_t range(rng *r, int64_t lo, int64_t hi)
{
    return hi <= lo ? lo : lo + below(r, hi - lo + 1);
}

/* True with probability bp / 10000. */
static int chance(rng *r, int bp) { return below(r, 10000) < bp; }

/* Index drawn with the given integer weights. */
static int pickw(rng *r, const int *w, int n)
{
    int64_t tot = 0, u;

    for (int i = 0; i < n; i++)
        tot += w[i];
    u = below(r, tot);
    for (int i = 0; i < n; i++) {
        if (u < w[i])
            return i;
        u -= w[i];
    }
    return n - 1;
}

/* Piecewise-linear inverse CDF: q holds the values at the cumulative
 * probabilities 0, 10, 25, 50, 75, 90, 95, 99 and 100 %. */
static int64_t qdraw(rng *r, const int32_t *q)
{
    static const int32_t qp[9] = {0, 1000, 2500, 5000, 7500,
                                  9000, 9500, 9900, 10000};
    int64_t u = below(r, INT64_C(10000000));
    int i = 0;

    while (i < 7 && u >= (int64_t)qp[i + 1] * 1000)
        i++;
    return q[i] + (int64_t)(q[i + 1] - q[i]) * (u - (int64_t)qp[i] * 1000) /
                      ((int64_t)(qp[i + 1] - qp[i]) * 1000);
}

/* ---- calendar ---------------------------------------------------------- */

static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 0 = Sunday .. 6 = Saturday (1970-01-01 was a Thursday). */
static int dow(int64_t day) { return (int)(((day % 7) + 11) % 7); }

static int month_no(int64_t t)
{
    int y, m, d;

    civil_from_days(t / DAY, &y, &m, &d);
    return y * 12 + m - 1;
}

static int64_t month_day0(int mno)
{
    return days_from_civil(mno / 12, mno % 12 + 1, 1);
}

static int64_t next_dow(int64_t day, int want)
{
    return day + (want - dow(day) + 7) % 7;
}

/* Office closed on weekends, 25-26 December and 1 January. */
static int is_bizday(int64_t day)
{
    int w = dow(day), y, m, d;

    if (w == 0 || w == 6)
        return 0;
    civil_from_days(day, &y, &m, &d);
    return !((m == 12 && (d == 25 || d == 26)) || (m == 1 && d == 1));
}

#define BIZ_OPEN (8 * HOUR + 30 * MINUTE)
#define BIZ_CLOSE (17 * HOUR + 30 * MINUTE)

static int in_biz(int64_t t)
{
    int64_t sod = t % DAY;
    return sod >= BIZ_OPEN && sod < BIZ_CLOSE && is_bizday(t / DAY);
}

static int64_t next_biz_open(int64_t t)
{
    int64_t day = t / DAY;

    if (t % DAY < BIZ_OPEN && is_bizday(day))
        return day * DAY + BIZ_OPEN;
    do
        day++;
    while (!is_bizday(day));
    return day * DAY + BIZ_OPEN;
}

/* ---- configuration ----------------------------------------------------- */

static struct {
    int64_t scale_u;  /* F in millionths */
    int end_y, end_m; /* last complete month */
    int64_t n;        /* stakeholders */
    int64_t nstaff;
    int64_t t0;     /* period start */
    int64_t t1;     /* period end (first instant after) */
    int64_t cutoff; /* snapshot: nothing at or after this */
    int m0;         /* month number of the period start */
} G;

static int period_month(int64_t t) { return month_no(t) - G.m0; }

/* ---- output ------------------------------------------------------------ */

static char obuf[1 << 20];
static size_t olen;

static void oflush(void)
{
    if (olen && fwrite(obuf, 1, olen, stdout) != olen) {
        fprintf(stderr, "demo-gen: cannot write output\n");
        exit(EX_IOERR);
    }
    olen = 0;
}

static void oroom(size_t n)
{
    if (olen + n > sizeof obuf)
        oflush();
}

static void out_mem(const char *s, size_t n)
{
    oroom(n);
    memcpy(obuf + olen, s, n);
    olen += n;
}

static void out_str(const char *s) { out_mem(s, strlen(s)); }

static void out_ch(char c)
{
    oroom(1);
    obuf[olen++] = c;
}

static void out_tab(void) { out_ch('\t'); }
static void out_nl(void) { out_ch('\n'); }
static void out_null(void) { out_mem("\\N", 2); }

static void out_u64(uint64_t u)
{
    char t[24];
    int n = 0;

    do {
        t[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    oroom(20);
    while (n)
        obuf[olen++] = t[--n];
}

static void out_i64(int64_t v)
{
    if (v < 0) {
        out_ch('-');
        out_u64(0 - (uint64_t)v);
    } else {
        out_u64((uint64_t)v);
    }
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* YYYY-MM-DD of a day number (years 1000..9999). */
static void fmt_date(char *p, int64_t day)
{
    int y, m, d;

    civil_from_days(day, &y, &m, &d);
    put2(p, y / 100);
    put2(p + 2, y % 100);
    p[4] = '-';
    put2(p + 5, m);
    p[7] = '-';
    put2(p + 8, d);
}

static void out_date(int64_t day)
{
    oroom(10);
    fmt_date(obuf + olen, day);
    olen += 10;
}

/* YYYY-MM-DD HH:MM:SS+00 */
static void out_ts(int64_t t)
{
    static int64_t cday = INT64_MIN;
    static char cdate[10];
    int64_t day = t / DAY, sod = t % DAY;
    char *p;

    if (day != cday) {
        fmt_date(cdate, day);
        cday = day;
    }
    oroom(22);
    p = obuf + olen;
    memcpy(p, cdate, 10);
    p[10] = ' ';
    put2(p + 11, (int)(sod / 3600));
    p[13] = ':';
    put2(p + 14, (int)(sod / 60 % 60));
    p[16] = ':';
    put2(p + 17, (int)(sod % 60));
    memcpy(p + 19, "+00", 3);
    olen += 22;
}

static void out_ts_or_null(int64_t t)
{
    if (t < 0)
        out_null();
    else
        out_ts(t);
}

/* Hundredths as a decimal: 1234 -> 12.34. */
static void out_cents(int64_t c)
{
    out_i64(c / 100);
    oroom(3);
    obuf[olen++] = '.';
    put2(obuf + olen, (int)(c % 100));
    olen += 2;
}

/* Text in COPY text format: backslash, tab, newline and CR escaped. */
static void out_text(const char *s, size_t n)
{
    oroom(2 * n);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        switch (c) {
        case '\\': obuf[olen++] = '\\'; obuf[olen++] = '\\'; break;
        case '\t': obuf[olen++] = '\\'; obuf[olen++] = 't'; break;
        case '\n': obuf[olen++] = '\\'; obuf[olen++] = 'n'; break;
        case '\r': obuf[olen++] = '\\'; obuf[olen++] = 'r'; break;
        default: obuf[olen++] = c;
        }
    }
}

static void out_cstr(const char *s)
{
    if (!s)
        out_null();
    else
        out_text(s, strlen(s));
}

/* ---- names ------------------------------------------------------------- */

typedef struct {
    const char *s; /* as displayed */
    const char *a; /* ASCII, for e-mail addresses */
} name;

static const name en_first[] = {
    {"James", "james"}, {"Mary", "mary"}, {"John", "john"},
    {"Patricia", "patricia"}, {"Robert", "robert"}, {"Jennifer", "jennifer"},
    {"Michael", "michael"}, {"Linda", "linda"}, {"David", "david"},
    {"Elizabeth", "elizabeth"}, {"Sarah", "sarah"}, {"Thomas", "thomas"},
    {"Emma", "emma"}, {"Oliver", "oliver"}, {"Chloe", "chloe"},
    {"Daniel", "daniel"}, {"Grace", "grace"}, {"Amelia", "amelia"}};
static const name en_last[] = {
    {"Smith", "smith"}, {"Jones", "jones"}, {"Williams", "williams"},
    {"Brown", "brown"}, {"Taylor", "taylor"}, {"Davies", "davies"},
    {"Evans", "evans"}, {"Wilson", "wilson"}, {"Thomas", "thomas"},
    {"Roberts", "roberts"}, {"O'Brien", "obrien"}, {"Hughes", "hughes"},
    {"Walker", "walker"}, {"Clarke", "clarke"}, {"Patel", "patel"},
    {"Khan", "khan"}, {"Smith-Jones", "smithjones"}, {"MacLeod", "macleod"}};
static const name fi_first[] = {
    {"Matti", "matti"}, {"Aino", "aino"}, {"Juha", "juha"},
    {"Liisa", "liisa"}, {"Mikko", "mikko"}, {"Sanna", "sanna"},
    {"Jussi", "jussi"}, {"Päivi", "paivi"}, {"Timo", "timo"},
    {"Elina", "elina"}, {"Ville", "ville"}, {"Tuula", "tuula"},
    {"Jyrki", "jyrki"}, {"Hanna", "hanna"}, {"Sölvi", "solvi"}};
static const name fi_last[] = {
    {"Korhonen", "korhonen"}, {"Virtanen", "virtanen"},
    {"Mäkinen", "makinen"}, {"Nieminen", "nieminen"}, {"Mäkelä", "makela"},
    {"Hämäläinen", "hamalainen"}, {"Laine", "laine"},
    {"Heikkinen", "heikkinen"}, {"Koskinen", "koskinen"},
    {"Järvinen", "jarvinen"}, {"Lehtonen", "lehtonen"},
    {"Jääskeläinen", "jaaskelainen"}, {"Saarinen", "saarinen"},
    {"Öhman", "ohman"}};
static const name id_first[] = {
    {"Budi", "budi"}, {"Siti", "siti"}, {"Agus", "agus"}, {"Dewi", "dewi"},
    {"Wayan", "wayan"}, {"Putri", "putri"}, {"Ahmad", "ahmad"},
    {"Sri", "sri"}, {"Joko", "joko"}, {"Ratna", "ratna"}, {"Made", "made"},
    {"Rina", "rina"}, {"Eko", "eko"}, {"Nur", "nur"}, {"Sukarno", "sukarno"},
    {"Wulan", "wulan"}};
static const name id_last[] = {
    {"Santoso", "santoso"}, {"Wijaya", "wijaya"}, {"Pratama", "pratama"},
    {"Hidayat", "hidayat"}, {"Kusuma", "kusuma"}, {"Saputra", "saputra"},
    {"Setiawan", "setiawan"}, {"Lestari", "lestari"},
    {"Nugroho", "nugroho"}, {"Purnomo", "purnomo"}, {"Siregar", "siregar"},
    {"Hasibuan", "hasibuan"}, {"Rahmawati", "rahmawati"},
    {"Gunawan", "gunawan"}};
static const name es_first[] = {
    {"María", "maria"}, {"José", "jose"}, {"Lucía", "lucia"},
    {"Javier", "javier"}, {"Carmen", "carmen"}, {"Alejandro", "alejandro"},
    {"Sofía", "sofia"}, {"Miguel", "miguel"}, {"Elena", "elena"},
    {"Pablo", "pablo"}, {"Ana", "ana"}, {"Jorge", "jorge"},
    {"Isabel", "isabel"}, {"Andrés", "andres"}, {"Begoña", "begona"}};
static const name es_last[] = {
    {"García", "garcia"}, {"Fernández", "fernandez"},
    {"González", "gonzalez"}, {"Rodríguez", "rodriguez"},
    {"López", "lopez"}, {"Martínez", "martinez"}, {"Sánchez", "sanchez"},
    {"Pérez", "perez"}, {"Gómez", "gomez"}, {"Martín", "martin"},
    {"Jiménez", "jimenez"}, {"Ruiz", "ruiz"}, {"Hernández", "hernandez"},
    {"Núñez", "nunez"}, {"Muñoz", "munoz"}, {"Ibáñez", "ibanez"}};
static const name th_first[] = {
    {"สมชาย", "somchai"}, {"สมศรี", "somsri"}, {"สุดารัตน์", "sudarat"},
    {"ประยุทธ์", "prayut"}, {"วิภา", "wipa"}, {"ณัฐพล", "nattaphon"},
    {"กาญจนา", "kanchana"}, {"อนุชา", "anucha"}, {"ปิยะนุช", "piyanut"},
    {"ธนากร", "thanakorn"}, {"มาลี", "mali"}, {"ชัยวัฒน์", "chaiwat"},
    {"สุนิสา", "sunisa"}, {"วีระ", "wira"}};
static const name th_last[] = {
    {"ใจดี", "jaidee"}, {"ศรีสุข", "srisuk"}, {"วงศ์ใหญ่", "wongyai"},
    {"แสงทอง", "saengthong"}, {"บุญมา", "boonma"}, {"ทองดี", "thongdee"},
    {"สุขสวัสดิ์", "suksawat"}, {"รัตนพันธ์", "rattanaphan"},
    {"พรหมมา", "promma"}, {"เพชรรัตน์", "phetcharat"}, {"มีสุข", "meesuk"},
    {"ศรีวงศ์", "sriwong"}};
static const name ar_first[] = {
    {"فاطمة", "fatima"}, {"محمد", "mohammed"}, {"أحمد", "ahmed"},
    {"عائشة", "aisha"}, {"علي", "ali"}, {"مريم", "mariam"},
    {"يوسف", "youssef"}, {"خديجة", "khadija"}, {"عمر", "omar"},
    {"ليلى", "layla"}, {"حسن", "hassan"}, {"نور", "nour"},
    {"سارة", "sara"}, {"خالد", "khalid"}};
static const name ar_last[] = {
    {"الزهراء", "alzahraa"}, {"الحسيني", "alhusseini"},
    {"المصري", "almasri"}, {"الخطيب", "alkhatib"}, {"حداد", "haddad"},
    {"النجار", "alnajjar"}, {"السيد", "alsayed"}, {"منصور", "mansour"},
    {"الشامي", "alshami"}, {"عبد الله", "abdullah"},
    {"إبراهيم", "ibrahim"}, {"العلي", "alali"}};
static const name fa_first[] = {
    {"مریم", "maryam"}, {"علی", "ali"}, {"رضا", "reza"}, {"زهرا", "zahra"},
    {"حسین", "hossein"}, {"فاطمه", "fatemeh"}, {"امیر", "amir"},
    {"نرگس", "narges"}, {"مهدی", "mehdi"}, {"سارا", "sara"},
    {"پریسا", "parisa"}, {"کاوه", "kaveh"}, {"شیرین", "shirin"},
    {"داریوش", "dariush"}};
static const name fa_last[] = {
    {"رضایی", "rezaei"}, {"محمدی", "mohammadi"}, {"حسینی", "hosseini"},
    {"احمدی", "ahmadi"}, {"کریمی", "karimi"}, {"موسوی", "mousavi"},
    {"جعفری", "jafari"}, {"صادقی", "sadeghi"}, {"رحیمی", "rahimi"},
    {"کاظمی", "kazemi"}, {"نوری", "nouri"}, {"تهرانی", "tehrani"}};

enum { SC_EN, SC_FI, SC_ID, SC_ES, SC_TH, SC_AR, SC_FA, NSCRIPT };

static const struct {
    const name *first;
    int nfirst;
    const name *last;
    int nlast;
} scripts[NSCRIPT] = {
#define NAMES(f, l) {f, COUNT(f), l, COUNT(l)}
    NAMES(en_first, en_last), NAMES(fi_first, fi_last),
    NAMES(id_first, id_last), NAMES(es_first, es_last),
    NAMES(th_first, th_last), NAMES(ar_first, ar_last),
    NAMES(fa_first, fa_last)
#undef NAMES
};

/* English, Finnish, Indonesian, Spanish, Thai, Arabic, Persian. */
static const int script_w[NSCRIPT] = {30, 14, 14, 14, 10, 10, 8};

/* Append s to b (capacity cap, NUL kept); returns the new length. */
static size_t app(char *b, size_t n, size_t cap, const char *s)
{
    while (*s && n + 1 < cap)
        b[n++] = *s++;
    b[n] = '\0';
    return n;
}

/* ---- stakeholders ------------------------------------------------------ */

enum { R_SU, R_VOL, R_DON, NROLE };
static const char *const role_name[NROLE] = {"service_user", "volunteer",
                                             "donor"};

enum {
    F_MONO = 1,         /* single name (Indonesian) */
    F_INITIAL = 2,      /* duplicate record with the first name as initial */
    F_EMAIL_EMPTY = 4,  /* empty string rather than NULL */
    F_EMAIL_UPPER = 8,  /* duplicate record with the address upper-cased */
    F_DUP = 16
};

enum { J_NONE, J_SU_VOL, J_VOL_DON };

typedef struct {
    int64_t created;
    int32_t since[NROLE]; /* day number; 0 = role not held */
    uint32_t household;   /* 0 = none */
    uint32_t email_id;    /* whose address; 0 = NULL */
    uint32_t phone_id;    /* whose number; 0 = NULL */
    uint8_t script, first, last, last2; /* last2 0xFF = none */
    uint8_t flags, quirk, journey;
} person;

static person *P; /* 1-based */

static int has_role(const person *p, int role) { return p->since[role] != 0; }

/* First instant at which the stakeholder can act in a role (or at all,
 * role -1), never before the period start. */
static int64_t act0(const person *p, int role)
{
    int64_t t = role >= 0 ? (int64_t)p->since[role] * DAY : 0;

    if (t < p->created)
        t = p->created;
    if (t < G.t0)
        t = G.t0;
    return t;
}

static void build_people(void)
{
    /* donor, service user, volunteer, donor+volunteer, service
     * user+volunteer, service user+donor, all three, none */
    static const int seg_w[] = {460, 270, 100, 60, 50, 20, 10, 30};
    static const uint8_t seg_roles[] = {
        1 << R_DON, 1 << R_SU, 1 << R_VOL, (1 << R_DON) | (1 << R_VOL),
        (1 << R_SU) | (1 << R_VOL), (1 << R_SU) | (1 << R_DON), 7, 0};
    int64_t t0d = G.t0 / DAY, t1d = G.t1 / DAY;
    int64_t hist0 = G.t0 - 3653 * DAY; /* records go back ten years */
    uint32_t hh = 0;
    int hh_left = 0;
    int64_t head = 0;
    rng r;

    rng_seed(&r, S_PEOPLE, 0);
    for (int64_t id = 1; id <= G.n; id++) {
        person *p = &P[id];
        int seg, roles;
        int64_t cday;

        memset(p, 0, sizeof *p);
        p->script = (uint8_t)pickw(&r, script_w, NSCRIPT);
        p->first = (uint8_t)below(&r, scripts[p->script].nfirst);
        p->last = (uint8_t)below(&r, scripts[p->script].nlast);
        p->last2 = 0xFF;
        if (p->script == SC_ID && chance(&r, 3000))
            p->flags |= F_MONO;
        if (p->script == SC_ES && chance(&r, 4000))
            p->last2 = (uint8_t)((p->last + 1 +
                                  below(&r, scripts[SC_ES].nlast - 1)) %
                                 scripts[SC_ES].nlast);
        if (chance(&r, 5000))
            p->created = range(&r, hist0, G.t0 - 1);
        else
            p->created = range(&r, G.t0, G.t1 - 7 * DAY);

        seg = pickw(&r, seg_w, COUNT(seg_w));
        roles = seg_roles[seg];
        if (seg == 4 && chance(&r, 6500))
            p->journey = J_SU_VOL;
        else if (seg == 3 && chance(&r, 5000))
            p->journey = J_VOL_DON;
        if (p->journey) {
            /* First role begins inside the period, the second 4-13
             * months later, so both first activities are visible. */
            int a = p->journey == J_SU_VOL ? R_SU : R_VOL;
            int b = p->journey == J_SU_VOL ? R_VOL : R_DON;
            int64_t s = range(&r, t0d, t1d - 420);

            p->since[a] = (int32_t)s;
            p->since[b] = (int32_t)(s + range(&r, 120, 400));
            p->created = s * DAY - range(&r, 0, 30 * DAY);
            p->created -= range(&r, 0, DAY - 1);
        } else {
            cday = p->created / DAY;
            for (int k = 0; k < NROLE; k++) {
                int64_t s;

                if (!(roles >> k & 1))
                    continue;
                s = cday + range(&r, 0, 90);
                if (roles & ~(1 << k) & ((1 << k) - 1))
                    s += range(&r, 0, 365); /* a later second role */
                if (s > t1d - 14)
                    s = t1d - 14;
                if (s < cday)
                    s = cday;
                p->since[k] = (int32_t)s;
            }
        }

        p->email_id = (uint32_t)id;
        if (chance(&r, roles == (1 << R_SU) ? 3000 : 1000))
            p->email_id = 0;
        else if (chance(&r, 30))
            p->flags |= F_EMAIL_EMPTY;
        p->phone_id = chance(&r, 7500) ? (uint32_t)id : 0;

        /* Households of two or three, sharing a surname and often a
         * landline. */
        if (hh_left > 0) {
            const person *h = &P[head];

            p->household = hh;
            hh_left--;
            if (chance(&r, 7500)) {
                p->script = h->script;
                p->first = (uint8_t)below(&r, scripts[p->script].nfirst);
                p->last = h->last;
                p->last2 = h->last2;
                p->flags &= (uint8_t)~F_MONO;
            }
            if (h->phone_id && chance(&r, 4000))
                p->phone_id = h->phone_id;
        } else if (id < G.n && chance(&r, 1650)) {
            p->household = ++hh;
            head = id;
            hh_left = chance(&r, 8000) ? 1 : 2;
        }

        /* CRM duplicates: a second record of an earlier person with the
         * same e-mail address. */
        if (id > 50 && chance(&r, 50)) {
            int64_t o = id - range(&r, 1, id - 1 < 2000 ? id - 1 : 2000);
            person *q = &P[o];

            if (!(q->flags & F_DUP)) {
                p->script = q->script;
                p->first = q->first;
                p->last = q->last;
                p->last2 = q->last2;
                p->flags = (uint8_t)((q->flags & F_MONO) | F_DUP);
                q->email_id = (uint32_t)o;
                q->flags &= (uint8_t)~F_EMAIL_EMPTY;
                p->email_id = (uint32_t)o;
                if (p->script <= SC_ES && !(p->flags & F_MONO) &&
                    chance(&r, 3000))
                    p->flags |= F_INITIAL;
                if (chance(&r, 2500))
                    p->flags |= F_EMAIL_UPPER;
                if (chance(&r, 6000))
                    p->phone_id = q->phone_id;
            }
        }
        if (!(p->flags & F_DUP) && chance(&r, 30))
            p->quirk = (uint8_t)range(&r, 1, 9);
    }
}

/* Display name, quirks included (an import with a tab, a "c\o", ...). */
static size_t display_name(const person *p, char *b, size_t cap)
{
    const name *f = &scripts[p->script].first[p->first];
    const name *l = &scripts[p->script].last[p->last];
    char first[64];
    size_t n = 0;
    const char *sep = " ";

    if ((p->flags & F_INITIAL) && (unsigned char)f->s[0] < 0x80) {
        first[0] = f->s[0];
        first[1] = '.';
        first[2] = '\0';
    } else {
        app(first, 0, sizeof first, f->s);
    }
    if (p->flags & F_MONO)
        return app(b, 0, cap, first);
    switch (p->quirk) {
    case 1: /* "Last, First" */
        n = app(b, n, cap, l->s);
        n = app(b, n, cap, ", ");
        return app(b, n, cap, first);
    case 2: sep = "  "; break;
    case 5: sep = "\t"; break;
    case 8: sep = "\n"; break;
    case 9: sep = "\r\n"; break;
    case 7: n = app(b, n, cap, "Dr "); break;
    default: break;
    }
    n = app(b, n, cap, first);
    n = app(b, n, cap, sep);
    n = app(b, n, cap, l->s);
    if (p->last2 != 0xFF) {
        n = app(b, n, cap, " ");
        n = app(b, n, cap, scripts[p->script].last[p->last2].s);
    }
    if (p->quirk == 3)
        n = app(b, n, cap, " ");
    if (p->quirk == 6)
        n = app(b, n, cap, " c\\o Food bank");
    if (p->quirk == 4 && p->script == SC_EN)
        for (size_t i = 0; i < n; i++)
            if (b[i] >= 'a' && b[i] <= 'z')
                b[i] = (char)(b[i] - 'a' + 'A');
    return n;
}

/* E-mail address of identity eid (the person whose record first had it);
 * unique per identity because it carries the identity's number. */
static size_t email_text(uint32_t eid, int upper, char *b, size_t cap)
{
    static const char *const dom[] = {
        "example.com", "example.org", "example.net", "mail.example",
        "inbox.example", "posti.example", "surel.example"};
    const person *p = &P[eid];
    const char *f = scripts[p->script].first[p->first].a;
    const char *l = scripts[p->script].last[p->last].a;
    char num[24];
    size_t n = 0;
    int k = 0;
    uint32_t v = eid;
    rng r;

    do {
        num[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int i = 0; i < k / 2; i++) {
        char c = num[i];
        num[i] = num[k - 1 - i];
        num[k - 1 - i] = c;
    }
    num[k] = '\0';
    rng_seed(&r, S_EMAIL, eid);
    switch (p->flags & F_MONO ? 4 : (int)below(&r, 5)) {
    case 0:
        n = app(b, n, cap, f);
        n = app(b, n, cap, ".");
        n = app(b, n, cap, l);
        break;
    case 1: {
        char ini[2] = {f[0], '\0'};
        n = app(b, n, cap, ini);
        n = app(b, n, cap, l);
        break;
    }
    case 2:
        n = app(b, n, cap, l);
        n = app(b, n, cap, ".");
        n = app(b, n, cap, f);
        break;
    case 3:
        n = app(b, n, cap, f);
        n = app(b, n, cap, "_");
        n = app(b, n, cap, l);
        break;
    default: n = app(b, n, cap, f); break;
    }
    n = app(b, n, cap, num);
    n = app(b, n, cap, "@");
    n = app(b, n, cap, dom[below(&r, COUNT(dom))]);
    if (upper)
        for (size_t i = 0; i < n; i++)
            if (b[i] >= 'a' && b[i] <= 'z')
                b[i] = (char)(b[i] - 'a' + 'A');
    return n;
}

/* Phone number: digits from the number's owner, layout from the record,
 * so two records of one number may be written differently.  Every layout
 * of a country holds the same count of 'd' placeholders. */
static size_t phone_text(int64_t id, uint32_t pid, char *b, size_t cap)
{
    static const char *const fmt[][3] = {
        {"+44 20 7946 0ddd", "020 7946 0ddd", "+442079460ddd"},
        {"(555) 01d-dddd", "555-01d-dddd", "+1 555 01d dddd"},
        {"+358 40 ddd dddd", "040 ddd dddd", "040-ddddddd"},
        {"+62 812-dddd-dddd", "0812 dddd dddd", "+62812dddddddd"},
        {"+34 6dd dd dd dd", "6dd dd dd dd", "+346dddddddd"},
        {"+66 8d ddd dddd", "08d-ddd-dddd", "08dddddddd"},
        {"+971 50 ddd dddd", "050 ddd dddd", "+97150ddddddd"},
        {"+98 912 ddd dddd", "0912 ddd dddd", "0912-ddd-dddd"},
        {"+44 7700 900ddd", "07700 900ddd", "07700900ddd"}};
    static const int country[NSCRIPT] = {0, 2, 3, 4, 5, 6, 7};
    const person *o = &P[pid];
    int c = country[o->script];
    const char *f;
    size_t n = 0;
    rng r, lay;

    rng_seed(&r, S_PHONE, pid);
    if (o->script == SC_EN)
        c = (int)below(&r, 3) == 0 ? 1 : below(&r, 2) ? 0 : 8;
    rng_seed(&lay, S_PHONE, (uint64_t)id | UINT64_C(1) << 40);
    f = fmt[c][below(&lay, 3)];
    for (; *f && n + 1 < cap; f++)
        b[n++] = *f == 'd' ? (char)('0' + below(&r, 10)) : *f;
    if (chance(&lay, 150))
        n = app(b, n, cap, " ext. 2");
    b[n] = '\0';
    return n;
}

/* ---- staff ------------------------------------------------------------- */

enum { TEAM_SC, TEAM_PR, TEAM_FR, TEAM_VO, NTEAM };
static const char *const team_name[NTEAM] = {"Supporter care", "Programs",
                                             "Fundraising", "Volunteering"};
/* Team of staff member id (1-based) is pattern[(id - 1) % 25]: 9 in
 * supporter care, 6 programs, 5 fundraising, 5 volunteering, and the
 * first four cover every team. */
static const uint8_t team_pattern[25] = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0,
                                         1, 2, 3, 0, 1, 2, 3, 0, 1, 0, 0, 0};

typedef struct {
    int64_t from, to; /* employed in [from, to) */
} staffer;

static staffer *SF;        /* 1-based */
static int64_t *team_ids[NTEAM];
static int64_t team_n[NTEAM];

static void build_staff(void)
{
    rng r;

    rng_seed(&r, S_STAFF, 0);
    SF = calloc((size_t)G.nstaff + 1, sizeof *SF);
    for (int k = 0; k < NTEAM; k++)
        team_ids[k] = calloc((size_t)G.nstaff, sizeof **team_ids);
    if (!SF || !team_ids[0] || !team_ids[1] || !team_ids[2] || !team_ids[3]) {
        fprintf(stderr, "demo-gen: out of memory\n");
        exit(EXIT_FAILURE);
    }
    for (int64_t id = 1; id <= G.nstaff; id++) {
        int team = team_pattern[(id - 1) % 25];

        SF[id].from = 0;
        SF[id].to = INT64_MAX;
        if (id > NTEAM) {
            if (chance(&r, 1000))
                SF[id].to = G.t0 + range(&r, 8, 30) * 30 * DAY;
            else if (chance(&r, 1000))
                SF[id].from = G.t0 + range(&r, 4, 28) * 30 * DAY;
        }
        team_ids[team][team_n[team]++] = id;
    }
}

static int64_t pick_staff(rng *r, int team, int64_t t)
{
    for (int i = 0; i < 8; i++) {
        int64_t s = team_ids[team][below(r, team_n[team])];
        if (SF[s].from <= t && t < SF[s].to)
            return s;
    }
    return team_ids[team][0];
}

static void write_staff(void)
{
    char b[256];
    rng r;

    out_str("COPY staff (id, name, team) FROM STDIN;\n");
    rng_seed(&r, S_NAME, 0);
    for (int64_t id = 1; id <= G.nstaff; id++) {
        person p;
        size_t n;

        memset(&p, 0, sizeof p);
        p.script = (uint8_t)pickw(&r, script_w, NSCRIPT);
        p.first = (uint8_t)below(&r, scripts[p.script].nfirst);
        p.last = (uint8_t)below(&r, scripts[p.script].nlast);
        p.last2 = 0xFF;
        n = display_name(&p, b, sizeof b);
        out_i64(id);
        out_tab();
        out_text(b, n);
        out_tab();
        out_str(team_name[team_pattern[(id - 1) % 25]]);
        out_nl();
    }
    out_str("\\.\n");
}

/* ---- campaigns and mailings ------------------------------------------- */

enum { CP_SPRING, CP_SUMMER, CP_GIVING_TUESDAY, CP_CHRISTMAS, CP_EMERGENCY };

typedef struct {
    int64_t t;
    int kind, year;
    char name[40];
} campaign;

static campaign camps[64];
static int ncamps;
static int64_t vol_news[64], rel_survey[16];
static int nvol_news, nrel_survey;

/* n-th (1-based) weekday w of a month. */
static int64_t nth_dow(int y, int m, int w, int n)
{
    return next_dow(days_from_civil(y, m, 1), w) + 7 * (n - 1);
}

static void add_campaign(int64_t day, int64_t sod, int kind, int year,
                         const char *label)
{
    campaign *c;
    int64_t t = day * DAY + sod;

    if (t < G.t0 || t >= G.cutoff || ncamps >= COUNT(camps))
        return;
    c = &camps[ncamps++];
    c->t = t;
    c->kind = kind;
    c->year = year;
    snprintf(c->name, sizeof c->name, "%s %d", label, year);
}

static void build_calendar(void)
{
    int y0 = G.m0 / 12, y1 = month_no(G.cutoff) / 12;
    int em = G.m0 + 20;

    for (int y = y0; y <= y1; y++) {
        add_campaign(nth_dow(y, 3, 2, 2), 10 * HOUR, CP_SPRING, y,
                     "Spring appeal");
        add_campaign(nth_dow(y, 6, 2, 2), 10 * HOUR, CP_SUMMER, y,
                     "Summer appeal");
        if (em / 12 == y) {
            int64_t d = month_day0(em) + 9;
            while (!is_bizday(d))
                d++;
            add_campaign(d, 11 * HOUR, CP_EMERGENCY, y, "Emergency appeal");
        }
        add_campaign(nth_dow(y, 11, 4, 4) + 5, 8 * HOUR, CP_GIVING_TUESDAY, y,
                     "Giving Tuesday");
        add_campaign(nth_dow(y, 12, 1, 1), 10 * HOUR, CP_CHRISTMAS, y,
                     "Christmas appeal");
        for (int m = 1; m <= 10; m += 3) {
            int64_t t = nth_dow(y, m, 3, 1) * DAY + 14 * HOUR;
            if (t >= G.t0 && t < G.cutoff && nvol_news < COUNT(vol_news))
                vol_news[nvol_news++] = t;
        }
        {
            int64_t t = nth_dow(y, 10, 2, 2) * DAY + 10 * HOUR;
            if (t >= G.t0 && t < G.cutoff && nrel_survey < COUNT(rel_survey))
                rel_survey[nrel_survey++] = t;
        }
    }
}

/* Campaign a gift at t most likely answers: the latest one sent in the 45
 * days before; NULL if none. */
static const char *campaign_near(int64_t t)
{
    const char *best = NULL;
    int64_t bt = -1;

    for (int i = 0; i < ncamps; i++)
        if (camps[i].t <= t && t < camps[i].t + 45 * DAY && camps[i].t > bt) {
            bt = camps[i].t;
            best = camps[i].name;
        }
    return best;
}

static const char *campaign_of(int kind, int year)
{
    for (int i = 0; i < ncamps; i++)
        if (camps[i].kind == kind && camps[i].year == year)
            return camps[i].name;
    return NULL;
}

/* ---- threads and interactions ------------------------------------------ */

enum {
    CH_EMAIL, CH_PHONE, CH_SOCIAL, CH_CHAT, CH_WEB, CH_LETTER, CH_INPERSON,
    CH_OTHER, NCH
};
static const char *const ch_name[NCH] = {"email",  "phone",  "social",
                                         "chat",   "web_form", "letter",
                                         "in_person", NULL};
static const char *const other_ch[] = {"fax", "whatsapp", "sms", "teams"};

enum { K_QUESTION, K_CONCERN, K_COMPLAINT, K_PRAISE, K_REQUEST, K_UPDATE,
       NKIND };
static const char *const kind_name[NKIND] = {"question", "concern",
                                             "complaint", "praise",
                                             "request", "update"};

/* Channel shares of conversations (per mille); updates are added on top
 * so that overall email ~45%, phone ~20%, social ~15%, other ~0.5%. */
static const int conv_ch_w[NCH] = {335, 242, 178, 85, 84, 15, 55, 6};

/* Seconds until the first reply, before the trend factor and the wait for
 * office hours. */
static const int32_t reply_q[NCH][9] = {
    {60, 1200, 3600, 9000, 21600, 46800, 64800, 151200, 604800},
    {60, 420, 1200, 2400, 4500, 9000, 21600, 86400, 259200},
    {600, 7200, 28800, 72000, 118800, 216000, 324000, 604800, 1209600},
    {20, 60, 180, 480, 1500, 5400, 14400, 57600, 172800},
    {300, 1800, 5400, 14400, 36000, 86400, 172800, 432000, 1036800},
    {86400, 172800, 259200, 432000, 691200, 1036800, 1382400, 2160000,
     3888000},
    {30, 60, 120, 300, 600, 900, 1200, 1800, 3600},
    {1800, 7200, 21600, 57600, 172800, 345600, 518400, 864000, 1728000}};
/* Replies inside a live chat session. */
static const int32_t chat_session_q[9] = {10,  30,  60,   120, 240,
                                          600, 900, 1800, 3600};
/* Stakeholder's next message after a reply. */
static const int32_t cust_q[9] = {300,   1800,   7200,   28800,  86400,
                                  259200, 518400, 864000, 1728000};
static const int32_t chat_cust_q[9] = {10, 30, 60, 120, 300,
                                       600, 1200, 3600, 7200};
/* Share of replies falling out of hours that wait for the office to open:
 * overnight, and over a weekend or holiday (a duty officer watches the
 * inbox and social accounts). */
static const int defer_bp[NCH] = {7500, 9500, 5000, 8000, 9000, 10000, 0,
                                  9000};
static const int defer_we_bp[NCH] = {2500, 9000, 4000, 7000, 8000, 10000, 0,
                                     9000};
/* Inbound arrival: acceptance of a weekday (Sun..Sat) and hour weights. */
static const int day_bp[NCH][7] = {
    {3000, 10000, 10000, 10000, 10000, 10000, 3000},
    {500, 10000, 10000, 10000, 10000, 10000, 1500},
    {10000, 10000, 10000, 10000, 10000, 10000, 10000},
    {3000, 10000, 10000, 10000, 10000, 10000, 3000},
    {6000, 10000, 10000, 10000, 10000, 10000, 6000},
    {0, 10000, 10000, 10000, 10000, 10000, 0},
    {0, 10000, 10000, 10000, 10000, 10000, 3000},
    {5000, 10000, 10000, 10000, 10000, 10000, 5000}};
static const int hour_w[NCH][24] = {
    {0, 0, 0, 0, 0, 0, 1, 3, 7, 10, 10, 9, 8, 9, 9, 8, 6, 5, 4, 4, 3, 2, 1, 1},
    {0, 0, 0, 0, 0, 0, 0, 1, 4, 10, 10, 9, 7, 8, 9, 8, 6, 3, 1, 1, 0, 0, 0,
     0},
    {3, 2, 1, 1, 0, 0, 1, 2, 3, 4, 5, 5, 6, 5, 5, 5, 6, 7, 8, 9, 9, 8, 6, 4},
    {0, 0, 0, 0, 0, 0, 1, 2, 5, 9, 9, 9, 8, 9, 9, 8, 7, 5, 3, 2, 2, 1, 1, 0},
    {1, 1, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 7, 8, 8, 7, 6, 6, 6, 6, 5, 4, 3, 2},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 10, 6, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0,
     0},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 9, 9, 6, 7, 9, 8, 5, 1, 0, 0, 0, 0, 0, 0},
    {1, 1, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 7, 8, 8, 7, 6, 6, 6, 6, 5, 4, 3, 2}};
/* Follow-up rounds (0..4) by kind. */
static const int rounds_w[NKIND][5] = {
    {60, 27, 9, 3, 1}, {45, 32, 14, 6, 3}, {30, 33, 20, 11, 6},
    {85, 12, 3, 0, 0}, {50, 32, 12, 4, 2}, {100, 0, 0, 0, 0}};
/* Kind by the role the conversation is about: service user, volunteer,
 * donor, none. */
static const int kind_w[4][5] = {{25, 15, 8, 10, 42},
                                 {35, 10, 5, 15, 35},
                                 {45, 12, 10, 15, 18},
                                 {55, 10, 10, 5, 20}};

/* Responsiveness drift, percent of the base delay, by period month: social
 * gets a dedicated team in the third year, email suffers a staff shortage
 * in months 17-20 and otherwise slowly improves, chat settles in. */
static int64_t trend_pct(int ch, int mi)
{
    switch (ch) {
    case CH_SOCIAL:
        if (mi < 12)
            return 125;
        if (mi < 23)
            return 110;
        if (mi < 26)
            return 110 - (mi - 22) * 20;
        return 45;
    case CH_EMAIL:
        if (mi >= 17 && mi <= 20)
            return 165;
        return 105 - mi / 2;
    case CH_CHAT: return mi < 12 ? 130 : 100;
    default: return 100;
    }
}

/* Share of conversations never answered (basis points). */
static int black_hole_bp(int ch, int mi)
{
    static const int bp[NCH] = {350, 200, 700, 200, 500, 500, 0, 1200};
    if (ch == CH_WEB && mi < 12)
        return 1200; /* the web form routed to a dead inbox */
    return bp[ch];
}

#define MAXM 24
#define MAXT 112

typedef struct {
    int64_t t, staff;
    char dir;
} message;

typedef struct {
    int64_t opened, resolved, first_in, first_out, last;
    int nm;
    uint8_t ch, kind, other, bh;
    message m[MAXM];
} thr;

static thr TH[MAXT];
static int TORD[MAXT];

static void add_msg(thr *h, int64_t t, char dir, int64_t staff)
{
    if (h->nm < MAXM) {
        h->m[h->nm].t = t;
        h->m[h->nm].dir = dir;
        h->m[h->nm].staff = staff;
        h->nm++;
    }
}

/* Inbound arrival in [w0, w1) following the channel's week and day. */
static int64_t inbound_time(rng *r, int ch, int64_t w0, int64_t w1)
{
    for (int i = 0; i < 64; i++) {
        int64_t day = range(r, w0 / DAY, (w1 - 1) / DAY), t;

        if (!chance(r, day_bp[ch][dow(day)]))
            continue;
        t = day * DAY + pickw(r, hour_w[ch], 24) * HOUR;
        t += below(r, HOUR);
        if (t >= w0 && t < w1)
            return t;
    }
    return w0 + below(r, w1 - w0);
}

/* Reply to a message at t: pct scales the base delay. */
static int64_t reply_time(rng *r, int ch, int64_t t, int mi, int64_t pct,
                          int session)
{
    int64_t d, x;

    if (session)
        return t + 10 + qdraw(r, chat_session_q);
    d = qdraw(r, reply_q[ch]) * pct * trend_pct(ch, mi) / 10000;
    x = t + (d < 30 ? 30 : d);
    if (ch != CH_INPERSON && !in_biz(x)) {
        int64_t open = next_biz_open(x);
        if (chance(r, open - x < 20 * HOUR ? defer_bp[ch] : defer_we_bp[ch]))
            x = open + below(r, 150 * MINUTE);
    }
    return x;
}

static int team_for(rng *r, int ctx, int kind)
{
    static const int own[4] = {TEAM_PR, TEAM_VO, TEAM_FR, TEAM_SC};
    static const int own_bp[4] = {7000, 7500, 4000, 0};

    if (kind == K_COMPLAINT)
        return chance(r, 7000) ? TEAM_SC : own[ctx];
    return chance(r, own_bp[ctx]) ? own[ctx] : TEAM_SC;
}

/* Drop everything at or after the snapshot. */
static void clip_thread(thr *h)
{
    int n = 0;

    while (n < h->nm && h->m[n].t < G.cutoff)
        n++;
    if (n < h->nm)
        h->resolved = NEVER;
    h->nm = n;
    if (h->resolved >= G.cutoff)
        h->resolved = NEVER;
    if (h->first_out >= G.cutoff)
        h->first_out = NEVER;
    h->opened = h->m[0].t;
    h->last = h->m[n - 1].t;
}

/* A conversation started by the stakeholder, inside [w0, cutoff). */
static void sim_conversation(rng *r, const person *p, int64_t w0, thr *h)
{
    int ctxs[4], nctx = 0, ctx, team, rounds, mi;
    int64_t t, tin, staff;

    for (int k = 0; k < NROLE; k++)
        if (has_role(p, k))
            ctxs[nctx++] = k;
    ctx = nctx ? ctxs[below(r, nctx)] : 3;
    h->kind = (uint8_t)pickw(r, kind_w[ctx], 5);
    h->ch = (uint8_t)pickw(r, conv_ch_w, NCH);
    h->other = (uint8_t)below(r, COUNT(other_ch));
    h->nm = 0;
    h->bh = 0;
    h->resolved = h->first_out = NEVER;
    tin = inbound_time(r, h->ch, w0, G.cutoff);
    if (h->ch == CH_CHAT && period_month(tin) < 6)
        h->ch = CH_EMAIL; /* chat launched in the seventh month */
    mi = period_month(tin);
    team = team_for(r, ctx, h->kind);
    h->first_in = tin;

    if (chance(r, 100)) { /* a note logged before the stakeholder writes */
        int64_t tp = tin - range(r, 30 * MINUTE, 3 * DAY);
        if (tp >= w0)
            add_msg(h, tp, 'o', pick_staff(r, team, tp));
    }
    add_msg(h, tin, 'i', 0);
    if (chance(r, black_hole_bp(h->ch, mi))) {
        h->bh = 1;
        if (chance(r, 500))
            h->resolved = tin + range(r, 20 * DAY, 40 * DAY);
        clip_thread(h);
        return;
    }
    t = reply_time(r, h->ch, tin, mi, 100, 0);
    staff = pick_staff(r, team, t);
    add_msg(h, t, 'o', staff);
    h->first_out = t;
    rounds = pickw(r, rounds_w[h->kind], 5);
    if (h->ch == CH_CHAT)
        rounds += (int)below(r, 4);
    for (int i = 0; i < rounds; i++) {
        int session = h->ch == CH_CHAT;

        t += qdraw(r, session ? chat_cust_q : cust_q) + 5;
        add_msg(h, t, 'i', 0);
        if (chance(r, 500)) { /* the stakeholder has the last word */
            clip_thread(h);
            return;
        }
        t = reply_time(r, h->ch, t, mi, 70, session);
        if (!chance(r, 8000))
            staff = pick_staff(r, team, t);
        add_msg(h, t, 'o', staff);
    }
    if (chance(r, 9000)) { /* closed by staff, in office hours */
        int64_t x = t + (h->kind == K_COMPLAINT
                             ? range(r, HOUR, 7 * DAY)
                             : range(r, 10 * MINUTE, 2 * DAY));
        if (!in_biz(x))
            x = next_biz_open(x) + below(r, 3 * HOUR);
        h->resolved = x;
    }
    clip_thread(h);
}

/* An outbound-only mailing (appeal, newsletter); 0 if it falls outside
 * [w0, cutoff). */
static int sim_update(rng *r, int64_t w0, int64_t send, int team, thr *h)
{
    static const int fund_w[4] = {75, 15, 5, 5};
    static const int vol_w[4] = {90, 0, 0, 10};
    static const uint8_t chs[4] = {CH_EMAIL, CH_LETTER, CH_PHONE, CH_SOCIAL};
    int c = pickw(r, team == TEAM_FR ? fund_w : vol_w, 4);
    int64_t t;

    h->ch = chs[c];
    h->kind = K_UPDATE;
    h->other = 0;
    h->bh = 0;
    h->nm = 0;
    h->resolved = h->first_in = h->first_out = NEVER;
    switch (h->ch) {
    case CH_LETTER:
        t = (send / DAY + range(r, 1, 3)) * DAY;
        t += range(r, 9 * HOUR, 12 * HOUR);
        break;
    case CH_PHONE: {
        int64_t day = send / DAY + range(r, 0, 13);
        while (!is_bizday(day))
            day++;
        t = day * DAY + range(r, 10 * HOUR, 19 * HOUR);
        break;
    }
    default: t = send + below(r, 4 * HOUR); break;
    }
    if (t < w0 || t >= G.cutoff)
        return 0;
    add_msg(h, t, 'o', pick_staff(r, team, t));
    h->opened = h->last = t;
    return 1;
}

/* All threads of one stakeholder, ordered by opening time in TORD. */
static int sim_threads(int64_t id, const person *p)
{
    static const int level_w[3] = {35, 50, 15};
    int64_t w0 = act0(p, -1), total = G.cutoff - G.t0, k, num;
    int n = 0, level;
    rng r;

    rng_seed(&r, S_THREADS, (uint64_t)id);
    if (w0 >= G.cutoff)
        return 0;
    level = pickw(&r, level_w, 3);
    k = level == 0 ? range(&r, 0, 2)
                   : level == 1 ? range(&r, 1, 6) : range(&r, 6, 14);
    num = k * (G.cutoff - w0);
    k = num / total + (below(&r, total) < num % total);
    for (int64_t i = 0; i < k && n < 64; i++)
        sim_conversation(&r, p, w0, &TH[n++]);
    if (has_role(p, R_DON)) {
        int64_t a = act0(p, R_DON);
        for (int i = 0; i < ncamps && n < MAXT; i++)
            if (camps[i].t + 4 * DAY >= a && chance(&r, 1000) &&
                sim_update(&r, a, camps[i].t, TEAM_FR, &TH[n]))
                n++;
    }
    if (has_role(p, R_VOL)) {
        int64_t a = act0(p, R_VOL);
        for (int i = 0; i < nvol_news && n < MAXT; i++)
            if (vol_news[i] >= a && chance(&r, 2000) &&
                sim_update(&r, a, vol_news[i], TEAM_VO, &TH[n]))
                n++;
    }
    for (int i = 0; i < n; i++) {
        int j = i;
        while (j > 0 && TH[TORD[j - 1]].opened > TH[i].opened) {
            TORD[j] = TORD[j - 1];
            j--;
        }
        TORD[j] = i;
    }
    return n;
}

static const char *thread_channel(const thr *h)
{
    return h->ch == CH_OTHER ? other_ch[h->other] : ch_name[h->ch];
}

/* ---- surveys ----------------------------------------------------------- */

static const int32_t answer_q[9] = {60,    600,    1800,   7200,  28800,
                                    86400, 172800, 432000, 864000};
static const int csat_w[4][5] = {{2, 3, 8, 30, 57},
                                 {5, 8, 20, 37, 30},
                                 {15, 20, 25, 25, 15},
                                 {45, 25, 15, 10, 5}};
static const int nps_w[4][11] = {{1, 1, 1, 1, 1, 2, 3, 8, 14, 26, 42},
                                 {2, 2, 2, 3, 3, 5, 8, 15, 20, 20, 20},
                                 {6, 5, 6, 7, 8, 10, 12, 14, 12, 10, 10},
                                 {20, 12, 12, 10, 9, 9, 8, 7, 5, 4, 4}};
static const int answer_bp[4] = {4500, 4000, 3500, 3000};

/* Experience of a thread: 0 good, 1 fair, 2 slow, 3 never answered. */
static int thread_grade(const thr *h)
{
    static const int64_t good[NCH] = {8 * HOUR, 2 * HOUR, 12 * HOUR,
                                      30 * MINUTE, 8 * HOUR, 5 * DAY, HOUR,
                                      24 * HOUR};
    static const int64_t fair[NCH] = {24 * HOUR, 8 * HOUR, 48 * HOUR,
                                      4 * HOUR, 24 * HOUR, 10 * DAY, DAY,
                                      72 * HOUR};
    int64_t d;
    int g;

    if (h->bh || h->first_out < 0)
        return 3;
    d = h->first_out - h->first_in;
    g = d <= good[h->ch] ? 0 : d <= fair[h->ch] ? 1 : 2;
    if (h->kind == K_COMPLAINT)
        g++;
    if (h->resolved < 0 && h->m[h->nm - 1].dir == 'i' && g < 2)
        g = 2;
    return g;
}

static int64_t survey_id;

/* One survey row; answered_at/scores dropped when past the snapshot. */
static void emit_survey(rng *r, int64_t sid, int64_t tid, int64_t sent,
                        int grade, int both_bp, int csat_only_bp)
{
    int64_t ans = NEVER;
    int csat = -1, nps = -1;

    if (chance(r, answer_bp[grade])) {
        int c = (int)below(r, 10000);

        ans = sent + 20 + qdraw(r, answer_q);
        if (c < both_bp + csat_only_bp)
            csat = 1 + pickw(r, csat_w[grade], 5);
        if (c < both_bp || c >= both_bp + csat_only_bp)
            nps = pickw(r, nps_w[grade], 11);
        if (ans >= G.cutoff) {
            ans = NEVER;
            csat = nps = -1;
        }
    }
    out_i64(++survey_id);
    out_tab();
    out_i64(sid);
    out_tab();
    if (tid > 0)
        out_i64(tid);
    else
        out_null();
    out_tab();
    out_ts(sent);
    out_tab();
    out_ts_or_null(ans);
    out_tab();
    if (csat >= 0)
        out_i64(csat);
    else
        out_null();
    out_tab();
    if (nps >= 0)
        out_i64(nps);
    else
        out_null();
    out_nl();
}

static void surveys_for(int64_t id, const person *p, int n, int64_t tid0)
{
    static const int rel_grade_w[4] = {55, 30, 12, 3};
    rng r;

    rng_seed(&r, S_SURVEY, (uint64_t)id);
    for (int i = 0; i < n; i++) {
        const thr *h = &TH[TORD[i]];
        int64_t sent;
        int grade;

        if (h->kind == K_UPDATE || !chance(&r, 1100))
            continue;
        grade = thread_grade(h);
        if (h->bh)
            sent = h->first_in + 7 * DAY + below(&r, 2 * HOUR);
        else if (h->resolved >= 0)
            sent = h->resolved + range(&r, HOUR, 26 * HOUR);
        else
            sent = h->last + 3 * DAY + below(&r, 4 * HOUR);
        if (sent >= G.cutoff)
            continue;
        emit_survey(&r, id, tid0 + i, sent, grade, 7000, 1500);
    }
    for (int i = 0; i < nrel_survey; i++) {
        int64_t sent = rel_survey[i] + below(&r, 3 * HOUR);

        if (sent < p->created || !chance(&r, 500) || sent >= G.cutoff)
            continue;
        emit_survey(&r, id, 0, sent, pickw(&r, rel_grade_w, 4), 4500, 0);
    }
}

/* Thread, interaction and survey tables: one replay each. */
enum { PASS_THREAD, PASS_INTERACTION, PASS_SURVEY };

static void write_thread_pass(int pass)
{
    int64_t tid = 0, iid = 0;

    if (pass == PASS_THREAD)
        out_str("COPY thread (id, stakeholder_id, channel, kind, opened_at, "
                "resolved_at) FROM STDIN;\n");
    else if (pass == PASS_INTERACTION)
        out_str("COPY interaction (id, thread_id, stakeholder_id, channel, "
                "direction, occurred_at, staff_id) FROM STDIN;\n");
    else
        out_str("COPY survey (id, stakeholder_id, thread_id, sent_at, "
                "answered_at, csat, nps) FROM STDIN;\n");
    for (int64_t id = 1; id <= G.n; id++) {
        const person *p = &P[id];
        int n = sim_threads(id, p);

        if (pass == PASS_SURVEY) {
            surveys_for(id, p, n, tid + 1);
            tid += n;
            continue;
        }
        for (int i = 0; i < n; i++) {
            const thr *h = &TH[TORD[i]];
            const char *ch = thread_channel(h);

            tid++;
            if (pass == PASS_THREAD) {
                out_i64(tid);
                out_tab();
                out_i64(id);
                out_tab();
                out_str(ch);
                out_tab();
                out_str(kind_name[h->kind]);
                out_tab();
                out_ts(h->opened);
                out_tab();
                out_ts_or_null(h->resolved);
                out_nl();
                continue;
            }
            for (int j = 0; j < h->nm; j++) {
                out_i64(++iid);
                out_tab();
                out_i64(tid);
                out_tab();
                out_i64(id);
                out_tab();
                out_str(ch);
                out_tab();
                out_ch(h->m[j].dir);
                out_tab();
                out_ts(h->m[j].t);
                out_tab();
                if (h->m[j].dir == 'o')
                    out_i64(h->m[j].staff);
                else
                    out_null();
                out_nl();
            }
        }
    }
    out_str("\\.\n");
}

/* ---- stakeholders and roles -------------------------------------------- */

static void write_stakeholders(void)
{
    char b[512];

    out_str("COPY stakeholder (id, display_name, email, phone, household_id, "
            "created_at) FROM STDIN;\n");
    for (int64_t id = 1; id <= G.n; id++) {
        const person *p = &P[id];

        out_i64(id);
        out_tab();
        out_text(b, display_name(p, b, sizeof b));
        out_tab();
        if (p->flags & F_EMAIL_EMPTY)
            ;
        else if (p->email_id)
            out_text(b, email_text(p->email_id, p->flags & F_EMAIL_UPPER, b,
                                   sizeof b));
        else
            out_null();
        out_tab();
        if (p->phone_id)
            out_text(b, phone_text(id, p->phone_id, b, sizeof b));
        else
            out_null();
        out_tab();
        if (p->household)
            out_i64(p->household);
        else
            out_null();
        out_tab();
        out_ts(p->created);
        out_nl();
    }
    out_str("\\.\n");
}

static void write_roles(void)
{
    out_str("COPY stakeholder_role (stakeholder_id, role, since) FROM "
            "STDIN;\n");
    for (int64_t id = 1; id <= G.n; id++)
        for (int k = 0; k < NROLE; k++)
            if (has_role(&P[id], k)) {
                out_i64(id);
                out_tab();
                out_str(role_name[k]);
                out_tab();
                out_date(P[id].since[k]);
                out_nl();
            }
    out_str("\\.\n");
}

/* ---- gifts ------------------------------------------------------------- */

static int64_t gift_id;

/* Acknowledgement 1-5 days later in office hours; never with
 * probability never_bp, or when past the snapshot. */
static int64_t ack_time(rng *r, int64_t t, int never_bp)
{
    int64_t a;

    if (chance(r, never_bp))
        return NEVER;
    a = t + range(r, 1, 5) * DAY;
    a += below(r, 6 * HOUR);
    if (!in_biz(a))
        a = next_biz_open(a) + below(r, 4 * HOUR);
    return a < G.cutoff ? a : NEVER;
}

static void emit_gift(int64_t sid, int64_t cents, int64_t t, int64_t ack,
                      const char *kind, const char *camp)
{
    out_i64(++gift_id);
    out_tab();
    out_i64(sid);
    out_tab();
    out_cents(cents);
    out_tab();
    out_ts(t);
    out_tab();
    out_ts_or_null(ack);
    out_tab();
    out_str(kind);
    out_tab();
    out_cstr(camp);
    out_nl();
}

/* Online and posted gifts arrive at any hour, mostly in the day. */
static int64_t gift_sod(rng *r)
{
    int64_t h = pickw(r, hour_w[CH_EMAIL], 24) * HOUR;
    return h + below(r, HOUR);
}

enum { D_MONTHLY, D_ANNUAL, D_ONEOFF, D_MAJOR, D_ORG, D_BEQUEST };

static void gifts_monthly(rng *r, int64_t id, int64_t act)
{
    static const int amounts[] = {5, 8, 10, 10, 10, 12, 15, 15, 20,
                                  20, 25, 30, 40, 50};
    static const int usual_dom[] = {15, 20, 25, 28};
    int dom = (int)range(r, 1, 28), first = 1;
    int64_t amt = amounts[below(r, COUNT(amounts))] * 100;
    int64_t stop = G.cutoff, upg = NEVER, upg_amt = range(r, 1, 2) * 500;

    if (chance(r, 4000))
        dom = usual_dom[below(r, COUNT(usual_dom))];

    if (chance(r, 3500)) /* lapses */
        stop = act + range(r, 60 * DAY, G.cutoff - act);
    if (chance(r, 1000))
        upg = act + range(r, 90 * DAY, G.cutoff - act);
    for (int mno = month_no(act); mno <= month_no(G.cutoff); mno++) {
        int64_t day = month_day0(mno) + dom - 1, t;
        int w = dow(day);

        if (w == 6)
            day += 2;
        else if (w == 0)
            day += 1;
        t = day * DAY + range(r, 5 * HOUR, 9 * HOUR);
        if (t < act)
            continue;
        if (t >= stop || t >= G.cutoff)
            break;
        if (chance(r, 300)) /* failed payment */
            continue;
        emit_gift(id, amt + (upg >= 0 && t >= upg ? upg_amt : 0), t,
                  ack_time(r, t, first ? 500 : 1200), "cash", NULL);
        first = 0;
    }
}

static void gifts_annual(rng *r, int64_t id, int64_t act)
{
    static const int amounts[] = {50, 60, 75, 100, 120, 150,
                                  200, 250, 300, 500};
    int y, m, d, mon, dom;
    int64_t bi = below(r, COUNT(amounts)), stop = G.cutoff;

    civil_from_days(act / DAY, &y, &m, &d);
    mon = chance(r, 5500) ? 12 : m;
    dom = (int)range(r, 1, mon == 12 ? 23 : 28);
    if (chance(r, 2000))
        stop = act + range(r, 365 * DAY, 800 * DAY);
    for (; y <= month_no(G.cutoff) / 12; y++) {
        int64_t t = days_from_civil(y, mon, dom) * DAY + gift_sod(r), ack;
        const char *camp;

        if (t < act)
            continue;
        if (t >= stop || t >= G.cutoff)
            break;
        if (chance(r, 1200))
            continue;
        if (chance(r, 2000))
            bi = bi + (below(r, 2) ? 1 : -1);
        if (bi < 0)
            bi = 0;
        if (bi >= COUNT(amounts))
            bi = COUNT(amounts) - 1;
        if (mon == 12 && chance(r, 7000))
            camp = campaign_of(CP_CHRISTMAS, y);
        else
            camp = chance(r, 5000) ? campaign_near(t) : NULL;
        ack = ack_time(r, t, 700);
        emit_gift(id, (int64_t)amounts[bi] * 100, t, ack,
                  chance(r, 500) ? "in_kind" : "cash", camp);
    }
}

static void gifts_oneoff(rng *r, int64_t id, int64_t act)
{
    static const int count_w[4] = {60, 25, 10, 5};
    static const int amounts[] = {5, 10, 10, 20, 20, 25, 30, 50,
                                  50, 75, 100, 150, 200};
    static const int32_t lag_q[9] = {0,       3600,    86400,  259200, 604800,
                                     1209600, 1814400, 2592000, 3888000};
    int64_t ts[4];
    int n = 1 + pickw(r, count_w, 4);

    for (int i = 0; i < n; i++) {
        int64_t t = act + below(r, G.cutoff - act);

        if (chance(r, 6000)) { /* answering an appeal */
            int c = (int)below(r, ncamps);
            if (ncamps && camps[c].t >= act) {
                t = camps[c].kind == CP_GIVING_TUESDAY
                        ? camps[c].t + below(r, 16 * HOUR)
                        : camps[c].t + qdraw(r, lag_q);
                t += below(r, HOUR);
            }
        }
        ts[i] = t;
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && ts[j - 1] > ts[j]; j--) {
            int64_t x = ts[j];
            ts[j] = ts[j - 1];
            ts[j - 1] = x;
        }
    for (int i = 0; i < n; i++) {
        int k = (int)below(r, 100);
        int64_t cents;
        const char *kind = "cash";
        const char *camp = chance(r, 8500) ? campaign_near(ts[i]) : NULL;

        if (k < 11) {
            kind = "in_kind";
            cents = range(r, 2, 50) * 1000;
        } else if (k < 15) {
            kind = "sponsorship";
            cents = range(r, 5, 50) * 1000;
        } else {
            cents = amounts[below(r, COUNT(amounts))] * 100;
            if (chance(r, 3000))
                cents += range(r, 1, 99);
        }
        if (ts[i] < G.cutoff)
            emit_gift(id, cents, ts[i], ack_time(r, ts[i], 700), kind, camp);
    }
}

static void gifts_major(rng *r, int64_t id, int64_t act)
{
    static const int amounts[] = {1000, 1500, 2000, 2500, 5000,
                                  7500, 10000, 15000, 20000, 25000};
    int64_t cents = amounts[below(r, COUNT(amounts))] * INT64_C(100);

    if (chance(r, 5000)) { /* a pledge paid quarterly */
        int n = (int)range(r, 4, 8);
        int64_t t = act + below(r, (G.cutoff - act) / 2 + 1);
        int64_t part = cents * 2 / n / 100 * 100;

        for (int i = 0; i < n && t < G.cutoff; i++, t += 91 * DAY)
            emit_gift(id, part, t, ack_time(r, t, 100), "pledge_payment",
                      NULL);
        return;
    }
    for (int i = (int)range(r, 1, 3); i > 0; i--) {
        int64_t t = act + below(r, G.cutoff - act);
        int64_t ack = ack_time(r, t, 100);
        emit_gift(id, cents, t, ack, "cash",
                  chance(r, 3000) ? campaign_near(t) : NULL);
        cents = amounts[below(r, COUNT(amounts))] * INT64_C(100);
    }
}

static void gifts_org(rng *r, int64_t id, int64_t act)
{
    static const int grants[] = {2000, 2500, 5000, 7500, 10000,
                                 15000, 20000, 25000, 40000};
    static const int spons[] = {500, 750, 1000, 1500, 2500, 5000};
    int grant = chance(r, 6000);
    int n = (int)range(r, 1, grant ? 2 : 3);

    for (int i = 0; i < n; i++) {
        int64_t t = act + below(r, G.cutoff - act);
        int64_t amt = grant ? grants[below(r, COUNT(grants))]
                            : spons[below(r, COUNT(spons))];
        emit_gift(id, amt * 100, t, ack_time(r, t, 300),
                  grant ? "grant" : "sponsorship", NULL);
    }
}

static void gifts_for(int64_t id, const person *p)
{
    static const int dtype_w[6] = {2000, 3200, 4200, 300, 200, 100};
    int64_t act = act0(p, R_DON);
    rng r;

    if (!has_role(p, R_DON) || act >= G.cutoff)
        return;
    rng_seed(&r, S_GIFTS, (uint64_t)id);
    switch (p->journey == J_VOL_DON ? (chance(&r, 4000) ? D_MONTHLY
                                                        : D_ONEOFF)
                                    : pickw(&r, dtype_w, 6)) {
    case D_MONTHLY: gifts_monthly(&r, id, act); break;
    case D_ANNUAL: gifts_annual(&r, id, act); break;
    case D_ONEOFF: gifts_oneoff(&r, id, act); break;
    case D_MAJOR: gifts_major(&r, id, act); break;
    case D_ORG: gifts_org(&r, id, act); break;
    default: {
        int64_t t = act + below(&r, G.cutoff - act);
        int64_t cents = range(&r, 200000, 6000000);
        emit_gift(id, cents, t, ack_time(&r, t, 1000), "bequest", NULL);
    }
    }
}

static void write_gifts(void)
{
    out_str("COPY gift (id, stakeholder_id, amount, received_at, "
            "acknowledged_at, kind, campaign) FROM STDIN;\n");
    for (int64_t id = 1; id <= G.n; id++)
        gifts_for(id, &P[id]);
    out_str("\\.\n");
}

/* ---- volunteer shifts -------------------------------------------------- */

static int64_t shift_id;

static void emit_shift(int64_t sid, int64_t t, int64_t centihours)
{
    out_i64(++shift_id);
    out_tab();
    out_i64(sid);
    out_tab();
    out_ts(t);
    out_tab();
    out_cents(centihours);
    out_nl();
}

static void shifts_for(int64_t id, const person *p)
{
    static const int slot_min[] = {540, 540, 600, 600, 780, 840, 1050, 1080};
    static const int hours[] = {200, 250, 300, 300, 350, 400, 400,
                                600, 750, 800, 150, 450};
    static const int cadence_w[3] = {30, 25, 45};
    int64_t act = act0(p, R_VOL);
    int forced = p->journey != J_NONE;
    rng r;

    if (!has_role(p, R_VOL) || act >= G.cutoff)
        return;
    rng_seed(&r, S_SHIFTS, (uint64_t)id);
    if (chance(&r, 600)) { /* a regular, weekly to monthly */
        static const int step[3] = {7, 14, 28};
        int cad = pickw(&r, cadence_w, 3), first = 1;
        int64_t day = act / DAY + range(&r, 0, 6);
        int wday = (int)range(&r, 1, 6);
        int64_t sod = slot_min[below(&r, COUNT(slot_min))] * MINUTE;
        int64_t base = hours[below(&r, COUNT(hours))];
        int64_t fade = INT64_MAX, fade_len = range(&r, 30, 150) * DAY;

        if (chance(&r, 7500)) /* fades out within a year or so */
            fade = act + range(&r, 30 * DAY, G.cutoff - act < 400 * DAY
                                                 ? G.cutoff - act
                                                 : 400 * DAY);
        for (day = next_dow(day, wday);; day += step[cad]) {
            int64_t t = day * DAY + sod, h = base;
            int att = 8500;

            if (chance(&r, 3000))
                t += range(&r, -10, 15) * MINUTE;
            if (t >= G.cutoff)
                break;
            if (t < act)
                continue;
            if (t >= fade) {
                int64_t prog = (t - fade) * 100 / fade_len;
                if (prog >= 100)
                    break;
                att = 8500 - (int)prog * 65;
            }
            if (!chance(&r, att) && !first)
                continue;
            if (chance(&r, 2000))
                h += range(&r, -4, 4) * 25;
            emit_shift(id, t, h < 100 ? 100 : h > 800 ? 800 : h);
            first = 0;
        }
        return;
    }
    {
        int64_t ts[3];
        int n = chance(&r, 6000) && !forced ? 0 : (int)range(&r, 1, 3);

        for (int i = 0; i < n; i++) {
            int64_t day = (i == 0 && forced)
                              ? (act + range(&r, 0, 21 * DAY)) / DAY
                              : (act + below(&r, G.cutoff - act)) / DAY;
            if (chance(&r, 6000) && i > 0)
                day = next_dow(day, chance(&r, 5000) ? 6 : 0);
            ts[i] = day * DAY + range(&r, 16, 36) * 30 * MINUTE;
        }
        for (int i = 1; i < n; i++)
            for (int j = i; j > 0 && ts[j - 1] > ts[j]; j--) {
                int64_t x = ts[j];
                ts[j] = ts[j - 1];
                ts[j - 1] = x;
            }
        for (int i = 0; i < n; i++) {
            int64_t h = chance(&r, 8000) ? range(&r, 4, 16) * 50
                                         : range(&r, 4, 32) * 25;
            if (ts[i] >= act && ts[i] < G.cutoff)
                emit_shift(id, ts[i], h);
        }
    }
}

static void write_shifts(void)
{
    out_str("COPY volunteer_shift (id, stakeholder_id, started_at, hours) "
            "FROM STDIN;\n");
    for (int64_t id = 1; id <= G.n; id++)
        shifts_for(id, &P[id]);
    out_str("\\.\n");
}

/* ---- service visits ---------------------------------------------------- */

enum { PG_FOOD, PG_COUNSEL, PG_YOUTH, PG_LEGAL, NPROG };
static const char *const prog_name[NPROG] = {"Food bank", "Counselling",
                                             "Youth club", "Legal advice"};

static int64_t visit_id;

static void emit_visit(int64_t sid, int64_t t, int prog)
{
    out_i64(++visit_id);
    out_tab();
    out_i64(sid);
    out_tab();
    out_ts(t);
    out_tab();
    out_str(prog_name[prog]);
    out_nl();
}

/* A weekly series from day (first visit always attended) for weeks weeks
 * or until the snapshot; attendance in basis points. */
static void weekly(rng *r, int64_t sid, int prog, int64_t day, int weeks,
                   int64_t sod0, int64_t spread, int att, int64_t from)
{
    for (int i = 0; i < weeks; i++, day += 7) {
        int64_t t = day * DAY + sod0 + below(r, spread);
        if (t >= G.cutoff)
            break;
        if (t >= from && (i == 0 || chance(r, att)))
            emit_visit(sid, t, prog);
    }
}

static void visits_program(rng *r, int64_t sid, int prog, int64_t from,
                           int near)
{
    int64_t day = from / DAY + (near ? range(r, 0, 6) : 0);

    switch (prog) {
    case PG_FOOD: { /* Tuesday and Friday, 10:00-14:00 */
        int d = below(r, 2) ? 2 : 5, pat = (int)below(r, 100);
        day = next_dow(day, d);
        if (pat < 40) {
            weekly(r, sid, prog, day, 1, 10 * HOUR, 4 * HOUR, 0, from);
        } else if (pat < 75) {
            for (int k = (int)range(r, 2, 6); k > 0; k--) {
                weekly(r, sid, prog, day, 1, 10 * HOUR, 4 * HOUR, 0, from);
                day = next_dow(day + range(r, 7, 45), d);
            }
        } else {
            weekly(r, sid, prog, day, (int)range(r, 4, 26), 10 * HOUR,
                   4 * HOUR, 7000, from);
        }
        break;
    }
    case PG_COUNSEL: { /* a course of weekly appointments */
        int weeks;

        day = next_dow(day, (int)range(r, 1, 4));
        weeks = chance(r, 2000) ? 1 : (int)range(r, 6, 12);
        weekly(r, sid, prog, day, weeks, range(r, 9, 16) * HOUR, 1, 8500,
               from);
        break;
    }
    case PG_YOUTH: /* Wednesday and Thursday evenings */
        day = next_dow(day, (int)range(r, 3, 4));
        weekly(r, sid, prog, day,
               chance(r, 6000) ? (int)range(r, 4, 26) : (int)range(r, 1, 2),
               16 * HOUR, 3 * HOUR, 6500, from);
        break;
    default: /* legal advice drop-in, Monday afternoons */
        for (int k = (int)range(r, 1, 3); k > 0; k--) {
            day = next_dow(day, 1);
            weekly(r, sid, prog, day, 1, 13 * HOUR, 4 * HOUR, 0, from);
            day += range(r, 7, 60);
        }
    }
}

static void visits_for(int64_t id, const person *p)
{
    static const int prog_w[NPROG] = {40, 25, 20, 15};
    int64_t act = act0(p, R_SU);
    int p1;
    rng r;

    if (!has_role(p, R_SU) || act >= G.cutoff)
        return;
    rng_seed(&r, S_VISITS, (uint64_t)id);
    p1 = pickw(&r, prog_w, NPROG);
    visits_program(&r, id, p1, act, 1);
    if (chance(&r, 1500)) {
        int p2 = (p1 + 1 + (int)below(&r, NPROG - 1)) % NPROG;
        visits_program(&r, id, p2, act + below(&r, G.cutoff - act), 0);
    }
}

static void write_visits(void)
{
    out_str("COPY service_visit (id, stakeholder_id, occurred_at, program) "
            "FROM STDIN;\n");
    for (int64_t id = 1; id <= G.n; id++)
        visits_for(id, &P[id]);
    out_str("\\.\n");
}

/* ---- command line ------------------------------------------------------ */

#define USAGE "usage: demo-gen [--scale F] [--seed N] [--end YYYY-MM]"

/* One line on stderr naming the argument at fault, then exit 64. */
static _Noreturn void usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "demo-gen: %s '%s'; " USAGE "\n", msg, arg);
    exit(EX_USAGE);
}

/* Decimal with at most 6 fraction digits, in millionths. */
static int parse_scale(const char *s, int64_t *out)
{
    int64_t v = 0, frac = 0;
    int nd = 0, nf = -1;

    for (; *s; s++) {
        if (*s == '.' && nf < 0) {
            nf = 0;
            continue;
        }
        if (*s < '0' || *s > '9' || nd > 9 || nf >= 6)
            return -1;
        if (nf >= 0) {
            frac = frac * 10 + (*s - '0');
            nf++;
        } else {
            v = v * 10 + (*s - '0');
        }
        nd++;
    }
    if (nd == 0)
        return -1;
    for (nf = nf < 0 ? 0 : nf; nf < 6; nf++)
        frac *= 10;
    *out = v * 1000000 + frac;
    return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;

    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

static int parse_month(const char *s, int *y, int *m)
{
    if (strlen(s) != 7 || s[4] != '-')
        return -1;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return -1;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
         (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    return *y >= 2000 && *y <= 2200 && *m >= 1 && *m <= 12 ? 0 : -1;
}

static void parse_args(int argc, char **argv)
{
    G.scale_u = 1000000;
    G.end_y = 2026;
    G.end_m = 10;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        size_t k;

        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(USAGE "\n", stdout);
            exit(0);
        }
        if (!strncmp(a, "--scale", 7))
            k = 7;
        else if (!strncmp(a, "--seed", 6))
            k = 6;
        else if (!strncmp(a, "--end", 5))
            k = 5;
        else
            usage_error("unknown argument", a);
        if (a[k] == '=')
            v = a + k + 1;
        else if (a[k] == '\0' && i + 1 < argc)
            v = argv[++i];
        else if (a[k] == '\0')
            usage_error("missing value after", a);
        else
            usage_error("unknown argument", a);
        if (k == 7) {
            if (parse_scale(v, &G.scale_u) || G.scale_u < 10000 ||
                G.scale_u > 1000000000)
                usage_error("--scale wants a number from 0.01 to 1000, not",
                            v);
        } else if (k == 6) {
            if (parse_u64(v, &g_seed))
                usage_error("--seed wants a non-negative integer, not", v);
        } else if (parse_month(v, &G.end_y, &G.end_m)) {
            usage_error("--end wants YYYY-MM (years 2000-2200), not", v);
        }
    }
}

int main(int argc, char **argv)
{
    int mend;

    parse_args(argc, argv);
    mend = G.end_y * 12 + G.end_m - 1;
    G.m0 = mend - 35;
    G.t0 = month_day0(G.m0) * DAY;
    G.t1 = month_day0(mend + 1) * DAY;
    G.cutoff = G.t1 + 4 * DAY + 12 * HOUR;
    G.n = (2000 * G.scale_u + 500000) / 1000000;
    G.nstaff = (25 * G.scale_u + 500000) / 1000000;
    if (G.nstaff < NTEAM)
        G.nstaff = NTEAM;
    /* Staff do not grow with supporters without bound: even a national
     * charity answers its public with a few hundred people. */
    if (G.nstaff > 250)
        G.nstaff = 250;

    P = calloc((size_t)G.n + 1, sizeof *P);
    if (!P) {
        fprintf(stderr, "demo-gen: out of memory\n");
        return EXIT_FAILURE;
    }
    setvbuf(stdout, NULL, _IOFBF, 1 << 20);
    build_people();
    build_staff();
    build_calendar();

    out_str("-- rapport demo organisation: demo-gen --scale ");
    out_i64(G.scale_u / 1000000);
    if (G.scale_u % 1000000) {
        char f[8];
        int n = 6;
        int64_t v = G.scale_u % 1000000;

        for (int i = 5; i >= 0; i--, v /= 10)
            f[i] = (char)('0' + v % 10);
        while (f[n - 1] == '0')
            n--;
        out_ch('.');
        out_mem(f, (size_t)n);
    }
    out_str(" --seed ");
    out_u64(g_seed);
    out_str(" --end ");
    out_i64(G.end_y);
    out_ch('-');
    out_ch((char)('0' + G.end_m / 10));
    out_ch((char)('0' + G.end_m % 10));
    out_str("\nSET client_encoding = 'UTF8';\n");
    write_staff();
    write_stakeholders();
    write_roles();
    write_thread_pass(PASS_THREAD);
    write_thread_pass(PASS_INTERACTION);
    write_thread_pass(PASS_SURVEY);
    write_gifts();
    write_shifts();
    write_visits();
    oflush();
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "demo-gen: cannot write output\n");
        return EX_IOERR;
    }
    free(P);
    free(SF);
    for (int k = 0; k < NTEAM; k++)
        free(team_ids[k]);
    return 0;
}
