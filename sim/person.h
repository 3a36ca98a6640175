/* person.h - people who keep several accounts, and what linking those accounts compares.
 *
 * A `person` line says that some accounts (users of the scenario) belong to one person and
 * who must never learn it (`forbid-link=`, terms relative to the first account).  Field
 * lines may give an identifying value (`field al.phone value="..."`), and a person line may
 * declare fields whose value is the same on every account (`same=phone`).  Two rules tune
 * linking: `link-mutual-friends` (how many friends in common, seen on both friend lists,
 * link two accounts) and `contact-suggestions` (which uploaded contact details make the
 * platform suggest an account).  The presets give both (ps_platform_link_rules); `rule`
 * lines override them.
 *
 * Ownership: the model owns its ps_persons (m->persons, NULL when the scenario has no person,
 * value or link rule), freed with the model and copied by ps_model_clone().
 */
#ifndef PS_PERSON_H
#define PS_PERSON_H

#include "model.h"

/* Most persons in one scenario, and most accounts of one person. */
#define PS_MAX_PERSONS  4096
#define PS_MAX_ACCOUNTS 16

/* The fields whose values identify a person: value= and same= take only these. */
#define PS_ID_FIELDS ((1u << PS_F_PHONE) | (1u << PS_F_EMAIL) | (1u << PS_F_BIRTHDAY) | \
                      (1u << PS_F_HOMETOWN))
/* The fields that contact suggestions use. */
#define PS_CONTACT_FIELDS ((1u << PS_F_PHONE) | (1u << PS_F_EMAIL))

typedef struct {
    char *name;            /* the person's name (owned) */
    uint32_t *accounts;    /* users, as written (owned; at least two, all different) */
    uint32_t naccounts;
    ps_terms forbid;       /* forbid-link=, relative to accounts[0] (owned; may be empty) */
    uint32_t same;         /* fields (mask of 1 << ps_field) equal on every account */
    ps_loc loc;
} ps_person;

typedef struct {
    uint32_t item;         /* a field item */
    char *value;           /* its value (owned) */
} ps_value_entry;

/* The rules of linking. */
typedef struct {
    uint32_t mutual_friends;  /* link-mutual-friends: k (0 = friends in common never link) */
    uint32_t contacts;        /* contact-suggestions: fields (PS_CONTACT_FIELDS subset) */
} ps_link_rules;

typedef struct ps_persons {
    ps_person *v;          uint32_t n, cap;
    ps_value_entry *values; uint32_t nvalues, capvalues;
    ps_link_rules rules;   /* the values of `rule` lines ... */
    bool mutual_set, contacts_set; /* ... and which were given */
    ps_loc mutual_loc, contacts_loc;
    uint32_t *person_of;   /* per user index: its person + 1, 0 for none (owned) */
    uint32_t nperson_of;   /* entries of person_of */
} ps_persons;

/* The model's persons, created empty if needed.  NULL out of memory. */
ps_persons *ps_persons_get(ps_model *m);
void ps_persons_free(ps_persons *p);
/* A deep copy (NULL for NULL); *ok is set false when out of memory. */
ps_persons *ps_persons_clone(const ps_persons *p, bool *ok);
/* True when the two hold the same persons, values and rules (user and item indices mapped
 * through `users` and `items`, arrays from a's indices to b's). */
bool ps_persons_equal(const ps_model *a, const ps_model *b, const uint32_t *users,
                      const uint32_t *items);

/* Adds a person (copying the name and the accounts).  Its index, or PS_NONE out of memory. */
uint32_t ps_person_add(ps_model *m, const char *name, size_t len, const uint32_t *accounts,
                       uint32_t n);
/* The person named `name`, or PS_NONE. */
uint32_t ps_person_find(const ps_model *m, const char *name, size_t len);
/* The person that user `u` is an account of, or PS_NONE. */
uint32_t ps_person_of(const ps_model *m, uint32_t u);

/* Sets (replaces) the value of a field item.  0, or -1 out of memory. */
int ps_field_value_set(ps_model *m, uint32_t item, const char *value);
/* Removes it.  */
void ps_field_value_clear(ps_model *m, uint32_t item);
/* Removes it and hands it to the caller (value NULL when there was none), to be put back
 * with ps_field_value_put(), which then cannot fail: the room it took is kept. */
ps_value_entry ps_field_value_take(ps_model *m, uint32_t item);
void ps_field_value_put(ps_model *m, ps_value_entry v);
/* The value of a field item, or NULL. */
const char *ps_field_value(const ps_model *m, uint32_t item);
/* True when users a and b have the same value of field f: both give it and the values are
 * equal, or a person with both accounts declares it same=. */
bool ps_field_same(const ps_model *m, uint32_t a, uint32_t b, ps_field f);

/* The effective link rules: the preset's, with the file's `rule` lines applied. */
ps_link_rules ps_link_rules_of(const ps_model *m);
/* The link rules of preset `name` (platform.c); false when there is no such preset. */
bool ps_platform_link_rules(const char *name, ps_link_rules *out);

#endif
