/* chart_people.c - the people charts (cairo + Pango): satisfaction,
 * volunteers and service users by month, hours per volunteer, volunteer
 * cohorts, the role journeys and bars of shares with their intervals. */
#include "rapport/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rapport/common.h"
#include "rapport/people.h"

#include "chart_kit.h"

static const double grid_rgb[3] = {0.88, 0.89, 0.91}, axis_rgb[3] = {0.55, 0.58, 0.62};

/* Roles in the colours of the Models page: donors blue, volunteers
 * orange, service users bluish green; new people in a tint of the hue. */
static const double *role_rgb(int role)
{
    return role == RP_JR_DONOR       ? chart_oi[OI_BLUE]
           : role == RP_JR_VOLUNTEER ? chart_oi[OI_ORANGE]
                                     : chart_oi[OI_GREEN];
}
static const double vol_new_rgb[3] = {0.96, 0.82, 0.52}, su_new_rgb[3] = {0.60, 0.85, 0.77};
static const double hours_rgb[3] = {0.36, 0.43, 0.51};

/* A figure for a label: "+33", "69%", "236.5"; U+2212 for a minus. */
static void value_text(char *out, size_t n, double v, int dec, const char *suffix, int plus)
{
    char num[48];
    double r = dec > 0 ? v : chart_round(v);

    chart_tick_text(num, sizeof num, fabs(r), dec > 0 ? pow(10.0, -dec) : 1);
    snprintf(out, n, "%s%s%s",
             strcmp(num, "0") == 0 ? ""
             : r < 0               ? "\xE2\x88\x92"
             : plus                ? "+"
                                   : "",
             num, suffix ? suffix : "");
}

/* ---- month panels ---------------------------------------------------------- */

#define MP_SERIES 2

/* One panel of a month chart: a line of dots (series 0, with its band) or
 * bars (series stacked from 0 up). */
typedef struct {
    const char *title;
    int line, nseries;
    double v[MP_SERIES][RP_MONTHS]; /* NAN: no value */
    double lo[RP_MONTHS], hi[RP_MONTHS];
    int withheld[RP_MONTHS]; /* an en dash above the month */
    const double *rgb[MP_SERIES];
    const char *label[MP_SERIES]; /* legend; NULL: none */
    double ymin, ymax, step;      /* a fixed axis when ymax > ymin */
    const char *suffix;           /* of ticks and values ("%" or "") */
    int plus, dec;                /* values: "+" when positive; decimals */
} mpanel;

typedef struct {
    const rp_window *win;
    const char *count_title; /* a row of counts under the months; NULL: none */
    int64_t count[RP_MONTHS];
    const char *empty; /* the note when no panel has a value */
} mchart;

/* 1 when some month of pn has a value (or a withheld one) to show. */
static int panel_any(const mpanel *pn)
{
    for (int m = 0; m < RP_MONTHS; m++) {
        if (pn->withheld[m])
            return 1;
        for (int s = 0; s < pn->nseries; s++)
            if (isfinite(pn->v[s][m]) && (pn->line || pn->v[s][m] > 0))
                return 1;
    }
    return 0;
}

/* The axis of a panel: ymin..ymax by step, about target steps. */
static void panel_axis(mpanel *pn, int target)
{
    double top = 0;

    if (pn->ymax > pn->ymin)
        return;
    for (int m = 0; m < RP_MONTHS; m++) {
        double sum = 0;
        for (int s = 0; s < pn->nseries; s++)
            if (isfinite(pn->v[s][m]))
                sum = pn->line ? fmax(sum, pn->v[s][m]) : sum + pn->v[s][m];
        if (pn->line && isfinite(pn->hi[m]))
            sum = fmax(sum, pn->hi[m]);
        top = fmax(top, sum);
    }
    if (top <= 0)
        top = 1;
    pn->step = chart_nice_step(top * 1.08, target);
    if (pn->dec == 0 && pn->step < 1)
        pn->step = 1;
    pn->ymin = 0;
    pn->ymax = ceil(top * 1.08 / pn->step - 1e-9) * pn->step;
}

static double tick_width(pen *p, const mpanel *pn)
{
    char buf[64];
    double tw, th, maxw = 0;

    for (double t = pn->ymin; t <= pn->ymax + 1e-9 * pn->step; t += pn->step) {
        value_text(buf, sizeof buf, t, pn->step < 1 ? 1 : 0, pn->suffix, pn->plus && t > 0);
        pen_measure(p, buf, &tw, &th);
        maxw = fmax(maxw, tw);
    }
    return maxw;
}

typedef struct {
    double px0, px1, slot, py0, py1, ymin, ymax;
} mplot;

static double mx(const mplot *pl, int m)
{
    return pl->px0 + (m + 0.5) * pl->slot;
}
static double my(const mplot *pl, double v)
{
    double f = (fmin(fmax(v, pl->ymin), pl->ymax) - pl->ymin) / (pl->ymax - pl->ymin);

    return pl->py1 - (pl->py1 - pl->py0) * f;
}

static void panel_grid(pen *p, const mplot *pl, const mpanel *pn)
{
    cairo_t *cr = p->cr;
    const double u = p->u;
    char buf[64];

    pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
    cairo_set_line_width(cr, 0.6 * u);
    for (double t = pn->ymin; t <= pn->ymax + 1e-9 * pn->step; t += pn->step) {
        double gy = my(pl, t);
        chart_rgb(cr, fabs(t) < 1e-9 || t == pn->ymin ? axis_rgb : grid_rgb);
        cairo_move_to(cr, pl->px0, gy);
        cairo_line_to(cr, pl->px1, gy);
        cairo_stroke(cr);
        value_text(buf, sizeof buf, t, pn->step < 1 ? 1 : 0, pn->suffix, pn->plus && t > 0);
        chart_rgb(cr, chart_muted);
        pen_show(p, buf, pl->px0 - 5 * u, gy, 1.0, 0.5);
    }
}

/* A band of a line: a polygon over each run of months with bounds, a
 * short bar for a month alone. */
static void panel_band(pen *p, const mplot *pl, const mpanel *pn)
{
    cairo_t *cr = p->cr;
    const double *rgb = pn->rgb[0];

    cairo_set_source_rgba(cr, rgb[0], rgb[1], rgb[2], 0.17);
    for (int m = 0; m < RP_MONTHS;) {
        int e = m;
        if (!isfinite(pn->lo[m]) || !isfinite(pn->hi[m])) {
            m++;
            continue;
        }
        while (e + 1 < RP_MONTHS && isfinite(pn->lo[e + 1]) && isfinite(pn->hi[e + 1]))
            e++;
        if (e == m) {
            double hw = fmin(pl->slot * 0.18, 5 * p->u);
            cairo_rectangle(cr, mx(pl, m) - hw, my(pl, pn->hi[m]), 2 * hw,
                            my(pl, pn->lo[m]) - my(pl, pn->hi[m]));
        } else {
            cairo_move_to(cr, mx(pl, m), my(pl, pn->hi[m]));
            for (int k = m + 1; k <= e; k++)
                cairo_line_to(cr, mx(pl, k), my(pl, pn->hi[k]));
            for (int k = e; k >= m; k--)
                cairo_line_to(cr, mx(pl, k), my(pl, pn->lo[k]));
            cairo_close_path(cr);
        }
        cairo_fill(cr);
        m = e + 1;
    }
}

static void panel_line(pen *p, const mplot *pl, const mpanel *pn)
{
    cairo_t *cr = p->cr;
    const double u = p->u;
    const double *v = pn->v[0];
    int down = 0;

    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int m = 0; m < RP_MONTHS; m++) {
        if (!isfinite(v[m])) {
            down = 0;
            continue;
        }
        if (down)
            cairo_line_to(cr, mx(pl, m), my(pl, v[m]));
        else
            cairo_move_to(cr, mx(pl, m), my(pl, v[m]));
        down = 1;
    }
    chart_rgb(cr, pn->rgb[0]);
    cairo_set_line_width(cr, 1.8 * u);
    cairo_stroke(cr);
    for (int m = 0; m < RP_MONTHS; m++) {
        if (!isfinite(v[m]))
            continue;
        cairo_new_sub_path(cr);
        cairo_arc(cr, mx(pl, m), my(pl, v[m]), (m == RP_MONTHS - 1 ? 3.3 : 2.5) * u, 0, 2 * M_PI);
    }
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 0.7 * u);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* Bars stacked from 0, the total above each bar when it fits. */
static void panel_bars(pen *p, const mplot *pl, const mpanel *pn)
{
    cairo_t *cr = p->cr;
    const double u = p->u, bw = fmin(pl->slot * 0.64, 26 * u);
    char buf[64];
    double tw, th;

    for (int m = 0; m < RP_MONTHS; m++) {
        double base = 0, total = 0;
        int any = 0;
        for (int s = 0; s < pn->nseries; s++) {
            double v = pn->v[s][m];
            if (!isfinite(v) || v <= 0)
                continue;
            any = 1;
            chart_rgb(cr, pn->rgb[s]);
            cairo_rectangle(cr, mx(pl, m) - bw / 2, my(pl, base + v), bw,
                            my(pl, base) - my(pl, base + v));
            cairo_fill(cr);
            base += v;
        }
        total = base;
        if (!any && !isfinite(pn->v[0][m]))
            continue;
        value_text(buf, sizeof buf, total, pn->dec, NULL, 0);
        pen_font(p, 7, m == RP_MONTHS - 1 ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pen_measure(p, buf, &tw, &th);
        if (tw > pl->slot - 1 * u)
            continue;
        chart_rgb(cr, m == RP_MONTHS - 1 ? chart_ink : chart_muted);
        pen_show(p, buf, mx(pl, m), my(pl, total) - 1.5 * u, 0.5, 1.0);
    }
}

/* The period's value beside its dot, on a white patch. */
static void panel_last_value(pen *p, const mplot *pl, const mpanel *pn)
{
    const double u = p->u;
    const int m = RP_MONTHS - 1;
    double v = pn->v[0][m], tw, th, ly;
    char buf[64];

    if (!pn->line || !isfinite(v))
        return;
    value_text(buf, sizeof buf, v, pn->dec, pn->suffix, pn->plus);
    pen_font(p, 8, PANGO_WEIGHT_BOLD);
    pen_measure(p, buf, &tw, &th);
    ly = my(pl, v) - 4.5 * u - th;
    if (ly < pl->py0 - th / 2)
        ly = my(pl, v) + 4.5 * u;
    cairo_set_source_rgba(p->cr, 1, 1, 1, 0.85);
    cairo_rectangle(p->cr, mx(pl, m) - tw / 2 - 1.5 * u, ly, tw + 3 * u, th);
    cairo_fill(p->cr);
    chart_rgb(p->cr, chart_ink);
    pen_show(p, buf, mx(pl, m), ly, 0.5, 0.0);
}

static void panel_withheld(pen *p, const mplot *pl, const mpanel *pn)
{
    pen_font(p, 8, PANGO_WEIGHT_NORMAL);
    chart_rgb(p->cr, chart_muted);
    for (int m = 0; m < RP_MONTHS; m++)
        if (pn->withheld[m])
            pen_show(p, "\xE2\x80\x93", mx(pl, m), my(pl, pn->ymin) - 2 * p->u, 0.5, 1.0);
}

static void draw_months(pen *p, double x, double y, double w, double h, mpanel *pn, int np,
                        const mchart *mc)
{
    cairo_t *cr = p->cr;
    const double u = p->u, gap = 12 * u;
    double tw, th, lh, gutter = 0, head_h, foot_h, ph, ty;
    char mon[16], year[16], buf[64];
    int any = 0;
    mplot pl;

    pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
    pen_measure(p, "0", &tw, &lh);
    head_h = lh * 1.5 + lh * 0.6;
    foot_h = 2 * lh + 6 * u + (mc->count_title ? lh * 1.25 : 0);
    ph = fmax((h - foot_h - np * head_h - (np - 1) * gap) / np, 24 * u);
    /* Tick labels at least two lines apart. */
    for (int i = 0; i < np; i++) {
        panel_axis(&pn[i], (int)fmin(5, fmax(2, floor(ph / (2.2 * lh)))));
        gutter = fmax(gutter, tick_width(p, &pn[i]));
    }
    if (mc->count_title) {
        pen_measure(p, mc->count_title, &tw, &th);
        gutter = fmax(gutter, tw);
    }
    pl.px0 = x + gutter + 7 * u;
    pl.px1 = x + w - 4 * u;
    pl.slot = (pl.px1 - pl.px0) / RP_MONTHS;

    for (int i = 0; i < np; i++)
        any = any || panel_any(&pn[i]);
    ty = y;
    for (int i = 0; i < np; i++) {
        mpanel *q = &pn[i];
        const char *lab[MP_SERIES];
        const double *rgb[MP_SERIES];
        int nl = 0;

        pen_font(p, 7.5, PANGO_WEIGHT_BOLD);
        chart_rgb(cr, chart_ink);
        pen_show(p, q->title, x, ty, 0.0, 0.0);
        for (int s = 0; s < q->nseries; s++)
            if (q->label[s]) {
                lab[nl] = q->label[s];
                rgb[nl++] = q->rgb[s];
            }
        if (nl > 0) {
            double lw = 0;
            pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
            for (int k = 0; k < nl; k++) {
                pen_measure(p, lab[k], &tw, &th);
                lw += 9 * u + 4 * u + tw + (k ? 12 * u : 0);
            }
            chart_swatch_legend(p, pl.px1 - lw, pl.px1 + 1, ty - lh * 0.15, nl, lab, rgb, 1);
        }
        pl.py0 = ty + head_h;
        pl.py1 = pl.py0 + ph;
        pl.ymin = q->ymin;
        pl.ymax = q->ymax;
        panel_grid(p, &pl, q);
        if (!any) {
            if (i == 0 && mc->empty) {
                double cx = (pl.px0 + pl.px1) / 2, cy = (pl.py0 + pl.py1) / 2;
                pen_font(p, 8, PANGO_WEIGHT_NORMAL);
                pen_measure(p, mc->empty, &tw, &th);
                cairo_set_source_rgb(cr, 1, 1, 1);
                cairo_rectangle(cr, cx - tw / 2 - 4 * u, cy - th / 2 - 1 * u, tw + 8 * u,
                                th + 2 * u);
                cairo_fill(cr);
                chart_rgb(cr, chart_muted);
                pen_show(p, mc->empty, cx, cy, 0.5, 0.5);
            }
        } else if (q->line) {
            panel_band(p, &pl, q);
            panel_line(p, &pl, q);
            panel_last_value(p, &pl, q);
        } else {
            panel_bars(p, &pl, q);
        }
        panel_withheld(p, &pl, q);
        ty = pl.py1 + gap;
    }

    /* Months under the last panel: every one, the period in bold. */
    cairo_set_line_width(cr, 0.6 * u);
    for (int m = 0; m < RP_MONTHS; m++) {
        int last = m == RP_MONTHS - 1;
        chart_rgb(cr, axis_rgb);
        cairo_move_to(cr, mx(&pl, m), pl.py1);
        cairo_line_to(cr, mx(&pl, m), pl.py1 + 2.5 * u);
        cairo_stroke(cr);
        chart_month_text(mc->win->month_label[m], m == 0, mon, sizeof mon, year, sizeof year);
        pen_font(p, 7.5, last ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        chart_rgb(cr, last ? chart_ink : chart_muted);
        pen_show(p, mon, mx(&pl, m), pl.py1 + 3.5 * u, 0.5, 0.0);
        if (year[0])
            pen_show(p, year, mx(&pl, m), pl.py1 + 3.5 * u + lh, 0.5, 0.0);
    }
    if (mc->count_title) {
        double cy = pl.py1 + 3.5 * u + 2 * lh + 3 * u;
        cairo_set_line_width(cr, 0.5 * u);
        chart_rgb(cr, grid_rgb);
        cairo_move_to(cr, pl.px0, cy - 1.5 * u);
        cairo_line_to(cr, pl.px1, cy - 1.5 * u);
        cairo_stroke(cr);
        pen_font(p, 7, PANGO_WEIGHT_BOLD);
        chart_rgb(cr, chart_muted);
        pen_show(p, mc->count_title, pl.px0 - 5 * u, cy, 1.0, 0.0);
        for (int m = 0; m < RP_MONTHS; m++) {
            chart_tick_text(buf, sizeof buf, (double)mc->count[m], 1);
            pen_font(p, 7, m == RP_MONTHS - 1 ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
            chart_rgb(cr, m == RP_MONTHS - 1 ? chart_ink : chart_muted);
            pen_show(p, buf, mx(&pl, m), cy, 0.5, 0.0);
        }
    }
    pen_font(p, 8, PANGO_WEIGHT_NORMAL);
}

static void months_chart(cairo_t *cr, double x, double y, double w, double h, mpanel *pn, int np,
                         const mchart *mc, double unit_h)
{
    pen p;

    pen_open(&p, cr, fmin(w / 500.0, h / unit_h));
    draw_months(&p, x, y, w, h, pn, np, mc);
    pen_close(&p);
}

static void blank_panel(mpanel *pn)
{
    memset(pn, 0, sizeof *pn);
    for (int s = 0; s < MP_SERIES; s++)
        for (int m = 0; m < RP_MONTHS; m++)
            pn->v[s][m] = NAN;
    for (int m = 0; m < RP_MONTHS; m++)
        pn->lo[m] = pn->hi[m] = NAN;
    pn->suffix = "";
}

void rp_chart_satisfaction_trend(cairo_t *cr, double x, double y, double w, double h,
                                 const rp_people *p, const rp_window *win)
{
    mpanel pn[2];
    mchart mc = {win, "Answers", {0}, "No survey was answered in these 13 months"};

    blank_panel(&pn[0]);
    blank_panel(&pn[1]);
    pn[0].title = "CSAT: share of ratings of 4 or 5 out of 5";
    pn[1].title = "Net Promoter Score";
    for (int i = 0; i < 2; i++) {
        pn[i].line = 1;
        pn[i].nseries = 1;
        pn[i].rgb[0] = chart_oi[OI_BLUE];
    }
    pn[0].ymin = 0, pn[0].ymax = 100, pn[0].step = 25, pn[0].suffix = "%";
    pn[1].ymin = -100, pn[1].ymax = 100, pn[1].step = 50, pn[1].plus = 1;
    for (int m = 0; m < RP_MONTHS; m++) {
        const rp_sat_cell *c = &p->sat.month[m];
        int cs = c->csat.n > 0 && !c->csat.suppressed, ns = c->nps.n > 0 && !c->nps.suppressed;
        pn[0].v[0][m] = cs ? c->csat.pct : NAN;
        pn[0].lo[m] = cs ? c->csat.lo : NAN;
        pn[0].hi[m] = cs ? c->csat.hi : NAN;
        pn[0].withheld[m] = c->csat.n > 0 && c->csat.suppressed;
        pn[1].v[0][m] = ns ? c->nps.score : NAN;
        pn[1].lo[m] = ns ? c->nps.lo : NAN;
        pn[1].hi[m] = ns ? c->nps.hi : NAN;
        pn[1].withheld[m] = c->nps.n > 0 && c->nps.suppressed;
        mc.count[m] = c->response.x;
    }
    months_chart(cr, x, y, w, h, pn, 2, &mc, 240);
}

void rp_chart_volunteer_trend(cairo_t *cr, double x, double y, double w, double h,
                              const rp_people *p, const rp_window *win)
{
    mpanel pn[2];
    mchart mc = {win, NULL, {0}, "No shifts in these 13 months"};

    blank_panel(&pn[0]);
    blank_panel(&pn[1]);
    pn[0].title = "Active volunteers";
    pn[0].nseries = 2;
    pn[0].rgb[0] = role_rgb(RP_JR_VOLUNTEER);
    pn[0].rgb[1] = vol_new_rgb;
    pn[0].label[0] = "Returning";
    pn[0].label[1] = "New this month";
    pn[1].title = "Hours volunteered";
    pn[1].nseries = 1;
    pn[1].rgb[0] = hours_rgb;
    for (int m = 0; m < RP_MONTHS; m++) {
        const rp_vol_month *v = &p->vol.month[m];
        pn[0].v[0][m] = (double)(v->active - v->new_volunteers);
        pn[0].v[1][m] = (double)v->new_volunteers;
        pn[1].v[0][m] = v->hours;
    }
    months_chart(cr, x, y, w, h, pn, 2, &mc, 220);
}

void rp_chart_service_user_trend(cairo_t *cr, double x, double y, double w, double h,
                                 const rp_people *p, const rp_window *win)
{
    mpanel pn;
    mchart mc = {win, "Visits", {0}, "No visits in these 13 months"};

    blank_panel(&pn);
    pn.title = "Active service users";
    pn.nseries = 2;
    pn.rgb[0] = role_rgb(RP_JR_SERVICE_USER);
    pn.rgb[1] = su_new_rgb;
    pn.label[0] = "Returning";
    pn.label[1] = "New this month";
    for (int m = 0; m < RP_MONTHS; m++) {
        const rp_su_month *s = &p->su.month[m];
        pn.v[0][m] = (double)s->returning;
        pn.v[1][m] = (double)s->new_users;
        mc.count[m] = s->visits;
    }
    months_chart(cr, x, y, w, h, &pn, 1, &mc, 170);
}

/* ---- bars of shares ------------------------------------------------------- */

/* "74% (62–83)": whole percentages. */
static void share_text(char *out, size_t n, const rp_share_bar *s)
{
    char a[16], lo[16], hi[16];

    chart_pct_text(a, sizeof a, s->pct);
    snprintf(lo, sizeof lo, "%.0f", chart_round(s->lo));
    snprintf(hi, sizeof hi, "%.0f", chart_round(s->hi));
    if (isfinite(s->lo) && isfinite(s->hi))
        snprintf(out, n, "%s (%s\xE2\x80\x93%s)", a, lo, hi);
    else
        snprintf(out, n, "%s", a);
}

static void draw_share_bars(pen *p, double x, double y, double w, double h, const rp_share_bar *bar,
                            int n)
{
    cairo_t *cr = p->cr;
    const double u = p->u;
    double tw, th, lh, left = 0, right, axis_h, rh, bh, bx0, bx1;
    char buf[96], num[32];

    pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
    pen_measure(p, "0", &tw, &lh);
    axis_h = lh + 5 * u;
    for (int i = 0; i < n; i++) {
        pen_font(p, 8, PANGO_WEIGHT_BOLD);
        pen_measure(p, bar[i].label, &tw, &th);
        left = fmax(left, tw);
        pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
        chart_tick_text(num, sizeof num, (double)bar[i].n, 1);
        snprintf(buf, sizeof buf, "%s %s", num, bar[i].noun ? bar[i].noun : "");
        pen_measure(p, buf, &tw, &th);
        left = fmax(left, tw);
    }
    left = fmin(left, w * 0.42);
    pen_font(p, 8, PANGO_WEIGHT_BOLD);
    pen_measure(p,
                "100% (100\xE2\x80\x93"
                "100)",
                &right, &th);
    bx0 = x + left + 10 * u;
    bx1 = x + w - right - 8 * u;
    if (n <= 0 || bx1 <= bx0)
        return;
    rh = fmin((h - axis_h) / n, 44 * u);
    bh = fmin(rh * 0.5, 16 * u);

    /* Gridlines every 25%, labelled under the bars. */
    pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
    cairo_set_line_width(cr, 0.6 * u);
    for (int t = 0; t <= 100; t += 25) {
        double gx = bx0 + (bx1 - bx0) * t / 100.0;
        chart_rgb(cr, t == 0 ? axis_rgb : grid_rgb);
        cairo_move_to(cr, gx, y);
        cairo_line_to(cr, gx, y + n * rh);
        cairo_stroke(cr);
        snprintf(buf, sizeof buf, "%d%%", t);
        chart_rgb(cr, chart_muted);
        pen_show(p, buf, gx, y + n * rh + 3 * u, 0.5, 0.0);
    }
    for (int i = 0; i < n; i++) {
        const rp_share_bar *s = &bar[i];
        const double *rgb =
            chart_oi[bar[i].colour >= 0 && bar[i].colour < OI_N ? bar[i].colour : OI_BLUE];
        double cy = y + (i + 0.5) * rh, end;

        pen_font(p, 8, PANGO_WEIGHT_BOLD);
        chart_rgb(cr, chart_ink);
        pen_measure(p, bar[i].label, &tw, &th);
        pen_show(p, bar[i].label, x, cy - 0.5 * u, 0.0, 1.0);
        pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
        chart_rgb(cr, chart_muted);
        chart_tick_text(num, sizeof num, (double)s->n, 1);
        snprintf(buf, sizeof buf, "%s %s", num, bar[i].noun ? bar[i].noun : "");
        pen_show(p, buf, x, cy + 0.5 * u, 0.0, 0.0);
        if (s->n <= 0 || s->suppressed || !isfinite(s->pct)) {
            snprintf(buf, sizeof buf, "%s",
                     s->n <= 0 ? "\xE2\x80\x93 nothing to measure"
                               : "\xE2\x80\x93 withheld: too few to show");
            pen_show(p, buf, bx0 + 5 * u, cy, 0.0, 0.5);
            continue;
        }
        end = bx0 + (bx1 - bx0) * fmin(fmax(s->pct, 0), 100) / 100.0;
        chart_rgb(cr, rgb);
        cairo_rectangle(cr, bx0, cy - bh / 2, fmax(end - bx0, 0.8 * u), bh);
        cairo_fill(cr);
        if (isfinite(s->lo) && isfinite(s->hi)) {
            double wl = bx0 + (bx1 - bx0) * s->lo / 100.0, wh = bx0 + (bx1 - bx0) * s->hi / 100.0;
            chart_rgb(cr, chart_ink);
            cairo_set_line_width(cr, 1.0 * u);
            cairo_move_to(cr, wl, cy);
            cairo_line_to(cr, wh, cy);
            cairo_move_to(cr, wl, cy - bh * 0.32);
            cairo_line_to(cr, wl, cy + bh * 0.32);
            cairo_move_to(cr, wh, cy - bh * 0.32);
            cairo_line_to(cr, wh, cy + bh * 0.32);
            cairo_stroke(cr);
            end = fmax(end, wh);
        }
        share_text(buf, sizeof buf, s);
        pen_font(p, 8, PANGO_WEIGHT_BOLD);
        chart_rgb(cr, chart_ink);
        pen_show(p, buf, end + 5 * u, cy, 0.0, 0.5);
    }
    pen_font(p, 8, PANGO_WEIGHT_NORMAL);
}

void rp_chart_share_bars(cairo_t *cr, double x, double y, double w, double h,
                         const rp_share_bar *bar, int n)
{
    pen p;

    pen_open(&p, cr, fmin(w / 500.0, h / (30.0 * (n > 0 ? n : 1) + 12)));
    draw_share_bars(&p, x, y, w, h, bar, n);
    pen_close(&p);
}

/* ---- hours per volunteer ---------------------------------------------------- */

static void draw_hours(pen *p, double x, double y, double w, double h, const rp_people *pp)
{
    cairo_t *cr = p->cr;
    const double u = p->u;
    const rp_volunteers *v = &pp->vol;
    int64_t most = 0, total = 0;
    double tw, th, lh, top, step, px0, px1, py0, py1, slot, name_h = 0;
    char name[RP_VOL_BANDS][48], buf[64], num[32];

    for (int b = 0; b < RP_VOL_BANDS; b++) {
        most = v->hours_band[b] > most ? v->hours_band[b] : most;
        total += v->hours_band[b];
    }
    for (int b = 0; b < RP_VOL_BANDS; b++) {
        char lo[16], hi[16];
        chart_tick_text(lo, sizeof lo, rp_vol_band_lower[b], 1);
        if (b + 1 < RP_VOL_BANDS)
            chart_tick_text(hi, sizeof hi, rp_vol_band_lower[b + 1], 1);
        if (b == 0)
            snprintf(name[b], sizeof name[b], "Under %s h", hi);
        else if (b + 1 == RP_VOL_BANDS)
            snprintf(name[b], sizeof name[b], "%s h or more", lo);
        else
            snprintf(name[b], sizeof name[b], "%s to %s h", lo, hi);
    }
    pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
    pen_measure(p, "0", &tw, &lh);
    step = chart_nice_step(fmax((double)most * 1.15, 4.0), 4);
    if (step < 1)
        step = 1;
    top = ceil(fmax((double)most * 1.15, 1.0) / step - 1e-9) * step;
    chart_tick_text(num, sizeof num, top, step);
    pen_measure(p, num, &tw, &th);
    px0 = x + lh + 6 * u + tw + 6 * u;
    px1 = x + w - 2 * u;
    slot = (px1 - px0) / RP_VOL_BANDS;
    for (int b = 0; b < RP_VOL_BANDS; b++)
        name_h = fmax(name_h, pen_wrapped_height(p, name[b], slot - 2 * u));
    py0 = y + lh;
    py1 = fmax(y + h - name_h - lh - 8 * u, py0 + 20 * u);
    chart_bar_grid(p, px0, px1, py0, py1, top, step, "");
    chart_rgb(cr, chart_muted);
    chart_axis_title(p, "Volunteers", x, (py0 + py1) / 2);
    for (int b = 0; b < RP_VOL_BANDS; b++) {
        double cx = px0 + (b + 0.5) * slot, bw = fmin(slot * 0.66, 40 * u);
        double bh = (py1 - py0) * (double)v->hours_band[b] / top;
        if (v->hours_band[b] > 0) {
            chart_rgb(cr, role_rgb(RP_JR_VOLUNTEER));
            cairo_rectangle(cr, cx - bw / 2, py1 - bh, bw, bh);
            cairo_fill(cr);
        }
        pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
        chart_rgb(cr, chart_ink);
        pen_show_wrapped(p, name[b], cx, py1 + 4 * u, slot - 2 * u);
        if (total == 0)
            continue;
        chart_tick_text(num, sizeof num, (double)v->hours_band[b], 1);
        {
            char pct[16];
            chart_pct_text(pct, sizeof pct, 100.0 * (double)v->hours_band[b] / (double)total);
            snprintf(buf, sizeof buf, "%s (%s)", num, pct);
        }
        pen_measure(p, buf, &tw, &th);
        pen_show(p, tw <= slot ? buf : num, cx, py1 - bh - 1.5 * u, 0.5, 1.0);
    }
    pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
    chart_rgb(cr, chart_muted);
    pen_show(p, "Hours in the last 12 months", (px0 + px1) / 2, py1 + 6 * u + name_h, 0.5, 0.0);
    if (total == 0)
        pen_show(p, "No volunteer in the last 12 months", (px0 + px1) / 2, (py0 + py1) / 2, 0.5,
                 0.5);
    pen_font(p, 8, PANGO_WEIGHT_NORMAL);
}

void rp_chart_volunteer_hours(cairo_t *cr, double x, double y, double w, double h,
                              const rp_people *p)
{
    pen pn;

    pen_open(&pn, cr, fmin(w / 250.0, h / 190.0));
    draw_hours(&pn, x, y, w, h, p);
    pen_close(&pn);
}

/* ---- volunteer cohorts -------------------------------------------------------- */

int rp_chart_volunteer_cohorts(cairo_t *cr, double x, double y, double w, double h,
                               const rp_people *p, int max_years)
{
    const rp_volunteers *v = &p->vol;
    int ny = v->cohort ? v->nyears : 0, nrows;
    char(*text)[16] = rp_xcalloc((size_t)(ny > 0 ? ny : 1), sizeof *text);
    const char **label = rp_xmalloc((size_t)(ny > 0 ? ny : 1) * sizeof *label);
    int *partial = rp_xcalloc((size_t)(ny > 0 ? ny : 1), sizeof *partial);

    for (int i = 0; i < ny; i++) { /* calendar years; the period's is to date */
        snprintf(text[i], sizeof text[i], "%d", v->first_year + i);
        label[i] = text[i];
        partial[i] = i == ny - 1;
    }
    nrows = chart_cohort_heatmap(cr, x, y, w, h, v->cohort, ny, label, partial, max_years,
                                 "First shift", "Volunteers",
                                 "Cohorts need shifts in two calendar years", 190.0);
    free(text);
    free(label);
    free(partial);
    return nrows;
}

/* ---- journeys ------------------------------------------------------------------- */

/* Left to right: service users, volunteers, donors. */
static const char *const node_label[RP_NJR] = {"Service users", "Volunteers", "Donors"};

typedef struct {
    double cx[RP_NJR], top, bot, bw; /* boxes: centres, top and bottom edges, width */
} jr_nodes;

/* Where pair k's arrow leaves and arrives: adjacent moves at a quarter of
 * the box width from its centre, the long ones (service users and donors)
 * nearer the centre so that they arch over the short ones. */
static void arc_ends(const jr_nodes *nd, int from, int to, double *x0, double *x1)
{
    int span = abs(to - from) == 2;
    double off = nd->bw * (span ? 0.08 : 0.3);

    *x0 = nd->cx[from] + (to > from ? off : -off);
    *x1 = nd->cx[to] + (to > from ? -off : off);
    if (span) { /* keep clear of the short arrows' ends */
        *x0 = nd->cx[from] + (to > from ? -off : off);
        *x1 = nd->cx[to] + (to > from ? off : -off);
    }
}

/* "93 (13%)" and "median 252 days" for pair k. */
static void arc_labels(const rp_jr_pair *pr, char *l1, size_t n1, char *l2, size_t n2)
{
    char num[32], pct[16];

    chart_tick_text(num, sizeof num, (double)pr->count, 1);
    if (isfinite(pr->conversion.pct)) {
        chart_pct_text(pct, sizeof pct, pr->conversion.pct);
        snprintf(l1, n1, "%s (%s)", num, pct);
    } else {
        snprintf(l1, n1, "%s", num);
    }
    l2[0] = '\0';
    if (!pr->days.suppressed && pr->days.n > 0 && isfinite(pr->days.median)) {
        chart_tick_text(num, sizeof num, chart_round(pr->days.median), 1);
        snprintf(l2, n2, "median %s %s", num, strcmp(num, "1") == 0 ? "day" : "days");
    }
}

/* The geometry of one tier of arcs (above or below the boxes) for a
 * widest arrow of wmax: the apex heights of the short and long arcs and
 * the room the tier needs, labels included.  A long arc clears the short
 * arcs' labels: at their x it is at about 0.8 of its apex height. */
typedef struct {
    double sw[RP_NJR_PAIRS]; /* stroke widths; 0: no arrow */
    double a_short, a_long, room;
} jr_tier;

static double head_len(double sw, double u)
{
    return fmax(6 * u, sw * 0.7 + 4 * u);
}

static void plan_tier(jr_tier *t, const rp_journeys *j, int up, double wmax, int64_t most,
                      double lab_h, double u)
{
    double short_sw = 0, long_sw = 0, short_head = 0;
    int nshort = 0, nlong = 0;

    memset(t, 0, sizeof *t);
    for (int k = 0; k < RP_NJR_PAIRS; k++) {
        int from = rp_jr_pair_from[k], to = rp_jr_pair_to[k];
        if ((k < 3) != up || j->pair[k].count <= 0)
            continue;
        t->sw[k] = fmax(1.2 * u, wmax * (double)j->pair[k].count / (double)(most > 0 ? most : 1));
        if (abs(to - from) == 2) {
            long_sw = fmax(long_sw, t->sw[k]);
            nlong++;
        } else {
            short_sw = fmax(short_sw, t->sw[k]);
            short_head = fmax(short_head, head_len(t->sw[k], u));
            nshort++;
        }
    }
    t->a_short = fmax(26 * u, short_head + short_sw / 2 + 14 * u);
    if (nshort == 0 && nlong == 0)
        return;
    if (nlong == 0) {
        t->room = t->a_short + short_sw / 2 + 3 * u + lab_h + 2 * u;
        return;
    }
    t->a_long = nshort ? (t->a_short + short_sw / 2 + 3 * u + lab_h + 5 * u + long_sw / 2) / 0.8
                       : fmax(34 * u, head_len(long_sw, u) + long_sw / 2 + 18 * u);
    t->room = t->a_long + long_sw / 2 + 3 * u + lab_h + 2 * u;
}

static void draw_arc(pen *p, const jr_nodes *nd, const rp_jr_pair *pr, int from, int to, int up,
                     double sw, double apex)
{
    cairo_t *cr = p->cr;
    const double u = p->u, dir = up ? -1 : 1, base = up ? nd->top : nd->bot;
    const double *rgb = role_rgb(from);
    double x0, x1, ah = head_len(sw, u), aw = sw / 2 + fmax(3 * u, sw * 0.35), ctrl = apex / 0.75;
    double tw, th, t2 = 0, h2 = 0, lx, ly, bw, bht, by;
    char l1[64], l2[64];

    arc_ends(nd, from, to, &x0, &x1);
    cairo_save(cr);
    cairo_set_source_rgba(cr, rgb[0], rgb[1], rgb[2], 0.78);
    cairo_set_line_width(cr, sw);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_move_to(cr, x0, base);
    cairo_curve_to(cr, x0, base + dir * ctrl, x1, base + dir * ctrl, x1, base + dir * ah * 0.98);
    cairo_stroke(cr);
    /* The head, pointing into the box. */
    cairo_move_to(cr, x1 - aw, base + dir * ah);
    cairo_line_to(cr, x1 + aw, base + dir * ah);
    cairo_line_to(cr, x1, base);
    cairo_close_path(cr);
    cairo_fill(cr);
    cairo_restore(cr);

    /* The labels beyond the apex, on a white patch. */
    arc_labels(pr, l1, sizeof l1, l2, sizeof l2);
    pen_font(p, 8, PANGO_WEIGHT_BOLD);
    pen_measure(p, l1, &tw, &th);
    pen_font(p, 7, PANGO_WEIGHT_NORMAL);
    if (l2[0])
        pen_measure(p, l2, &t2, &h2);
    lx = (x0 + x1) / 2;
    ly = base + dir * (apex + sw / 2 + 3 * u);
    bw = fmax(tw, t2) + 4 * u;
    bht = th + h2;
    by = up ? ly - bht : ly;
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_rectangle(cr, lx - bw / 2, by, bw, bht);
    cairo_fill(cr);
    pen_font(p, 8, PANGO_WEIGHT_BOLD);
    chart_rgb(cr, chart_ink);
    pen_show(p, l1, lx, by, 0.5, 0.0);
    if (l2[0]) {
        pen_font(p, 7, PANGO_WEIGHT_NORMAL);
        chart_rgb(cr, chart_muted);
        pen_show(p, l2, lx, by + th, 0.5, 0.0);
    }
}

static void draw_journeys(pen *p, double x, double y, double w, double h, const rp_people *pp)
{
    cairo_t *cr = p->cr;
    const double u = p->u;
    const rp_journeys *j = &pp->jr;
    int64_t most = 0;
    double tw, th, lh, bh, wmax, lab_h, top;
    char l1[64], num[32];
    jr_tier tier[2]; /* above, below */
    jr_nodes nd;

    for (int k = 0; k < RP_NJR_PAIRS; k++)
        most = j->pair[k].count > most ? j->pair[k].count : most;
    pen_font(p, 8, PANGO_WEIGHT_BOLD);
    pen_measure(p, "0", &tw, &th);
    pen_font(p, 7, PANGO_WEIGHT_NORMAL);
    pen_measure(p, "0", &tw, &lh);
    lab_h = th + lh;
    bh = 2 * lh + 16 * u;
    nd.bw = fmin(w * 0.22, 120 * u);
    nd.cx[0] = x + nd.bw / 2 + 2 * u;
    nd.cx[1] = x + w / 2;
    nd.cx[2] = x + w - nd.bw / 2 - 2 * u;
    /* The widest arrow that lets both tiers fit. */
    for (wmax = 18 * u;; wmax *= 0.9) {
        plan_tier(&tier[0], j, 1, wmax, most, lab_h, u);
        plan_tier(&tier[1], j, 0, wmax, most, lab_h, u);
        if (tier[0].room + bh + tier[1].room <= h || wmax < 2.5 * u)
            break;
    }
    top = y + fmax((h - tier[0].room - bh - tier[1].room) / 2, 0);
    nd.top = top + tier[0].room;
    nd.bot = nd.top + bh;

    /* Short arcs first, so that the long ones pass over their ends. */
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < RP_NJR_PAIRS; k++) {
            int from = rp_jr_pair_from[k], to = rp_jr_pair_to[k], up = k < 3;
            int span = abs(to - from) == 2;
            const jr_tier *t = &tier[up ? 0 : 1];
            if (t->sw[k] <= 0 || span != pass)
                continue;
            draw_arc(p, &nd, &j->pair[k], from, to, up, t->sw[k], span ? t->a_long : t->a_short);
        }

    /* The boxes, over the arrows' ends. */
    for (int r = 0; r < RP_NJR; r++) {
        double bx = nd.cx[r] - nd.bw / 2;
        cairo_set_source_rgb(cr, 0.953, 0.961, 0.973);
        cairo_rectangle(cr, bx, nd.top, nd.bw, bh);
        cairo_fill(cr);
        chart_rgb(cr, role_rgb(r));
        cairo_rectangle(cr, bx, nd.top, 3 * u, bh);
        cairo_fill(cr);
        pen_font(p, 8.5, PANGO_WEIGHT_BOLD);
        chart_rgb(cr, chart_ink);
        pen_show(p, node_label[r], nd.cx[r] + 1.5 * u, nd.top + bh / 2 - 0.5 * u, 0.5, 1.0);
        chart_tick_text(num, sizeof num, (double)j->started[r], 1);
        snprintf(l1, sizeof l1, "%s %s", num, j->started[r] == 1 ? "person" : "people");
        pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
        chart_rgb(cr, chart_muted);
        pen_show(p, l1, nd.cx[r] + 1.5 * u, nd.top + bh / 2 + 1 * u, 0.5, 0.0);
    }
    if (most == 0) {
        pen_font(p, 8, PANGO_WEIGHT_NORMAL);
        chart_rgb(cr, chart_muted);
        pen_show(p, "No one has moved from one role to another yet", x + w / 2, nd.top - 2 * lh,
                 0.5, 1.0);
    }
    pen_font(p, 8, PANGO_WEIGHT_NORMAL);
}

void rp_chart_journeys(cairo_t *cr, double x, double y, double w, double h, const rp_people *p)
{
    pen pn;

    pen_open(&pn, cr, fmin(w / 500.0, h / 230.0));
    draw_journeys(&pn, x, y, w, h, p);
    pen_close(&pn);
}
