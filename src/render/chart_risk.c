/* chart_risk.c - the at-risk chart (cairo + Pango): flags by reason and
 * role as horizontal stacked bars, and the plain-words names of the
 * reasons the report uses. */
#include "rapport/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rapport/risk.h"

#include "chart_kit.h"

static const double grid_rgb[3] = {0.88, 0.89, 0.91}, axis_rgb[3] = {0.55, 0.58, 0.62};

const char *rp_risk_reason_label(int code)
{
    static const char *const label[RP_RISK_NCODES] = {
        [RP_RISK_LAPSING] = "Lapsing",
        [RP_RISK_LYBUNT] = "Gave last year, not yet this year",
        [RP_RISK_DECLINING] = "Declining",
        [RP_RISK_UNTHANKED] = "Gift not yet thanked",
        [RP_RISK_UNANSWERED] = "Message unanswered",
        [RP_RISK_SLOW_REPLIES] = "Slow replies",
        [RP_RISK_OPEN_COMPLAINT] = "Complaint open",
        [RP_RISK_DETRACTOR] = "Detractor",
        [RP_RISK_NO_RESPONSE_TO_SURVEYS] = "No survey answers",
        [RP_RISK_OVER_CONTACTED] = "Over-contacted",
        [RP_RISK_NOT_CONTACTED] = "Not contacted",
        [RP_RISK_VOLUNTEER_FADING] = "Volunteer fading",
        [RP_RISK_VOLUNTEER_INACTIVE] = "Volunteer inactive",
        [RP_RISK_SERVICE_DISENGAGED] = "Stopped visiting",
    };

    return code >= 0 && code < RP_RISK_NCODES ? label[code] : NULL;
}

/* Roles in the colours of the other people charts: donors blue,
 * volunteers orange, service users bluish green. */
static const double *role_rgb(int role)
{
    return role == RP_RISK_DONOR       ? chart_oi[OI_BLUE]
           : role == RP_RISK_VOLUNTEER ? chart_oi[OI_ORANGE]
                                       : chart_oi[OI_GREEN];
}

static const char *const role_label[RP_RISK_NROLES] = {"Donors", "Volunteers", "Service users"};

static int64_t reason_total(const rp_risk *r, int code)
{
    int64_t n = 0;

    for (int role = 0; role < RP_RISK_NROLES; role++)
        n += r->by_reason[role][code] > 0 ? r->by_reason[role][code] : 0;
    return n;
}

/* The reasons with flags, most flags first (ties in code order). */
static int sorted_reasons(const rp_risk *r, int *out)
{
    int n = 0;

    for (int c = 0; c < RP_RISK_NCODES; c++)
        if (reason_total(r, c) > 0)
            out[n++] = c;
    for (int i = 1; i < n; i++) /* insertion sort: stable, 14 codes at most */
        for (int j = i; j > 0 && reason_total(r, out[j - 1]) < reason_total(r, out[j]); j--) {
            int tmp = out[j];
            out[j] = out[j - 1];
            out[j - 1] = tmp;
        }
    return n;
}

int rp_chart_risk_reasons_rows(const struct rp_risk *r)
{
    int code[RP_RISK_NCODES];

    return r ? sorted_reasons(r, code) : 0;
}

static void draw_reasons(pen *p, double x, double y, double w, double h, const rp_risk *r)
{
    cairo_t *cr = p->cr;
    const double u = p->u;
    int code[RP_RISK_NCODES], n = r ? sorted_reasons(r, code) : 0, nlegend = 0;
    const char *legend[RP_RISK_NROLES];
    const double *legend_rgb[RP_RISK_NROLES];
    double left = 0, right, tw, th, lh, legend_h, px0, px1, py0, py1, rh, bh, top, step;
    int64_t most = 0;
    char num[48];

    pen_font(p, 8, PANGO_WEIGHT_NORMAL);
    if (n == 0) {
        chart_rgb(cr, chart_muted);
        pen_show_wrapped(p, "No one is flagged: no reason to show.", x + w / 2, y + h / 2 - 6 * u,
                         w - 8 * u);
        return;
    }
    for (int role = 0; role < RP_RISK_NROLES; role++)
        if (r->flagged[role] > 0) {
            legend[nlegend] = role_label[role];
            legend_rgb[nlegend++] = role_rgb(role);
        }
    legend_h = chart_swatch_legend(p, x, x + w, y, nlegend, legend, legend_rgb, 0);

    for (int i = 0; i < n; i++) {
        pen_measure(p, rp_risk_reason_label(code[i]), &tw, &th);
        left = fmax(left, tw);
        most = reason_total(r, code[i]) > most ? reason_total(r, code[i]) : most;
    }
    left = fmin(left, w * 0.4);
    step = chart_nice_step(fmax((double)most, 4.0), 5);
    if (step < 1)
        step = 1;
    top = ceil((double)most / step - 1e-9) * step;
    pen_font(p, 8, PANGO_WEIGHT_BOLD);
    chart_tick_text(num, sizeof num, (double)most, 1);
    pen_measure(p, num, &right, &th);
    pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
    pen_measure(p, "0", &tw, &lh);
    px0 = x + left + 10 * u;
    px1 = x + w - right - 8 * u;
    py0 = y + legend_h + 6 * u;
    py1 = y + h - lh - 4 * u - lh - 2 * u; /* tick labels, then the axis title */
    if (px1 <= px0 + 20 * u || py1 <= py0 + 4 * u * n)
        return; /* no room: draw nothing rather than overflow */
    pen_font(p, 8, PANGO_WEIGHT_NORMAL);
    chart_swatch_legend(p, x, x + w, y, nlegend, legend, legend_rgb, 1);
    pen_font(p, 7.5, PANGO_WEIGHT_NORMAL);
    rh = (py1 - py0) / n;
    bh = fmin(rh * 0.66, 14 * u);

    /* Vertical gridlines with their counts under the bars. */
    cairo_set_line_width(cr, 0.6 * u);
    for (int t = 0; t * step <= top + 1e-9; t++) {
        double gx = px0 + (px1 - px0) * (t * step) / top;
        chart_rgb(cr, t == 0 ? axis_rgb : grid_rgb);
        cairo_move_to(cr, gx, py0);
        cairo_line_to(cr, gx, py1);
        cairo_stroke(cr);
        chart_tick_text(num, sizeof num, t * step, step);
        chart_rgb(cr, chart_muted);
        pen_show(p, num, gx, py1 + 3 * u, 0.5, 0.0);
    }
    pen_show(p, "Flags with the reason", (px0 + px1) / 2, py1 + 5 * u + lh, 0.5, 0.0);

    for (int i = 0; i < n; i++) {
        double cy = py0 + (i + 0.5) * rh, bx = px0;

        pen_font(p, 8, PANGO_WEIGHT_NORMAL);
        chart_rgb(cr, chart_ink);
        pango_layout_set_width(p->lo, (int)(left * PANGO_SCALE));
        pango_layout_set_ellipsize(p->lo, PANGO_ELLIPSIZE_END);
        pen_show(p, rp_risk_reason_label(code[i]), x, cy, 0.0, 0.5);
        pango_layout_set_ellipsize(p->lo, PANGO_ELLIPSIZE_NONE);
        pango_layout_set_width(p->lo, -1);
        for (int role = 0; role < RP_RISK_NROLES; role++) {
            int64_t k = r->by_reason[role][code[i]];
            double bw = k > 0 ? (px1 - px0) * (double)k / top : 0;
            if (bw <= 0)
                continue;
            chart_rgb(cr, role_rgb(role));
            cairo_rectangle(cr, bx, cy - bh / 2, bw, bh);
            cairo_fill(cr);
            /* The role's count inside its segment when it fits. */
            pen_font(p, 7, PANGO_WEIGHT_NORMAL);
            chart_tick_text(num, sizeof num, (double)k, 1);
            pen_measure(p, num, &tw, &th);
            if (tw + 4 * u <= bw && th <= bh + 2 * u) {
                if (role == RP_RISK_VOLUNTEER)
                    chart_rgb(cr, chart_oi[OI_BLACK]);
                else
                    cairo_set_source_rgb(cr, 1, 1, 1);
                pen_show(p, num, bx + bw / 2, cy, 0.5, 0.5);
            }
            bx += bw;
        }
        pen_font(p, 8, PANGO_WEIGHT_BOLD);
        chart_rgb(cr, chart_ink);
        chart_tick_text(num, sizeof num, (double)reason_total(r, code[i]), 1);
        pen_show(p, num, bx + 4 * u, cy, 0.0, 0.5);
    }
    pen_font(p, 8, PANGO_WEIGHT_NORMAL);
}

void rp_chart_risk_reasons(cairo_t *cr, double x, double y, double w, double h,
                           const struct rp_risk *r)
{
    pen p;
    int n = rp_chart_risk_reasons_rows(r);

    pen_open(&p, cr, fmin(w / 500.0, h / (40.0 + 18.0 * (n > 0 ? n : 4))));
    draw_reasons(&p, x, y, w, h, r);
    pen_close(&p);
}
