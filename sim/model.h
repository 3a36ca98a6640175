/* model.h - the in-memory model of a privsim scenario.
 *
 * A scenario is a social graph (users, friendships, friend lists, networks, groups), the
 * things people publish (posts, photos, profile fields) with the audience each one was given,
 * per-user settings, third-party apps, a platform's rules, a timeline of steps, expectations
 * and the fuzzer's `vary` lines.  The parser builds a model through the ps_model_add_* calls
 * below; the engine, the fuzzer and the printers read it.
 *
 * Every object is addressed by a dense 32-bit index into its array (users 0..nusers-1, items
 * 0..nitems-1, ...), so that the engine can use bitsets and flat arrays over users.  Names are
 * resolved through uthash tables kept inside the model.  Friendships are collected as pairs
 * while the file is read and turned into one compressed adjacency array (CSR) by
 * ps_model_friends(); changing a friendship later (a timeline step, the fuzzer) marks that
 * array stale and it is rebuilt on the next read.
 *
 * Ownership: the model owns every string and array reachable from it.  Pointers returned by
 * accessors are borrowed and live until the model is changed or freed.
 */
#ifndef PS_MODEL_H
#define PS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PS_NONE UINT32_MAX

/* ---------------------------------------------------------------------------------------
 * Profile fields and item categories
 * ------------------------------------------------------------------------------------- */

/* Profile fields, in the order of SPEC section 1. */
typedef enum {
    PS_F_BIRTHDAY, PS_F_HOMETOWN, PS_F_CITY, PS_F_EMPLOYER, PS_F_SCHOOL, PS_F_RELATIONSHIP,
    PS_F_EMAIL, PS_F_PHONE, PS_F_FRIENDLIST, PS_F_LIKES, PS_F_GROUPS, PS_F_NAME,
    PS_F_PICTURE, PS_F_GENDER, PS_F_NETWORKS,
    PS_NFIELDS
} ps_field;

/* Categories for app permissions and default audiences: every field, then posts and photos. */
#define PS_CAT_POSTS  ((unsigned)PS_NFIELDS)
#define PS_CAT_PHOTOS ((unsigned)PS_NFIELDS + 1)
#define PS_NCATS      ((unsigned)PS_NFIELDS + 2)
#define PS_CATS_ALL   ((1u << PS_NCATS) - 1)

/* The name of a category ("birthday", ..., "posts", "photos"); NULL when out of range. */
const char *ps_category_name(unsigned cat);
/* The category named `name` (length `len`), or -1. */
int ps_category_find(const char *name, size_t len);

/* ---------------------------------------------------------------------------------------
 * Audiences
 * ------------------------------------------------------------------------------------- */

typedef enum {
    PS_TERM_PUBLIC,    /* every user and the internet */
    PS_TERM_EVERYONE,  /* every registered user */
    PS_TERM_FOF,       /* owner, friends, friends of friends */
    PS_TERM_FRIENDS,   /* owner and friends */
    PS_TERM_ONLY_ME,   /* owner */
    PS_TERM_NETWORKS,  /* members of any network the owner belongs to (preset defaults) */
    PS_TERM_LIST,      /* owner and the members of the owner's list `ref` */
    PS_TERM_NETWORK,   /* members of network `ref` */
    PS_TERM_GROUP,     /* members of group `ref` */
    PS_TERM_USER,      /* user `ref` */
    PS_TERM_CIRCLES,   /* owner and the members of every list (circle) of the owner */
    PS_TERM_EXTENDED_CIRCLES, /* circles, and the members of the circles of those in them */
    PS_NTERMS
} ps_term_kind;

/* Whether a term kind takes a name (`list:L`, `network:N`, `group:G`, `user:U`). */
static inline bool ps_term_named(unsigned kind)
{
    return kind >= PS_TERM_LIST && kind <= PS_TERM_USER;
}

/* The keyword of a term kind ("public", "list", ...). */
const char *ps_term_kind_name(ps_term_kind kind);

typedef struct {
    uint8_t kind;  /* ps_term_kind */
    uint32_t ref;  /* list, network, group or user index; PS_NONE for the others */
} ps_term;

/* A union of terms.  `n == 0` means "not set" where a default applies. */
typedef struct {
    ps_term *v;    /* owned */
    uint32_t n;
} ps_terms;

typedef struct {
    ps_terms allow; /* audience= */
    ps_terms hide;  /* hide= (never removes the owner) */
} ps_audience;

/* ---------------------------------------------------------------------------------------
 * Platform rules
 * ------------------------------------------------------------------------------------- */

/* tag-extends: none; tagged (T); tagged-friends (T, and T's friends unless the item's owner
 * says tag-friends=off); owner-choice (T, and T's friends only when the owner says
 * tag-friends=on).  T's friends only for a broad audience in both. */
typedef enum { PS_TAG_NONE, PS_TAG_TAGGED, PS_TAG_TAGGED_FRIENDS, PS_TAG_OWNER_CHOICE }
    ps_tag_extends;
/* reshare: none; public-only (only what the internet sees may be shared); visible (whoever
 * sees it may share it, to an audience of their own); capped (whoever sees it may share it,
 * but a share shows it to nobody outside the audience it already has, except a post marked
 * `link=on`, which a share may widen as under `visible`). */
typedef enum { PS_RESHARE_NONE, PS_RESHARE_PUBLIC_ONLY, PS_RESHARE_VISIBLE, PS_RESHARE_CAPPED }
    ps_reshare;
typedef enum { PS_FV_BOTH_ENDS, PS_FV_OWN_SETTING } ps_friendship_visibility;
typedef enum { PS_IX_NONE, PS_IX_COMMENTER_FRIENDS } ps_interaction_extends;

/* Rule identifiers, as written after `rule`. */
typedef enum {
    PS_RULE_TAG_EXTENDS, PS_RULE_TAG_REVIEW_DEFAULT, PS_RULE_RESHARE,
    PS_RULE_APPS_THROUGH_FRIENDS, PS_RULE_APPS_THROUGH_FRIENDS_DEFAULT,
    PS_RULE_FRIENDSHIP_VISIBILITY, PS_RULE_FORCED_PUBLIC, PS_RULE_DEFAULT_AUDIENCE,
    PS_RULE_INTERACTION_EXTENDS,
    PS_RULE_FORCED_EVERYONE,       /* fields every user sees, whatever the owner chose */
    PS_RULE_FORCED_EXTERNAL,       /* fields the internet and apps see, whatever the owner chose */
    PS_RULE_SEARCH_LISTING,        /* name and picture to the internet unless the user opts out */
    PS_RULE_INSTANT_PERSONALIZATION, /* partner apps read public and everyone content */
    PS_RULE_REGIONAL_NETWORKS,     /* whether networks of kind regional still count */
    PS_NRULES
} ps_rule_id;

const char *ps_rule_name(ps_rule_id id);
/* Whether rule `id` takes a set of profile fields (forced-public, forced-everyone,
 * forced-external). */
static inline bool ps_rule_is_fields(unsigned id)
{
    return id == PS_RULE_FORCED_PUBLIC || id == PS_RULE_FORCED_EVERYONE ||
           id == PS_RULE_FORCED_EXTERNAL;
}

typedef struct {
    uint8_t tag_extends;            /* ps_tag_extends */
    bool tag_review_default;        /* tag review on for users who did not set it */
    uint8_t reshare;                /* ps_reshare */
    bool apps_through_friends;      /* apps installed by friends may read through them */
    uint32_t apps_default_cats;     /* categories users let through unless they set their own */
    uint8_t friendship_visibility;  /* ps_friendship_visibility */
    uint32_t forced_public;         /* mask of fields no setting can hide */
    uint8_t interaction_extends;    /* ps_interaction_extends */
    uint32_t forced_everyone;       /* mask of fields every user sees (not the internet) */
    uint32_t forced_external;       /* mask of fields the internet and apps see */
    bool search_listing;            /* the public search listing exists */
    bool instant_personalization;   /* partner apps read public and everyone content */
    bool regional_networks;         /* networks of kind regional count in audiences */
    ps_terms default_audience[PS_NCATS]; /* owned; per category */
} ps_rules;

/* ---------------------------------------------------------------------------------------
 * Objects
 * ------------------------------------------------------------------------------------- */

/* Where a statement or a name stands in the scenario file (1-based; 0 = nowhere). */
typedef struct { uint32_t line, col; } ps_loc;

/* A per-user setting that may be unset (then the platform's default applies). */
typedef enum { PS_UNSET = -1, PS_OFF = 0, PS_ON = 1 } ps_tristate;

typedef struct {
    char *name;            /* identifier */
    char *display;         /* display name, or NULL */
    ps_loc loc;
    int8_t tag_review;     /* ps_tristate */
    bool has_apps_cats;    /* apps_cats set by the user */
    uint32_t apps_cats;    /* categories the user lets through friends' apps */
    int8_t search_listing; /* ps_tristate: listed in the public search listing (default on) */
    ps_loc tag_review_loc; /* the `set` line that gave tag_review (line 0: none) */
    ps_loc apps_loc;       /* the `set` line that gave apps_cats (line 0: none) */
} ps_user;

typedef struct {
    char *name;
    uint32_t owner;
    uint32_t *members; uint32_t nmembers;
    bool circle;           /* declared with `circle` (a one-way Google+ circle) */
    ps_loc loc;
} ps_list;

typedef struct {
    char *name;
    uint32_t *members; uint32_t nmembers;
    bool regional;         /* kind=regional: a city or country network */
    ps_loc loc;
} ps_network;

typedef enum { PS_GROUP_OPEN, PS_GROUP_CLOSED, PS_GROUP_SECRET } ps_group_kind;

typedef struct {
    char *name;
    uint8_t kind;          /* ps_group_kind */
    uint32_t *members; uint32_t nmembers;
    ps_loc loc;
} ps_group;

typedef struct {
    char *name;            /* persona name, unique per owner */
    uint32_t owner;
    ps_terms audience;     /* who the persona is for */
    ps_terms forbid;       /* who must never see it */
    ps_loc loc;
} ps_persona;

typedef enum { PS_ITEM_POST, PS_ITEM_PHOTO, PS_ITEM_FIELD } ps_item_kind;

typedef struct {
    uint32_t user;         /* tagged user */
    bool approved;         /* approved by the tagged user (approve-tag) */
    bool removed;          /* untagged */
} ps_tag;

typedef struct {
    char *name;            /* "p1", or "al.birthday" for a field */
    uint8_t kind;          /* ps_item_kind */
    uint8_t field;         /* ps_field when kind == PS_ITEM_FIELD */
    uint32_t owner;
    bool has_audience;     /* audience= given (else the platform default) */
    ps_audience audience;
    uint32_t group;        /* group posted in, or PS_NONE */
    ps_tag *tags; uint32_t ntags;
    uint32_t persona;      /* persona index, or PS_NONE */
    char *caption;         /* or NULL */
    int8_t tag_friends;    /* ps_tristate: tags reach the tagged's friends (tag-friends=) */
    bool link;             /* link=on: a post that shares a link (reshare = capped widens it) */
    ps_loc loc;
} ps_item;

typedef struct {
    char *name;
    uint32_t *installers; uint32_t ninstallers; /* installed at the start */
    bool partner;          /* an instant-personalization partner: reads without an install */
    ps_loc loc;
} ps_app;

/* ---------------------------------------------------------------------------------------
 * Timeline steps, expectations and vary lines
 * ------------------------------------------------------------------------------------- */

typedef enum {
    PS_STEP_SHARE, PS_STEP_UNSHARE, PS_STEP_TAG, PS_STEP_UNTAG, PS_STEP_APPROVE_TAG,
    PS_STEP_COMMENT, PS_STEP_LIKE, PS_STEP_BEFRIEND, PS_STEP_UNFRIEND, PS_STEP_INSTALL,
    PS_STEP_SET,
    PS_NSTEPKINDS
} ps_step_kind;

const char *ps_step_kind_name(ps_step_kind kind);

/* User settings that `set` can change. */
typedef enum {
    PS_SET_TAG_REVIEW,      /* value: ps_tristate */
    PS_SET_APPS_CATS,       /* value: category mask */
    PS_SET_AUDIENCE,        /* `set U ITEM audience=...`: audience of one of U's items */
    PS_SET_SEARCH_LISTING,  /* value: ps_tristate */
    PS_NSETTINGS
} ps_setting_kind;

typedef struct {
    uint8_t kind;          /* ps_setting_kind */
    uint32_t value;        /* tristate or mask */
    uint32_t item;         /* PS_SET_AUDIENCE: the item */
    ps_audience audience;  /* PS_SET_AUDIENCE: the new audience (owned) */
} ps_setting;

typedef struct {
    uint8_t kind;          /* ps_step_kind */
    uint32_t actor;        /* user who acts */
    uint32_t item;         /* share, unshare, tag, untag, approve-tag, comment, like */
    uint32_t *users; uint32_t nusers; /* tag/untag targets */
    uint32_t other;        /* befriend/unfriend: the other user; install: the app */
    bool has_audience;     /* share: audience= given (else the sharer's default for posts) */
    ps_audience audience;  /* share */
    ps_setting *settings; uint32_t nsettings; /* set */
    ps_loc loc;
} ps_step;

/* A viewer: a user, the internet, or an app. */
typedef enum { PS_VIEWER_USER, PS_VIEWER_INTERNET, PS_VIEWER_APP } ps_viewer_kind;

typedef struct {
    uint8_t viewer_kind;   /* ps_viewer_kind */
    uint32_t viewer;       /* user or app index */
    bool can_see;          /* can-see or cannot-see */
    uint32_t item;
    ps_loc loc;
} ps_expect;

/* `accept VIEWER ITEM "reason"`: an exposure the scenario means to allow.  `check` reports
 * it apart, with its reason, and warns when it no longer occurs. */
typedef struct {
    uint8_t viewer_kind;   /* ps_viewer_kind */
    uint32_t viewer;       /* user or app index */
    uint32_t item;
    char *reason;          /* as written (owned) */
    ps_loc loc;
} ps_accept;

typedef enum {
    PS_VARY_AUDIENCE,      /* vary ITEM audience=A | B ... */
    PS_VARY_SET,           /* vary set U SETTING=A | B ... */
    PS_VARY_RULE,          /* vary rule NAME = A | B ... */
    PS_VARY_STEP           /* vary do ...: the step happens or not */
} ps_vary_kind;

/* One alternative of a vary line: exactly one of the members is used, by the line's kind. */
typedef struct {
    ps_audience audience;  /* PS_VARY_AUDIENCE (owned) */
    ps_setting setting;    /* PS_VARY_SET (owned) */
    ps_rules rule;         /* PS_VARY_RULE: rules struct in which only the varied rule counts
                            * (for default-audience, the categories in the line's cat mask) */
    char *text;            /* the alternative as written, for printing (owned) */
} ps_alt;

typedef struct {
    uint8_t kind;          /* ps_vary_kind */
    uint32_t target;       /* item (audience), user (set) */
    uint8_t rule;          /* ps_rule_id (rule) */
    uint32_t cats;         /* rule default-audience[.CATEGORY]: categories it sets */
    ps_alt *alts; uint32_t nalts; /* the first is what the scenario does without the fuzzer */
    ps_step step;          /* PS_VARY_STEP: the optional step (owned) */
    ps_loc loc;
} ps_vary;

/* ---------------------------------------------------------------------------------------
 * The model
 * ------------------------------------------------------------------------------------- */

typedef struct ps_names ps_names; /* uthash table, private to model.c */

typedef struct ps_model {
    char *path;            /* scenario file name, for messages (owned; may be NULL) */
    char *platform;        /* platform preset name as written (owned) */
    ps_loc platform_loc;
    ps_rules rules;        /* effective rules: the preset with the file's rule lines applied */
    ps_rules overrides;    /* the values given by `rule` lines (only those in rules_set count) */
    uint32_t rules_set;    /* mask of (1 << ps_rule_id) given by `rule` lines */
    uint32_t default_audience_set; /* mask of categories given by `rule default-audience` */
    ps_loc rule_locs[PS_NRULES]; /* where each rule line stands */

    ps_user *users;        uint32_t nusers, cap_users;
    ps_list *lists;        uint32_t nlists, cap_lists;
    ps_network *networks;  uint32_t nnetworks, cap_networks;
    ps_group *groups;      uint32_t ngroups, cap_groups;
    ps_persona *personas;  uint32_t npersonas, cap_personas;
    ps_item *items;        uint32_t nitems, cap_items;
    ps_app *apps;          uint32_t napps, cap_apps;
    ps_step *steps;        uint32_t nsteps, cap_steps;
    ps_expect *expects;    uint32_t nexpects, cap_expects;
    ps_accept *accepts;    uint32_t naccepts, cap_accepts;
    ps_vary *varies;       uint32_t nvaries, cap_varies;

    /* Friendships as written: pairs (a < b), deduplicated by ps_model_friends(). */
    uint64_t *pairs;       uint32_t npairs, cap_pairs;
    /* CSR adjacency, rebuilt when stale: friends of u are adj[off[u] .. off[u+1]). */
    uint32_t *adj_off;     /* nusers + 1 entries */
    uint32_t *adj;
    bool adj_stale;
    uint64_t adj_version;  /* counts the adjacency's builds, so that copies of it can tell */

    ps_names *names;       /* name tables */
    uint32_t names_hint;   /* buckets to give the name table when it is made */

    struct ps_persons *persons; /* persons with several accounts, field values, link rules
                                 * (person.h); NULL when there are none */
} ps_model;

/* A new empty model whose rules are the newest preset's.  NULL when out of memory. */
ps_model *ps_model_new(void);
/* Frees a model and everything it owns.  Accepts NULL. */
void ps_model_free(ps_model *m);
/* A deep copy of `m`; NULL when out of memory.  The caller frees it with ps_model_free(). */
ps_model *ps_model_clone(const ps_model *m);

/* Name spaces: users, items, networks, groups and apps are global; lists and personas are
 * per owner. */
typedef enum { PS_NS_USER, PS_NS_ITEM, PS_NS_NETWORK, PS_NS_GROUP, PS_NS_APP, PS_NS_LIST,
               PS_NS_PERSONA } ps_namespace;

/* The index of `name` in namespace `ns` (owner is the user for lists and personas, else
 * ignored), or PS_NONE. */
uint32_t ps_model_find(const ps_model *m, ps_namespace ns, uint32_t owner, const char *name,
                       size_t len);
/* The declared name in `ns` closest to `name` within a small edit distance, or NULL. */
const char *ps_model_suggest(const ps_model *m, ps_namespace ns, uint32_t owner,
                             const char *name, size_t len);

/* Builders.  Each copies its strings; each returns the new index, PS_NONE when the name is
 * already declared in its namespace, or PS_NONE with errno = ENOMEM when out of memory.
 * `len` arguments are the lengths of names that need not be NUL-terminated. */
uint32_t ps_model_add_user(ps_model *m, const char *name, size_t len, const char *display);
uint32_t ps_model_add_list(ps_model *m, uint32_t owner, const char *name, size_t len);
uint32_t ps_model_add_network(ps_model *m, const char *name, size_t len);
uint32_t ps_model_add_group(ps_model *m, const char *name, size_t len, ps_group_kind kind);
uint32_t ps_model_add_persona(ps_model *m, uint32_t owner, const char *name, size_t len);
/* An item of `kind` owned by `owner`; for a field, `name` is "USER.FIELD". */
uint32_t ps_model_add_item(ps_model *m, ps_item_kind kind, const char *name, size_t len,
                           uint32_t owner);
uint32_t ps_model_add_app(ps_model *m, const char *name, size_t len);
/* The item of `user`'s field `field`, declaring it (with the default audience, has_audience
 * false) if it is not declared yet.  PS_NONE when out of memory. */
uint32_t ps_model_field_item(ps_model *m, uint32_t user, ps_field field);

/* Grows the array *arr of elements of `size` bytes (capacity *cap) so that it holds at least
 * `need`, doubling; the new space is zeroed.  0, or -1 out of memory (*arr unchanged). */
int ps_grow(void **arr, uint32_t *cap, uint32_t need, size_t size);
/* Appends `v` to a growable uint32 array (used for member lists).  0, or -1 out of memory. */
int ps_u32_push(uint32_t **arr, uint32_t *n, uint32_t v);
/* Appends a term.  0, or -1 out of memory. */
int ps_terms_push(ps_terms *t, ps_term_kind kind, uint32_t ref);
void ps_terms_free(ps_terms *t);
int ps_terms_copy(ps_terms *dst, const ps_terms *src);
void ps_audience_free(ps_audience *a);
int ps_audience_copy(ps_audience *dst, const ps_audience *src);
/* Writes a term union as the language spells it ("list:coworkers,network:acme") into buf
 * (truncated to cap); returns buf.  An empty union is written as "". */
const char *ps_terms_text(const ps_model *m, const ps_terms *t, char *buf, size_t cap);
/* True when the two term unions are equal as written (same terms in the same order). */
bool ps_terms_equal(const ps_terms *a, const ps_terms *b);

/* Appends a zeroed step/expect/vary and returns a pointer to it (borrowed), or NULL. */
ps_step *ps_model_add_step(ps_model *m);
ps_expect *ps_model_add_expect(ps_model *m);
ps_accept *ps_model_add_accept(ps_model *m);
ps_vary *ps_model_add_vary(ps_model *m);
/* Adds a tag of `user` to `item` (no-op if present; clears `removed`).  0, or -1. */
int ps_item_add_tag(ps_item *item, uint32_t user);

void ps_step_free(ps_step *s);
/* A deep copy of step `src` into *dst.  0, or -1 out of memory (*dst is then empty). */
int ps_step_copy(ps_step *dst, const ps_step *src);
void ps_setting_free(ps_setting *s);

/* Tells an empty model about how many names it will hold (users, lists, items ...), so that
 * its name table is made that large at once. */
void ps_model_expect_names(ps_model *m, uint32_t n);

/* Friendships.  Adding an existing friendship or one with oneself is allowed here (the parser
 * reports those); both are ignored. 0, or -1 out of memory. */
int ps_model_add_friendship(ps_model *m, uint32_t a, uint32_t b);
/* Removes a friendship if present.  Returns true if it was there. */
bool ps_model_remove_friendship(ps_model *m, uint32_t a, uint32_t b);
/* The sorted friends of `u`; *n receives their count.  Rebuilds the adjacency if stale.
 * Borrowed: valid until the next change of friendships.  NULL (and *n = 0) out of memory. */
const uint32_t *ps_model_friends(ps_model *m, uint32_t u, uint32_t *n);
/* True when a and b are friends (binary search). */
bool ps_model_are_friends(ps_model *m, uint32_t a, uint32_t b);
/* Number of distinct friendships. */
uint32_t ps_model_nfriendships(ps_model *m);

/* Effective per-user settings (the user's own, else the platform default). */
bool ps_user_tag_review(const ps_model *m, uint32_t u);
/* Whether u's name and picture are in the public search listing (rule and u's setting). */
bool ps_user_search_listing(const ps_model *m, uint32_t u);
/* Whether a live tag on `it` may reach the tagged person's friends, as far as the rule
 * tag-extends and the owner's choice (the item's tag-friends=) go; the audience must also be
 * broad. */
bool ps_item_tag_friends(const ps_model *m, const ps_item *it);
/* Whether network `n` counts in audiences (a regional one only under regional-networks). */
bool ps_network_counts(const ps_model *m, uint32_t n);
uint32_t ps_user_apps_cats(const ps_model *m, uint32_t u);
/* The category of an item (PS_CAT_POSTS, PS_CAT_PHOTOS or its field). */
unsigned ps_item_category(const ps_item *it);
/* The audience that applies to an item: its own, else the platform default for its
 * category minus the item's own hide set (`hide=` without `audience=`).  Borrowed. */
ps_audience ps_item_audience(const ps_model *m, const ps_item *it);
/* True when `u` is a member of the list/network/group. */
bool ps_list_has(const ps_list *l, uint32_t u);
bool ps_network_has(const ps_network *n, uint32_t u);
bool ps_group_has(const ps_group *g, uint32_t u);

/* Rules (platform.c) */
/* The field mask of a fields rule (see ps_rule_is_fields) inside `r`; NULL for another rule. */
uint32_t *ps_rule_fields(ps_rules *r, ps_rule_id id);
void ps_rules_free(ps_rules *r);
int ps_rules_copy(ps_rules *dst, const ps_rules *src);
/* Copies rule `id` (for PS_RULE_DEFAULT_AUDIENCE, the categories in `cats`) from src to dst.
 * 0, or -1 out of memory. */
int ps_rules_set_one(ps_rules *dst, const ps_rules *src, ps_rule_id id, uint32_t cats);
/* The rules of preset `name`, written into *out (which the caller later frees with
 * ps_rules_free).  0, or -1 when there is no such preset. */
int ps_platform_preset(const char *name, size_t len, ps_rules *out);
/* The NULL-terminated list of preset names, newest-default first is PS_DEFAULT_PLATFORM. */
const char *const *ps_platform_names(void);
#define PS_DEFAULT_PLATFORM "facebook-2015"
/* The month preset `name` begins ("2010-04"), NULL for a preset outside history (strict) or
 * an unknown name.  ps_platform_names() lists the presets in this order. */
const char *ps_platform_date(const char *name);
/* Cells of a preset: every rule but default-audience, then default.CATEGORY for each
 * category.  The cell's name ("reshare", "default.birthday") and its value as a rule line
 * writes it, into buf; both return buf. */
/* A set of categories (bits of `mask` below `ncats`) as the language writes it: `all` (when
 * `all` and every category is in it), `none`, or a comma list, into buf. */
void ps_categories_text(uint32_t mask, unsigned ncats, bool all, char *buf, size_t cap);
unsigned ps_platform_ncells(void);
const char *ps_platform_cell_name(unsigned cell, char *buf, size_t cap);
const char *ps_platform_cell_text(const ps_rules *r, unsigned cell, char *buf, size_t cap);
/* Replaces the model's platform with preset `name` and re-applies the file's rule lines.
 * 0, or -1 when there is no such preset (the model is unchanged). */
int ps_model_set_platform(ps_model *m, const char *name);

#endif
