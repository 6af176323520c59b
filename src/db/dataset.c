/* dataset.c - ownership of the rows handed from read to compute. */
#include "rapport/dataset.h"

#include <stdlib.h>
#include <string.h>

void rp_dataset_init(rp_dataset *ds)
{
    memset(ds, 0, sizeof *ds);
    rp_buf_append(&ds->strings, "", 1); /* offset 0 is the empty string */
}

void rp_dataset_free(rp_dataset *ds)
{
    rp_stakeholders *s = &ds->stakeholders;
    free(s->id), free(s->name), free(s->roles), free(s->household), rp_idmap_free(&s->map);
    free(s->email), free(s->phone);
    rp_staff_table *st = &ds->staff;
    free(st->id), free(st->name), free(st->team), rp_idmap_free(&st->map);
    rp_dataset_drop(ds, RP_DS_THREADS | RP_DS_INTERACTIONS | RP_DS_GIFTS | RP_DS_SHIFTS |
                            RP_DS_VISITS | RP_DS_SURVEYS);
    rp_buf_free(&ds->strings);
    memset(ds, 0, sizeof *ds);
}

void rp_dataset_drop(rp_dataset *ds, unsigned mask)
{
    if (mask & RP_DS_THREADS) {
        rp_threads *t = &ds->threads;
        free(t->id), free(t->stakeholder), free(t->channel), free(t->kind);
        free(t->opened_at), free(t->resolved_at), rp_idmap_free(&t->map);
        memset(t, 0, sizeof *t);
    }
    if (mask & RP_DS_INTERACTIONS) {
        rp_interactions *in = &ds->interactions;
        free(in->thread), free(in->staff), free(in->at), free(in->inbound);
        memset(in, 0, sizeof *in);
    }
    if (mask & RP_DS_GIFTS) {
        rp_gifts *g = &ds->gifts;
        free(g->id), free(g->stakeholder), free(g->cents), free(g->received_at);
        free(g->acknowledged_at), free(g->kind);
        memset(g, 0, sizeof *g);
    }
    rp_events *ev[2] = {&ds->shifts, &ds->visits};
    for (int i = 0; i < 2; i++)
        if (mask & (i ? RP_DS_VISITS : RP_DS_SHIFTS)) {
            free(ev[i]->stakeholder), free(ev[i]->at), free(ev[i]->centihours);
            free(ev[i]->program);
            memset(ev[i], 0, sizeof *ev[i]);
        }
    if (mask & RP_DS_SURVEYS) {
        rp_surveys *sv = &ds->surveys;
        free(sv->stakeholder), free(sv->thread), free(sv->sent_at), free(sv->answered_at);
        free(sv->csat), free(sv->nps);
        memset(sv, 0, sizeof *sv);
    }
}

const char *rp_dataset_str(const rp_dataset *ds, uint32_t off)
{
    return ds->strings.s + off;
}

rp_time rp_dataset_earliest(const rp_dataset *ds, rp_time bound)
{
    rp_time t = bound;
    for (size_t i = 0; i < ds->threads.n; i++)
        if (ds->threads.opened_at[i] < t)
            t = ds->threads.opened_at[i];
    for (size_t i = 0; i < ds->interactions.n; i++)
        if (ds->interactions.at[i] < t)
            t = ds->interactions.at[i];
    return t;
}
