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
    rp_threads *t = &ds->threads;
    free(t->id), free(t->stakeholder), free(t->channel), free(t->kind);
    free(t->opened_at), free(t->resolved_at), rp_idmap_free(&t->map);
    rp_interactions *in = &ds->interactions;
    free(in->thread), free(in->staff), free(in->at), free(in->inbound);
    rp_gifts *g = &ds->gifts;
    free(g->id), free(g->stakeholder), free(g->cents), free(g->received_at);
    free(g->acknowledged_at), free(g->kind);
    rp_events *ev[2] = {&ds->shifts, &ds->visits};
    for (int i = 0; i < 2; i++)
        free(ev[i]->stakeholder), free(ev[i]->at), free(ev[i]->centihours), free(ev[i]->program);
    rp_surveys *sv = &ds->surveys;
    free(sv->stakeholder), free(sv->thread), free(sv->sent_at), free(sv->answered_at);
    free(sv->csat), free(sv->nps);
    rp_buf_free(&ds->strings);
    memset(ds, 0, sizeof *ds);
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
