/* linkage_int.h - what linkage.c (evidence) and linkage_fix.c (fixes) share; nothing else
 * includes it. */
#ifndef PS_LINKAGE_INT_H
#define PS_LINKAGE_INT_H

#include "linkage.h"

/* Room for "USER.FIELD" and viewer names. */
#define LINK_NAME_MAX 512

/* Names of the shared functions, kept short inside the two files. */
#define lbuf_free      ps_linkage__lbuf_free
#define field_item     ps_linkage__field_item
#define is_account     ps_linkage__is_account
#define linkages_of    ps_linkage__of
#define linkages_on    ps_linkage__on
#define link_fix_free  ps_linkage__fix_free
#define person_fixes   ps_linkage__person_fixes

/* Linkages being built: growable arrays (owned). */
typedef struct {
    bool no_evidence;      /* set by the caller: the linkages alone, without their evidence */
    ps_linkage *v; uint32_t n, cap;
    ps_evidence *ev; uint32_t nev, capev;
    uint32_t *friends; uint32_t nfriends, capfriends;
} lbuf;

void lbuf_free(lbuf *b);
/* The item of user u's field f in `m`, or PS_NONE when it is not declared. */
uint32_t field_item(const ps_model *m, uint32_t u, ps_field f);
/* True when u is one of p's accounts. */
bool is_account(const ps_person *p, uint32_t u);
/* The linkages of person `pi` (every person for PS_NONE) in model w at the end of its
 * timeline, appended to `out`; with `keep`, the engine is handed to the caller.  0, or -1. */
int linkages_of(const ps_model *w, uint32_t pi, lbuf *out, ps_engine **keep);
/* The linkages of person `pi` computed on engine e as it stands: a scenario without a
 * timeline whose model the caller may have changed in place (and put back after).  0, or
 * -1 out of memory. */
int linkages_on(ps_engine *e, uint32_t pi, lbuf *out);

/* Candidate fixes being collected (owned, with their terms). */
typedef struct {
    ps_link_fix *v;
    uint32_t n, cap;
} fix_vec;

void link_fix_free(ps_link_fix *f);
/* Computes and verifies the fixes of every linkage of person `pi` in r (appending the
 * candidates to `all`, pointing each linkage at its fixes) and the smallest set.  `r->m` is
 * changed while this runs and put back.  0, or -1 out of memory. */
int person_fixes(ps_linkage_report *r, uint32_t pi, const ps_linkage_opts *o, fix_vec *all);

#endif
