/* charts.c - every chart by name, and the chart files (PNG, PNG @2x, SVG).
 *
 * The registry adapts each chart function of src/render to one signature,
 * so that report definitions, the board deck and the chart files can name
 * any chart.  A chart file is a 16:9 picture for slides: the title, a line
 * of explanation, the chart, and a source line, drawn once on a canvas of
 * 960 x 540 units and scaled to the pixels of each file.
 */
#include "rapport/report.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "rapport/giving.h"
#include "rapport/out.h"
#include "rapport/people.h"
#include "rapport/risk.h"
#include "rapport/scores.h"

#include "chart_kit.h"

/* ---- adapters ------------------------------------------------------------ */

static int resp_any(const rp_results *res)
{
    for (int m = 0; m < RP_MONTHS; m++)
        if (res->resp.cell[m][RP_CH_ALL].threads > 0)
            return 1;
    return 0;
}

static int resp_period(const rp_results *res)
{
    return res->resp.cell[RP_MONTHS - 1][RP_CH_ALL].threads > 0 ||
           res->resp.cell[0][RP_CH_ALL].threads > 0;
}

static int has_giving(const rp_results *res)
{
    return res->giving && res->giving->nyears > 0;
}

static int has_models(const rp_results *res)
{
    return res->models != NULL;
}

static int has_people(const rp_results *res)
{
    return res->people != NULL;
}

static int has_risk(const rp_results *res)
{
    return res->risk != NULL;
}

static void draw_retention(cairo_t *cr, double x, double y, double w, double h,
                           const rp_results *res)
{
    rp_chart_retention_trend(cr, x, y, w, h, res->giving);
}

static void draw_cohorts(cairo_t *cr, double x, double y, double w, double h, const rp_results *res)
{
    rp_chart_cohorts(cr, x, y, w, h, res->giving, 8);
}

static void draw_waterfall(cairo_t *cr, double x, double y, double w, double h,
                           const rp_results *res)
{
    rp_chart_waterfall(cr, x, y, w, h, res->giving, -1);
}

static void draw_palive(cairo_t *cr, double x, double y, double w, double h, const rp_results *res)
{
    rp_chart_palive(cr, x, y, w, h, res->models);
}

static void draw_survival(cairo_t *cr, double x, double y, double w, double h,
                          const rp_results *res)
{
    static const char *const label[RP_NSURV] = {"Donors", "Volunteers", "Service users"};
    const rp_km *km[RP_NSURV];

    for (int r = 0; r < RP_NSURV; r++)
        km[r] = res->models->survival[r].km;
    rp_chart_km(cr, x, y, w, h, km, label, RP_NSURV);
}

static void draw_satisfaction(cairo_t *cr, double x, double y, double w, double h,
                              const rp_results *res)
{
    rp_chart_satisfaction_trend(cr, x, y, w, h, res->people, &res->window);
}

static void draw_volunteers(cairo_t *cr, double x, double y, double w, double h,
                            const rp_results *res)
{
    rp_chart_volunteer_trend(cr, x, y, w, h, res->people, &res->window);
}

static void draw_volunteer_hours(cairo_t *cr, double x, double y, double w, double h,
                                 const rp_results *res)
{
    rp_chart_volunteer_hours(cr, x, y, w, h, res->people);
}

static void draw_volunteer_cohorts(cairo_t *cr, double x, double y, double w, double h,
                                   const rp_results *res)
{
    rp_chart_volunteer_cohorts(cr, x, y, w, h, res->people, 6);
}

static void draw_service_users(cairo_t *cr, double x, double y, double w, double h,
                               const rp_results *res)
{
    rp_chart_service_user_trend(cr, x, y, w, h, res->people, &res->window);
}

static void draw_journeys(cairo_t *cr, double x, double y, double w, double h,
                          const rp_results *res)
{
    rp_chart_journeys(cr, x, y, w, h, res->people);
}

static void draw_reasons(cairo_t *cr, double x, double y, double w, double h, const rp_results *res)
{
    rp_chart_risk_reasons(cr, x, y, w, h, res->risk);
}

static const rp_chart_def charts[] = {
    {"first_response_trend", "First response time, last 13 months",
     "Median hours from first inbound message to first reply, by month of first contact", 2.2,
     rp_chart_first_response, resp_any},
    {"sla_bars", "Answered within the SLA, a year apart",
     "Share of threads answered within their channel's SLA: this month against the same month "
     "last year",
     2.6, rp_chart_sla_bars, resp_period},
    {"first_response_histogram", "How long first responses took",
     "Threads of the month answered by its end, by time to first response", 2.6,
     rp_chart_fr_histogram, resp_period},
    {"retention_trend", "Donor retention by fiscal year",
     "Share of last year's donors who gave again: all, new and repeat donors", 1.5, draw_retention,
     has_giving},
    {"donor_cohorts", "Donor cohorts",
     "Share of each year's new donors who gave in each later fiscal year", 1.5, draw_cohorts,
     has_giving},
    {"gain_loss", "Gains and losses, last 12 months",
     "Giving of the 12 months before against the 12 months to the end of the month", 2.5,
     draw_waterfall, has_giving},
    {"p_alive", "Donors by P(alive)", "Donors by the modelled probability that they still give",
     1.4, draw_palive, has_models},
    {"time_to_lapse", "Time to lapse",
     "Share still active by months since their first activity (Kaplan\xE2\x80\x93Meier), with "
     "95% intervals",
     1.6, draw_survival, has_models},
    {"satisfaction_trend", "Satisfaction, last 13 months",
     "CSAT (share of ratings 4 or 5) and NPS by month, with 95% intervals", 2.0, draw_satisfaction,
     has_people},
    {"volunteer_trend", "Active volunteers and their hours, last 13 months",
     "Volunteers with a shift in the month, new and returning; hours of their shifts", 2.2,
     draw_volunteers, has_people},
    {"volunteer_hours", "Hours per volunteer",
     "Volunteers of the last 12 months by their hours in them", 1.3, draw_volunteer_hours,
     has_people},
    {"volunteer_cohorts", "Volunteer cohorts",
     "Share of each year's new volunteers with a shift in each later year", 1.3,
     draw_volunteer_cohorts, has_people},
    {"service_user_trend", "Service users, last 13 months",
     "People with a visit in the month, new and returning", 2.9, draw_service_users, has_people},
    {"journeys", "Journeys between roles",
     "People who moved from one role to another, with the median days between", 2.2, draw_journeys,
     has_people},
    {"risk_reasons", "Why relationships were flagged as at risk",
     "Flags by reason and role; a flag counts under each of its reasons", 2.0, draw_reasons,
     has_risk},
};

#define NCHARTS ((int)(sizeof charts / sizeof charts[0]))

const rp_chart_def *rp_chart_list(int *n)
{
    *n = NCHARTS;
    return charts;
}

const rp_chart_def *rp_chart_find(const char *name)
{
    for (int i = 0; name && i < NCHARTS; i++)
        if (strcmp(charts[i].name, name) == 0)
            return &charts[i];
    return NULL;
}

/* ---- chart files ------------------------------------------------------- */

#define CANVAS_W 960.0
#define CANVAS_H 540.0
#define EDGE     40.0

static double text_at(cairo_t *cr, const char *s, double size, PangoWeight weight,
                      const double rgb[3], double x, double y, double w)
{
    PangoLayout *lo = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_new();
    int pw, ph;

    pango_font_description_set_family(fd, FONT_FAMILY);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, weight);
    pango_layout_set_font_description(lo, fd);
    pango_layout_set_width(lo, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(lo, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(lo, s, -1);
    pango_layout_get_size(lo, &pw, &ph);
    chart_rgb(cr, rgb);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, lo);
    pango_font_description_free(fd);
    g_object_unref(lo);
    return (double)ph / PANGO_SCALE;
}

/* The picture on the 960 x 540 canvas. */
static void picture(cairo_t *cr, const rp_chart_def *c, const char *title, const rp_results *res)
{
    char source[320], period[40];
    double y;

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    y = EDGE * 0.8;
    y += text_at(cr, title, 24, PANGO_WEIGHT_BOLD, chart_ink, EDGE, y, CANVAS_W - 2 * EDGE) + 4;
    y += text_at(cr, c->sub, 14, PANGO_WEIGHT_NORMAL, chart_muted, EDGE, y, CANVAS_W - 2 * EDGE) +
         14;
    rp_period_label(period, sizeof period, res->window.period);
    if (res->run_id > 0)
        snprintf(source, sizeof source, "%s%s%s \xC2\xB7 rapport run %" PRId64, res->organisation,
                 res->organisation[0] ? " \xC2\xB7 " : "", period, res->run_id);
    else
        snprintf(source, sizeof source, "%s%s%s \xC2\xB7 rapport", res->organisation,
                 res->organisation[0] ? " \xC2\xB7 " : "", period);
    text_at(cr, source, 11, PANGO_WEIGHT_NORMAL, chart_muted, EDGE, CANVAS_H - EDGE * 0.5 - 11,
            CANVAS_W - 2 * EDGE);
    c->draw(cr, EDGE * 0.75, y, CANVAS_W - 1.5 * EDGE, CANVAS_H - y - EDGE * 0.5 - 22, res);
}

/* One file: scale 0 is the SVG, else a PNG of CANVAS_W * scale pixels. */
static int one_file(const char *path, const rp_chart_def *c, const char *title,
                    const rp_results *res, double scale)
{
    rp_canvas cv;

    if (rp_canvas_open(&cv, scale > 0 ? RP_CANVAS_PNG : RP_CANVAS_SVG, path, 0644,
                       scale > 0 ? CANVAS_W * scale : CANVAS_W,
                       scale > 0 ? CANVAS_H * scale : CANVAS_H) != 0)
        return -1;
    if (scale > 0)
        cairo_scale(cv.cr, scale, scale);
    picture(cv.cr, c, title, res);
    return rp_canvas_close(&cv);
}

int rp_chart_export(const char *dir, const rp_chart_def *c, const char *title,
                    const rp_results *res, rp_buf *list)
{
    static const struct {
        const char *suffix;
        double scale;
    } file[3] = {{".png", 2.0}, {"@2x.png", 4.0}, {".svg", 0}};
    char path[1400];

    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s%s", dir, c->name, file[i].suffix);
        if (one_file(path, c, title ? title : c->title, res, file[i].scale) != 0)
            return -1;
        if (list)
            rp_buf_printf(list, "%s\n", path);
    }
    return 0;
}
