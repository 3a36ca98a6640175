/* accept.c - accept lines against a check report (see accept.h). */
#include "accept.h"

#include <string.h>

uint32_t ps_accept_viewer(const ps_model *m, const ps_accept *a)
{
    if (a->viewer_kind == PS_VIEWER_INTERNET)
        return ps_viewer_internet(m);
    if (a->viewer_kind == PS_VIEWER_APP)
        return ps_viewer_app(m, a->viewer);
    return a->viewer;
}

uint32_t ps_accept_match(const ps_model *m, const ps_report *r, uint32_t *accept_of, bool *used)
{
    uint32_t n = 0;
    if (m->naccepts)
        memset(used, 0, m->naccepts * sizeof *used);
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        accept_of[i] = PS_NONE;
        for (uint32_t k = 0; k < m->naccepts; k++)
            if (m->accepts[k].item == x->item && ps_accept_viewer(m, &m->accepts[k]) == x->viewer) {
                accept_of[i] = k;
                used[k] = true;
                n++;
                break;
            }
    }
    return n;
}
