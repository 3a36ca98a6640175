/* print.h - writing a model back as a .psim scenario, and comparing two models.
 *
 * ps_print_scenario() writes the canonical form of a scenario, the one `privsim fmt` prints
 * and the fuzzer saves its findings in: sections in a fixed order (platform, rules, users,
 * friendships, networks, groups, lists, personas, apps, items, fields, settings, steps,
 * expects, varies), sorted by name where the order does not matter (names in natural order,
 * so p2 comes before p10), columns aligned, long lines continued with a backslash.  Reading
 * the output again gives a model equal to the one printed (ps_model_equal).
 *
 * The smaller printers are shared with the engine and the command line.  None of them
 * allocates anything the caller must free.
 */
#ifndef PS_PRINT_H
#define PS_PRINT_H

#include "model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Writes the whole scenario in canonical form.  0, or -1 on a write error or out of
 * memory. */
int ps_print_scenario(FILE *out, const ps_model *m);

/* Writes a union of terms as written in a file: `list:coworkers,network:acme`.  A list is
 * written by its name alone (lists belong to the audience's owner). */
void ps_print_terms(FILE *out, const ps_model *m, const ps_terms *t);
/* Writes `audience=TERMS` and, when there is a hide set, ` hide=TERMS`. */
void ps_print_audience(FILE *out, const ps_model *m, const ps_audience *a);
/* Writes one setting as `set` takes it: `tag-review=on`, `apps-through-friends=birthday`,
 * or `ITEM audience=TERMS [hide=TERMS]`. */
void ps_print_setting(FILE *out, const ps_model *m, const ps_setting *s);
/* Writes a step without the leading `do`: `erin share p1 audience=public`. */
void ps_print_step(FILE *out, const ps_model *m, const ps_step *s);
/* Writes the value of rule `id` in `r` as a rule line takes it (for default-audience, the
 * value of category `cat`). */
void ps_print_rule_value(FILE *out, const ps_rules *r, ps_rule_id id, unsigned cat);
/* Writes a set of categories: `birthday,photos`, `all` or `none` (`fields_only`: a set of
 * profile fields, where `all` is not used). */
void ps_print_categories(FILE *out, uint32_t mask, bool fields_only);
/* A rule of linkage as its `rule` line writes it, into buf: `rule link-mutual-friends =
 * at-least-3` (`off` for 0) with `mutual`, else `rule contact-suggestions = phone,email`
 * (`none` for 0) for the fields in `value`. */
const char *ps_link_rule_text(char *buf, size_t cap, bool mutual, uint32_t value);
/* Writes a string in double quotes with `"` and `\` escaped; characters that a scenario
 * cannot hold (control characters other than tab) become U+FFFD. */
void ps_print_string(FILE *out, const char *s);

/* The words a rule with a fixed set of values takes, indexed by value and NULL-terminated
 * (tag-extends, tag-review-default, reshare, apps-through-friends, friendship-visibility,
 * interaction-extends); NULL for the other rules. */
const char *const *ps_rule_choices(ps_rule_id id);
/* "open", "closed" or "secret". */
const char *ps_group_kind_name(unsigned kind);

/* True when rule `id` (for default-audience, every category in `cats`) has the same value
 * in `a` and `b`. */
bool ps_rule_equal(const ps_rules *a, const ps_rules *b, ps_rule_id id, uint32_t cats);

/* True when two models describe the same scenario: the same names with the same
 * attributes, whatever the order of declaration (objects are matched by name, member sets
 * compared as sets, audiences term by term as written, steps, expects and varies in order).
 * Source positions and the text of vary alternatives are not compared.  When they differ
 * and `why` is not NULL, the first difference is described in `why`. */
bool ps_model_equal(const ps_model *a, const ps_model *b, char *why, size_t whylen);

#endif
