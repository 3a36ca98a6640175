/* person.c - persons with several accounts, identifying field values, link rules (see
 * person.h). */
#include "person.h"

#include <stdlib.h>
#include <string.h>

ps_persons *ps_persons_get(ps_model *m)
{
    if (!m->persons)
        m->persons = calloc(1, sizeof *m->persons);
    return m->persons;
}

void ps_persons_free(ps_persons *p)
{
    if (!p)
        return;
    for (uint32_t i = 0; i < p->n; i++) {
        free(p->v[i].name);
        free(p->v[i].accounts);
        ps_terms_free(&p->v[i].forbid);
    }
    free(p->v);
    for (uint32_t i = 0; i < p->nvalues; i++)
        free(p->values[i].value);
    free(p->values);
    free(p->person_of);
    free(p);
}

ps_persons *ps_persons_clone(const ps_persons *p, bool *ok)
{
    if (!p)
        return NULL;
    ps_persons *c = calloc(1, sizeof *c);
    if (!c) {
        *ok = false;
        return NULL;
    }
    *c = *p;
    c->v = NULL;
    c->values = NULL;
    c->person_of = NULL;
    c->n = c->cap = c->nvalues = c->capvalues = c->nperson_of = 0;
    if (p->nperson_of) {
        c->person_of = malloc((size_t)p->nperson_of * sizeof *c->person_of);
        if (!c->person_of) {
            ps_persons_free(c);
            *ok = false;
            return NULL;
        }
        memcpy(c->person_of, p->person_of, (size_t)p->nperson_of * sizeof *c->person_of);
        c->nperson_of = p->nperson_of;
    }
    if ((p->n && !(c->v = calloc(p->n, sizeof *c->v))) ||
        (p->nvalues && !(c->values = calloc(p->nvalues, sizeof *c->values)))) {
        ps_persons_free(c);
        *ok = false;
        return NULL;
    }
    c->cap = p->n;
    c->capvalues = p->nvalues;
    for (uint32_t i = 0; i < p->n; i++, c->n++) {
        const ps_person *s = &p->v[i];
        ps_person *d = &c->v[i];
        *d = *s;
        d->name = strdup(s->name);
        d->accounts = malloc((size_t)s->naccounts * sizeof *d->accounts);
        memset(&d->forbid, 0, sizeof d->forbid);
        if (!d->name || !d->accounts || ps_terms_copy(&d->forbid, &s->forbid)) {
            c->n++;
            ps_persons_free(c);
            *ok = false;
            return NULL;
        }
        memcpy(d->accounts, s->accounts, (size_t)s->naccounts * sizeof *d->accounts);
    }
    for (uint32_t i = 0; i < p->nvalues; i++, c->nvalues++) {
        c->values[i].item = p->values[i].item;
        c->values[i].value = strdup(p->values[i].value);
        if (!c->values[i].value) {
            ps_persons_free(c);
            *ok = false;
            return NULL;
        }
    }
    return c;
}

bool ps_persons_equal(const ps_model *a, const ps_model *b, const uint32_t *users,
                      const uint32_t *items)
{
    const ps_persons *x = a->persons, *y = b->persons;
    uint32_t nx = x ? x->n : 0, ny = y ? y->n : 0;
    uint32_t vx = x ? x->nvalues : 0, vy = y ? y->nvalues : 0;
    if (nx != ny || vx != vy)
        return false;
    ps_link_rules rx = ps_link_rules_of(a), ry = ps_link_rules_of(b);
    if (rx.mutual_friends != ry.mutual_friends || rx.contacts != ry.contacts)
        return false;
    for (uint32_t i = 0; i < nx; i++) {
        const ps_person *p = &x->v[i];
        uint32_t j = ps_person_find(b, p->name, strlen(p->name));
        if (j == PS_NONE)
            return false;
        const ps_person *q = &y->v[j];
        if (p->naccounts != q->naccounts || p->same != q->same)
            return false;
        for (uint32_t k = 0; k < p->naccounts; k++)
            if (users[p->accounts[k]] != q->accounts[k])
                return false;
        char ta[1024], tb[1024];
        if (strcmp(ps_terms_text(a, &p->forbid, ta, sizeof ta),
                   ps_terms_text(b, &q->forbid, tb, sizeof tb)) != 0)
            return false;
    }
    for (uint32_t i = 0; i < vx; i++) {
        const char *w = ps_field_value(b, items[x->values[i].item]);
        if (!w || strcmp(w, x->values[i].value) != 0)
            return false;
    }
    return true;
}

uint32_t ps_person_add(ps_model *m, const char *name, size_t len, const uint32_t *accounts,
                       uint32_t n)
{
    ps_persons *p = ps_persons_get(m);
    if (!p || ps_grow((void **)&p->v, &p->cap, p->n + 1, sizeof *p->v))
        return PS_NONE;
    ps_person *x = &p->v[p->n];
    memset(x, 0, sizeof *x);
    x->name = strndup(name, len);
    x->accounts = malloc((size_t)(n ? n : 1) * sizeof *x->accounts);
    if (!x->name || !x->accounts) {
        free(x->name);
        free(x->accounts);
        return PS_NONE;
    }
    memcpy(x->accounts, accounts, (size_t)n * sizeof *accounts);
    x->naccounts = n;
    /* the map from users to persons, grown to cover every account */
    uint32_t need = 0;
    for (uint32_t k = 0; k < n; k++)
        if (accounts[k] + 1 > need)
            need = accounts[k] + 1;
    if (need > p->nperson_of) {
        uint32_t *v = realloc(p->person_of, (size_t)need * sizeof *v);
        if (!v) {
            free(x->name);
            free(x->accounts);
            return PS_NONE;
        }
        memset(v + p->nperson_of, 0, (size_t)(need - p->nperson_of) * sizeof *v);
        p->person_of = v;
        p->nperson_of = need;
    }
    for (uint32_t k = 0; k < n; k++)
        if (!p->person_of[accounts[k]])
            p->person_of[accounts[k]] = p->n + 1;
    return p->n++;
}

uint32_t ps_person_find(const ps_model *m, const char *name, size_t len)
{
    const ps_persons *p = m->persons;
    for (uint32_t i = 0; p && i < p->n; i++)
        if (strlen(p->v[i].name) == len && memcmp(p->v[i].name, name, len) == 0)
            return i;
    return PS_NONE;
}

uint32_t ps_person_of(const ps_model *m, uint32_t u)
{
    const ps_persons *p = m->persons;
    if (!p || u >= p->nperson_of || !p->person_of[u])
        return PS_NONE;
    return p->person_of[u] - 1;
}

static ps_value_entry *find_value(const ps_model *m, uint32_t item)
{
    const ps_persons *p = m->persons;
    for (uint32_t i = 0; p && i < p->nvalues; i++)
        if (p->values[i].item == item)
            return &p->values[i];
    return NULL;
}

int ps_field_value_set(ps_model *m, uint32_t item, const char *value)
{
    char *copy = strdup(value);
    ps_persons *p = copy ? ps_persons_get(m) : NULL;
    if (!p) {
        free(copy);
        return -1;
    }
    ps_value_entry *v = find_value(m, item);
    if (v) {
        free(v->value);
        v->value = copy;
        return 0;
    }
    if (ps_grow((void **)&p->values, &p->capvalues, p->nvalues + 1, sizeof *p->values)) {
        free(copy);
        return -1;
    }
    p->values[p->nvalues].item = item;
    p->values[p->nvalues++].value = copy;
    return 0;
}

ps_value_entry ps_field_value_take(ps_model *m, uint32_t item)
{
    ps_value_entry *v = find_value(m, item), out = { item, NULL };
    if (v) {
        out = *v;
        *v = m->persons->values[--m->persons->nvalues];
    }
    return out;
}

void ps_field_value_clear(ps_model *m, uint32_t item)
{
    free(ps_field_value_take(m, item).value);
}

void ps_field_value_put(ps_model *m, ps_value_entry v)
{
    if (v.value)
        m->persons->values[m->persons->nvalues++] = v;
}

const char *ps_field_value(const ps_model *m, uint32_t item)
{
    const ps_value_entry *v = find_value(m, item);
    return v ? v->value : NULL;
}

/* The value of user u's field f, or NULL (without declaring the field). */
static const char *user_value(const ps_model *m, uint32_t u, ps_field f)
{
    const ps_persons *p = m->persons;
    for (uint32_t i = 0; p && i < p->nvalues; i++) {
        const ps_item *it = &m->items[p->values[i].item];
        if (it->owner == u && it->field == f)
            return p->values[i].value;
    }
    return NULL;
}

bool ps_field_same(const ps_model *m, uint32_t a, uint32_t b, ps_field f)
{
    const ps_persons *p = m->persons;
    if (!p || a == b)
        return false;
    for (uint32_t i = 0; i < p->n; i++) {
        const ps_person *x = &p->v[i];
        if (!(x->same & (1u << f)))
            continue;
        bool ha = false, hb = false;
        for (uint32_t k = 0; k < x->naccounts; k++) {
            ha |= x->accounts[k] == a;
            hb |= x->accounts[k] == b;
        }
        if (ha && hb)
            return true;
    }
    const char *va = user_value(m, a, f), *vb = user_value(m, b, f);
    return va && vb && strcmp(va, vb) == 0;
}

ps_link_rules ps_link_rules_of(const ps_model *m)
{
    ps_link_rules r = {0, 0};
    if (!ps_platform_link_rules(m->platform, &r))
        ps_platform_link_rules(PS_DEFAULT_PLATFORM, &r);
    const ps_persons *p = m->persons;
    if (p && p->mutual_set)
        r.mutual_friends = p->rules.mutual_friends;
    if (p && p->contacts_set)
        r.contacts = p->rules.contacts;
    return r;
}
