/* split.c - a second account for one circle of a person's friends (see split.h). */
#include "split.h"

#include "person.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* True when u is in another list of `ego` than `skip`. */
static bool in_other_list(const ps_model *m, uint32_t ego, uint32_t skip, uint32_t u)
{
    for (uint32_t i = 0; i < m->nlists; i++)
        if (i != skip && m->lists[i].owner == ego && ps_list_has(&m->lists[i], u))
            return true;
    return false;
}

/* u's friend `ego` is now `alt` to u: in u's own lists, alt takes ego's place. */
static void retarget_lists(ps_model *m, uint32_t u, uint32_t ego, uint32_t alt)
{
    for (uint32_t i = 0; i < m->nlists; i++) {
        ps_list *l = &m->lists[i];
        if (l->owner != u || !ps_list_has(l, ego))
            continue;
        bool has_alt = ps_list_has(l, alt);
        uint32_t w = 0;
        for (uint32_t k = 0; k < l->nmembers; k++)
            if (l->members[k] != ego)
                l->members[w++] = l->members[k];
            else if (!has_alt)
                l->members[w++] = alt;
        l->nmembers = w;
    }
}

int ps_split_account(ps_model *m, uint32_t ego, const char *circle, ps_split_stats *st)
{
    ps_split_stats s = {0, 0, 0};
    uint32_t li = PS_NONE;
    bool largest = !circle || strcmp(circle, "largest") == 0;
    for (uint32_t i = 0; i < m->nlists; i++) {
        if (m->lists[i].owner != ego)
            continue;
        if (largest ? li == PS_NONE || m->lists[i].nmembers > m->lists[li].nmembers
                    : strcmp(m->lists[i].name, circle) == 0)
            li = i;
    }
    if (li == PS_NONE)
        return 1;
    char name[512];
    int n = snprintf(name, sizeof name, "%s-alt", m->users[ego].name);
    if (n < 0 || (size_t)n >= sizeof name)
        return -1;
    uint32_t alt = ps_model_add_user(m, name, (size_t)n, NULL);
    if (alt == PS_NONE)
        return -1;
    ps_list *l = &m->lists[li];
    for (uint32_t k = 0; k < l->nmembers; k++) {
        uint32_t u = l->members[k];
        if (ps_model_add_friendship(m, alt, u))
            return -1;
        if (in_other_list(m, ego, li, u)) {
            s.both++;
        } else {
            ps_model_remove_friendship(m, ego, u);
            retarget_lists(m, u, ego, alt);
            s.moved++;
        }
    }
    l->nmembers = 0;
    uint32_t acc[2] = { ego, alt };
    uint32_t p = ps_person_add(m, m->users[ego].name, strlen(m->users[ego].name), acc, 2);
    if (p == PS_NONE || ps_terms_push(&m->persons->v[p].forbid, PS_TERM_FRIENDS, PS_NONE))
        return -1;
    ps_model_friends(m, ego, &s.remaining);
    if (st)
        *st = s;
    return 0;
}
