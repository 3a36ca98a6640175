/* linkage.h - who can tell that two accounts are one person, from what, and what stops it.
 *
 * For every person with several accounts (person.h) and every pair of its accounts, a
 * viewer *links* the accounts when some piece of evidence holds for it, computed from the
 * effective audiences that the engine derives in each state of the timeline (so every
 * platform rule and every setting counts); what a viewer saw in one state counts in every
 * later one (the README gives each rule exactly):
 *
 *   friendship       the viewer saw the two accounts' friendship on a friend list;
 *   mutual-friends   the viewer has seen at least k friends on both friend lists (the
 *                    friendship a-f is seen by whoever sees a's whole friend list or f's);
 *   tag              the viewer saw a post or photo while it tagged (or was owned by) each
 *                    account, with live tags;
 *   interaction      one account commented on, liked or shared the other's item, and the
 *                    viewer saw the item after it (a share: while it held);
 *   fields           equal phone, equal e-mail, or equal birthday and hometown, each seen on
 *                    both accounts;
 *   group            both are members of group G, and the viewer is a member too or (G not
 *                    secret) has seen both accounts' groups field;
 *   network          both are members of network N, and the viewer has seen both accounts'
 *                    networks field;
 *   contacts         the platform suggests one account to the users who hold the other's
 *                    phone or e-mail (its friends, and whoever sees that field, in some
 *                    state), under the rule contact-suggestions.
 *
 * Severity: forbidden when the viewer is in the person's forbid-link terms, external for the
 * internet and apps, beyond-intent for anyone else.  Fixes are candidate changes along the
 * evidence, each tried (in place and put back where it can be, else on a copy) and kept only
 * when simulating again shows that the viewer no longer links the accounts; for each
 * person, a smallest set of changes that removes every forbidden linkage is searched among
 * the candidates.
 *
 * Ownership: a ps_linkage_report is the caller's, freed with ps_linkage_report_free().  It
 * owns the model it was computed on (a copy of the caller's with the profile fields that
 * linking reads declared), and every index in it refers to that model (r->m).
 */
#ifndef PS_LINKAGE_H
#define PS_LINKAGE_H

#include "engine.h"
#include "person.h"

typedef enum {
    PS_EV_FRIENDSHIP, PS_EV_MUTUAL_FRIENDS, PS_EV_TAG, PS_EV_INTERACTION, PS_EV_FIELDS,
    PS_EV_GROUP, PS_EV_NETWORK, PS_EV_CONTACTS,
    PS_NEV
} ps_ev_kind;

/* The kind's name as the README writes it ("mutual-friends", ...). */
const char *ps_ev_kind_name(ps_ev_kind k);

typedef struct {
    uint8_t kind;          /* ps_ev_kind */
    uint32_t item;         /* tag, interaction: the post or photo; else PS_NONE */
    uint32_t step;         /* interaction: the step (0-based); else PS_NONE */
    uint32_t ref;          /* fields, contacts: the field (PS_F_BIRTHDAY stands for birthday
                            * and hometown); group, network: its index; mutual-friends: how
                            * many friends in common the viewer sees */
    uint32_t first, n;     /* mutual-friends: those friends, r->friends[first .. first+n) */
    bool remembered;       /* it holds only with what the viewer saw in earlier states, not
                            * in the state at the end alone */
} ps_evidence;

typedef struct {
    uint32_t person;
    uint32_t a, b;         /* the two accounts (a written before b) */
    uint32_t viewer;
    uint8_t severity;      /* ps_severity */
    uint32_t first_step;   /* the first state in which the viewer links the accounts: 0 as
                            * the scenario starts, k after the k-th step */
    uint32_t ev_first, nev;      /* r->ev[ev_first .. ev_first + nev) */
    uint32_t fix_first, nfixes;  /* r->fix_of[fix_first .. + nfixes): indices in r->fixes */
} ps_linkage;

typedef enum {
    PS_LFIX_ENGINE,        /* an engine fix (`fix`): audience only-me, untag, tag review,
                            * no interaction, unshare, a platform rule */
    PS_LFIX_UNFRIEND,      /* `user` and `other` end their friendship */
    PS_LFIX_LEAVE_GROUP,   /* `user` leaves group `other` */
    PS_LFIX_LEAVE_NETWORK, /* `user` leaves network `other` */
    PS_LFIX_NO_VALUE,      /* `user` does not give the platform field `other` */
    PS_LFIX_NO_CONTACTS,   /* the platform stops suggesting from contact field `other` */
} ps_lfix_kind;

typedef struct {
    uint8_t kind;          /* ps_lfix_kind */
    uint32_t person;
    uint32_t user, other;
    ps_fix fix;            /* PS_LFIX_ENGINE (its terms owned) */
} ps_link_fix;

/* The smallest set of changes found that removes every forbidden linkage of one person. */
typedef struct {
    uint32_t person;
    uint32_t nforbidden;   /* forbidden linkages of the person */
    bool found;
    uint32_t set[4];       /* indices in r->fixes */
    uint32_t nset;
    uint32_t ncandidates;  /* changes the search combined */
    uint32_t max_size;     /* largest set size tried */
    uint64_t tried;        /* sets simulated */
    bool complete;         /* every set up to max_size was tried */
    uint32_t left_all;     /* forbidden linkages left with every candidate applied at once
                            * (then no set was searched) */
    bool hides;            /* the owners' hides from each viewer were among the candidates
                            * (at most PS_LINK_HIDE_MAX forbidden linkages) */
} ps_link_minset;

/* Per-viewer hides are proposed for the forbidden linkages of a person who has at most this
 * many (each is a candidate of its own, and every candidate is simulated). */
#define PS_LINK_HIDE_MAX 8

/* What the fixes of a linkage are chosen from, for the sentences that say none was found. */
#define PS_LINK_FIX_TRIED "the two accounts' own settings and actions along each piece of " \
                          "evidence; platform rules; for a person with at most 8 forbidden " \
                          "linkages, the owner of each item the evidence rests on hiding it " \
                          "from the viewer.  Not tried: other people's settings and actions " \
                          "(friends in common hiding their friend lists, a tagger deleting " \
                          "the photo)"

typedef struct ps_linkage_report {
    ps_model *m;           /* the model the report refers to (owned) */
    ps_engine *e;          /* an engine over m at the end of its timeline (owned) */
    ps_linkage *v; uint32_t n;      /* sorted: severity desc, person, pair, viewer */
    ps_evidence *ev; uint32_t nev;
    uint32_t *friends; uint32_t nfriends;
    ps_link_fix *fixes; uint32_t nfixes;
    uint32_t *fix_of; uint32_t nfix_of;
    ps_link_minset *minsets; uint32_t nminsets; /* one per person with forbidden linkages */
    uint64_t counts[PS_NSEV];
    struct ps_state_model *states; /* the models of the legs' states (owned, made on demand) */
} ps_linkage_report;

typedef struct {
    bool fixes;            /* compute and re-verify fixes and the smallest sets */
    uint32_t max_set;      /* largest set of changes searched (default 3, at most 4) */
    uint64_t max_tries;    /* sets simulated per person at most (default 2000) */
    bool verify_by_copy;   /* try every change on a copy of the scenario, never in place
                            * (the same report, slower; for tests and benchmarks) */
} ps_linkage_opts;

/* Computes every linkage of every person of `m`.  0 with *out set (also when `m` has no
 * person: an empty report), or -1 out of memory. */
int ps_linkage_check(const ps_model *m, const ps_linkage_opts *o, ps_linkage_report **out);
void ps_linkage_report_free(ps_linkage_report *r);

/* The paths behind one piece of evidence: the viewer's derivation for each item it rests on
 * (for mutual-friends, two per friend, at most `cap` in all).  Returns how many were
 * written.  Items the viewer sees without a path (a group member) give none. */
uint32_t ps_linkage_legs(ps_linkage_report *r, const ps_linkage *l, const ps_evidence *ev,
                         ps_path *out, uint32_t cap);
/* The model to describe a leg in (ps_link_text, ps_link_basis): that of the state in which
 * the leg was found.  Borrowed until the next call. */
const ps_model *ps_linkage_leg_model(ps_linkage_report *r, const ps_path *leg);
/* One sentence for a piece of evidence, e.g. "photo ph2 by frank tags al and alv". */
const char *ps_evidence_text(const ps_linkage_report *r, const ps_linkage *l,
                             const ps_evidence *ev, char *buf, size_t cap);
/* A fix as one line, e.g. "al: unfriend alv". */
const char *ps_link_fix_text(const ps_linkage_report *r, const ps_link_fix *f, char *buf,
                             size_t cap);
/* For a viewer who does not link accounts a and b of one person (either order): what it did
 * see, each as one sentence into texts[0 .. return value) (at most `cap`, each at most
 * `len` bytes): friends in common seen below the rule's threshold, a photo seen while it
 * tagged one account only, one account's field of a pair, the friendship of the two
 * accounts that it never saw on a list.  0 when it saw none of these; -1 out of memory. */
int ps_linkage_nearest(ps_linkage_report *r, uint32_t a, uint32_t b, uint32_t viewer,
                       char (*texts)[512], uint32_t cap);
/* The linkage of `viewer` for accounts a and b (either order), or NULL. */
const ps_linkage *ps_linkage_find(const ps_linkage_report *r, uint32_t a, uint32_t b,
                                  uint32_t viewer);

#endif
