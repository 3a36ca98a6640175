/* engine.h - effective audiences, derivations, exposures, leak paths and fixes.
 *
 * The engine replays a scenario's timeline (the `do` steps, in file order) on its own copy of
 * the model and, at every step, computes for each item its effective audience: the users and
 * the special viewers (the internet, apps) who can see it once every rule of the platform has
 * been applied to a fixed point.  For each viewer it keeps a grant: the last link of the
 * shortest chain that gives access; following grants back to the owner gives the derivation.
 *
 * Viewers are numbered in one space: users 0..nusers-1, then the internet (nusers), then each
 * app (nusers + 1 + app).  Audiences are bitsets over that space.
 *
 * Ownership: ps_engine_new() copies what it needs from the model; the caller keeps its model.
 * A ps_report returned by ps_check() is the caller's, freed by ps_report_free().
 */
#ifndef PS_ENGINE_H
#define PS_ENGINE_H

#include "model.h"

#include <stdio.h>

/* ---------------------------------------------------------------------------------------
 * Viewers
 * ------------------------------------------------------------------------------------- */

static inline uint32_t ps_viewer_internet(const ps_model *m) { return m->nusers; }
static inline uint32_t ps_viewer_app(const ps_model *m, uint32_t app) { return m->nusers + 1 + app; }
static inline uint32_t ps_nviewers(const ps_model *m) { return m->nusers + 1 + m->napps; }
/* Writes the viewer's name ("carol", "internet", "app:quiz") into buf. */
const char *ps_viewer_name(const ps_model *m, uint32_t viewer, char *buf, size_t cap);

/* ---------------------------------------------------------------------------------------
 * Grants: how one viewer got access to one item
 * ------------------------------------------------------------------------------------- */

typedef enum {
    PS_VIA_NONE,
    PS_VIA_OWNER,        /* the viewer is the owner */
    PS_VIA_AUDIENCE,     /* a term of the item's audience; for fof, `through` = friend between */
    PS_VIA_TAG,          /* a live tag of `through`; term 0: the tagged user, 1: their friend */
    PS_VIA_INTERACTION,  /* a friend of `through`, who commented on or liked the item */
    PS_VIA_SHARE,        /* `through` shared the item (step `ref`) with an audience of their own */
    PS_VIA_GROUP,        /* posted in group `ref` */
    PS_VIA_FORCED,       /* the platform forces this field public */
    PS_VIA_FRIENDSHIP,   /* sees `through`'s friend list, which shows the friendship */
    PS_VIA_APP,          /* an app installed by `through` reads what they see */
    PS_NVIA
} ps_via;

/* The `term` of a PS_VIA_FORCED grant: the rule that makes the field visible. */
enum { PS_FORCED_PUBLIC, PS_FORCED_EVERYONE, PS_FORCED_EXTERNAL, PS_FORCED_SEARCH_LISTING };
/* The `term` of a PS_VIA_APP grant with no installer: 0 reads what the internet sees,
 * PS_APP_PARTNER an instant-personalization partner reads public and everyone content. */
enum { PS_APP_PARTNER = 1 };

/* The step kind's name as the spec writes it ("owner", "audience", "tag", ...). */
const char *ps_via_name(ps_via via);

typedef struct {
    uint8_t via;         /* ps_via */
    uint8_t term;        /* AUDIENCE/SHARE/FRIENDSHIP: ps_term_kind matched; TAG: 0 or 1 */
    uint16_t depth;      /* links from the owner */
    uint32_t through;    /* the user in between (see ps_via), or PS_NONE */
    uint32_t ref;        /* term ref (list, network, group, user), share step, group */
} ps_grant;

/* ---------------------------------------------------------------------------------------
 * Leak paths
 * ------------------------------------------------------------------------------------- */

/* One link of a path, from the item's side towards the viewer. */
typedef struct {
    ps_grant grant;      /* the link's kind and data */
    uint32_t viewer;     /* who gains access by this link */
} ps_link;

#define PS_PATH_MAX 16

typedef struct {
    uint32_t item;
    uint32_t viewer;
    uint32_t state;      /* the engine's position when it was taken: 0 as the scenario starts,
                          * k after the k-th step (describe it in that state's model) */
    uint32_t nlinks;
    ps_link links[PS_PATH_MAX]; /* links[0] starts at the owner; links[n-1] reaches viewer */
} ps_path;

/* A 64-bit hash of a path's shape: the sequence of link kinds and terms, not the names. */
uint64_t ps_path_shape(const ps_path *p);
/* Writes the shape as text, e.g. "audience(friends) > tag(friend)" into buf. */
const char *ps_path_shape_text(const ps_path *p, char *buf, size_t cap);

/* ---------------------------------------------------------------------------------------
 * Exposures, expectations, fixes
 * ------------------------------------------------------------------------------------- */

typedef enum { PS_SEV_BEYOND_INTENT, PS_SEV_EXTERNAL, PS_SEV_FORBIDDEN, PS_NSEV } ps_severity;
const char *ps_severity_name(ps_severity s);

typedef enum {
    PS_FIX_SET_AUDIENCE,   /* owner sets item's audience to `terms` */
    PS_FIX_HIDE,           /* owner adds `terms` to the item's hide set */
    PS_FIX_TAG_REVIEW,     /* user turns tag review on (and the users in `terms`, if any) */
    PS_FIX_UNTAG,          /* user removes the tag of `user2` from item (all tag steps too) */
    PS_FIX_APPS_CATEGORY,  /* user stops letting `cat` through friends' apps */
    PS_FIX_FRIENDLIST,     /* user sets their friend list to only-me */
    PS_FIX_UNSHARE,        /* user does not share / unshares (step `step` removed) */
    PS_FIX_NO_INTERACTION, /* user does not comment on or like the item */
    PS_FIX_UNINSTALL,      /* user removes app `app` */
    PS_FIX_RULE,           /* the platform changes a rule (not a user setting) */
    PS_FIX_TAG_FRIENDS,    /* the owner sets the item's tag-friends=off */
    PS_NFIXKINDS
} ps_fix_kind;

typedef struct {
    uint8_t kind;          /* ps_fix_kind */
    uint32_t user;         /* who must act (PS_NONE for a platform rule) */
    uint32_t item;         /* the item changed, or PS_NONE */
    uint32_t user2;        /* untag: the tagged user */
    uint32_t step;         /* unshare / no-interaction: the step removed */
    uint32_t app;          /* uninstall */
    uint8_t cat;           /* apps category */
    uint8_t rule;          /* ps_rule_id */
    uint8_t rule_value;    /* enum value of the rule */
    ps_terms terms;        /* set-audience / hide; tag-review: further users (owned) */
} ps_fix;

/* A fix as one line for people, e.g. "al: tag-review=on", into buf. */
const char *ps_fix_text(const ps_model *m, const ps_fix *f, char *buf, size_t cap);
/* Applies the fix to `m` (a copy that the caller owns).  0, or -1 out of memory. */
int ps_fix_apply(ps_model *m, const ps_fix *f);

typedef struct {
    uint32_t item;
    uint32_t viewer;
    uint8_t severity;      /* ps_severity */
    uint32_t first_step;   /* 0 = as the scenario starts; k = after the k-th `do` step */
    bool at_end;           /* still in the audience at the end of the timeline */
    ps_path path;          /* derivation when it first appeared (or at the end if still there) */
    uint32_t fix_first;    /* fixes: report->fixes[fix_first .. fix_first + nfixes) */
    uint32_t nfixes;
    bool platform_only;    /* no user setting cuts it: only a rule (listed among the fixes) */
} ps_exposure;

typedef struct {
    uint32_t expect;       /* index in model->expects */
    bool held;
} ps_expect_result;

/* Everything `check` reports. */
typedef struct {
    ps_exposure *exposures; uint32_t nexposures;  /* sorted: severity desc, item, viewer */
    ps_fix *fixes; uint32_t nfixes;
    ps_expect_result *expects; uint32_t nexpects;
    uint32_t nsteps;       /* timeline length */
    uint32_t *refused;     /* steps refused by the rules (a share not allowed) */
    uint32_t nrefused;
    uint64_t counts[PS_NSEV];
} ps_report;

/* Options of ps_check(). */
typedef struct {
    bool fixes;            /* compute and re-verify fixes for every exposure */
    uint32_t max_fixes_items; /* compute fixes for at most this many items (0 = no limit) */
    int threads;           /* 0 = every core */
    const uint64_t *fix_items; /* if not NULL: fixes only for the items in this bitset */
    /* if not NULL: called now and then with the work done of the work known so far (item
     * evaluations, then fix verifications), from the calling thread */
    void (*progress)(void *payload, const char *phase, uint64_t done, uint64_t total);
    void *payload;
    /* if nparts > 1: report only the items whose owner % nparts == part (one process's share
     * of a run split over processes; expectations are checked in full by every part) */
    uint32_t part, nparts;
    /* how friends-of-friends sets are held: 0 chosen by the graph's size and density, 1
     * dense rows always, -1 never, -2 every member one by one (the same report in every
     * mode; for tests and benchmarks) */
    int dense_rows;
} ps_check_opts;

/* Whether `item` belongs to the part of the items that `opts` asks for. */
static inline bool ps_check_wants_item(const ps_check_opts *opts, const ps_model *m, uint32_t item)
{
    return !opts || opts->nparts <= 1 || m->items[item].owner % opts->nparts == opts->part;
}

/* The viewer an expect line is about. */
uint32_t ps_expect_viewer(const ps_model *m, const ps_expect *x);

/* Runs the scenario: every exposure (with first step, path and fixes) and every
 * expectation.  0 with *out set, or -1 out of memory.  The report refers to `m` by index
 * and is valid while `m` is. */
int ps_check(const ps_model *m, const ps_check_opts *opts, ps_report **out);
void ps_report_free(ps_report *r);

/* ---------------------------------------------------------------------------------------
 * Lower-level access: an engine over one model state
 * ------------------------------------------------------------------------------------- */

typedef struct ps_engine ps_engine;

/* An engine over a private copy of `m` at the start of its timeline.  NULL out of memory. */
ps_engine *ps_engine_new(const ps_model *m);
void ps_engine_free(ps_engine *e);
/* The engine's model (borrowed; steps applied so far are reflected in it). */
ps_model *ps_engine_model(ps_engine *e);
/* Keeps a public or everyone audience (and a friends-of-friends set) as one class in later
 * evaluations instead of listing its users: faster, and every reader below sees the same
 * audience (ps_engine_audience() lists the class's users when it is called). */
void ps_engine_set_lazy(ps_engine *e, bool lazy);
/* Tells the engine that the caller changed its model in place (settings, audiences, tags,
 * memberships, rules; never the friendships or the timeline): what it derived from the
 * model is forgotten, and the next ps_engine_eval() sees the change. */
void ps_engine_model_changed(ps_engine *e);
/* Applies the next timeline step.  Returns 1 if a step was applied, 0 at the end, -1 OOM.
 * *refused (if not NULL) is set when the rules refused the step. */
int ps_engine_step(ps_engine *e, bool *refused);
/* Applies all remaining steps. */
int ps_engine_run(ps_engine *e);
/* Number of steps applied so far. */
uint32_t ps_engine_position(const ps_engine *e);

/* Computes `item`'s effective audience at the current state.  The result stays valid until
 * the next call: ps_engine_sees() / ps_engine_grant() / ps_engine_audience() read it. */
int ps_engine_eval(ps_engine *e, uint32_t item);
bool ps_engine_sees(const ps_engine *e, uint32_t viewer);
const ps_grant *ps_engine_grant(const ps_engine *e, uint32_t viewer);
/* The viewers of the last evaluated item, in increasing order; *n receives the count.
 * Borrowed until the next ps_engine_eval(). */
const uint32_t *ps_engine_audience(ps_engine *e, uint32_t *n);
/* The same as a set: every viewer of the last evaluated item marked in `bits` (ps_nviewers
 * bits, all written), without listing or sorting them. */
void ps_engine_audience_bits(const ps_engine *e, uint64_t *bits);
/* Whether `viewer` is in the intended audience of `item` (current state). */
bool ps_engine_intended(ps_engine *e, uint32_t item, uint32_t viewer);
/* The severity of `viewer` seeing `item`, assuming it is an exposure. */
ps_severity ps_engine_severity(ps_engine *e, uint32_t item, uint32_t viewer);
/* The derivation of `viewer` for the last evaluated item. 0, or -1 if the viewer does not
 * see it. */
int ps_engine_path(ps_engine *e, uint32_t viewer, ps_path *out);

/* Marks into `bits` (ps_nviewers bits, zeroed first) every viewer that the term union `t`
 * matches relative to `owner` in the engine's current state. */
void ps_engine_members(ps_engine *e, uint32_t owner, const ps_terms *t, uint64_t *bits);

/* Whether `viewer` sees `item` at the end of the timeline of `m`, or at any step if
 * `cumulative`.  -1 out of memory. */
int ps_sees(const ps_model *m, uint32_t item, uint32_t viewer, bool cumulative);

#endif
