/* state_model.c - the model of a scenario in any state of its timeline (see state_model.h). */
#include "state_model.h"

#include "engine.h"

#include <stdlib.h>

/* States whose models are kept. */
#define KEPT 16

struct ps_state_model {
    const ps_model *m;     /* the scenario (borrowed) */
    ps_engine *e;          /* the replay, at its position */
    struct {
        uint32_t t;
        ps_model *m;       /* owned */
    } kept[KEPT];
    uint32_t nkept;
};

ps_state_model *ps_state_model_new(const ps_model *m)
{
    ps_state_model *s = calloc(1, sizeof *s);
    if (s)
        s->m = m;
    return s;
}

void ps_state_model_free(ps_state_model *s)
{
    if (!s)
        return;
    ps_engine_free(s->e);
    for (uint32_t i = 0; i < s->nkept; i++)
        ps_model_free(s->kept[i].m);
    free(s);
}

const ps_model *ps_state_model_at(ps_state_model *s, uint32_t t)
{
    if (t > s->m->nsteps)
        t = s->m->nsteps;
    if (!t)
        return s->m;
    for (uint32_t i = 0; i < s->nkept; i++)
        if (s->kept[i].t == t)
            return s->kept[i].m;
    if (s->e && ps_engine_position(s->e) > t) {
        ps_engine_free(s->e);
        s->e = NULL;
    }
    if (!s->e && !(s->e = ps_engine_new(s->m)))
        return s->m;
    while (ps_engine_position(s->e) < t) {
        int k = ps_engine_step(s->e, NULL);
        if (k < 0) {
            ps_engine_free(s->e);
            s->e = NULL;
            return s->m;
        }
        if (k == 0)
            break;
    }
    ps_model *em = ps_engine_model(s->e);
    if (s->nkept < KEPT) {
        ps_model *copy = ps_model_clone(em);
        if (copy) {
            s->kept[s->nkept].t = t;
            s->kept[s->nkept++].m = copy;
            return copy;
        }
    }
    return em;
}
