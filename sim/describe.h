/* describe.h - leak paths in words, for people: one sentence per link, and the rule or
 * setting that lets each link through.  Shared by the text, JSON, SARIF, diagram and HTML
 * outputs so that they all say the same thing. */
#ifndef PS_DESCRIBE_H
#define PS_DESCRIBE_H

#include "engine.h"

/* A sentence for link `i` of `p`, e.g. "dave is a friend of al, who is tagged in ph1". */
const char *ps_link_text(const ps_model *m, const ps_path *p, uint32_t i, char *buf, size_t cap);
/* The rule or setting behind link `i`, e.g. "rule tag-extends = tagged-friends; al:
 * tag-review=off"; "" when the link is the owner's own choice. */
const char *ps_link_basis(const ps_model *m, const ps_path *p, uint32_t i, char *buf,
                          size_t cap);
/* A short label for link `i` for diagrams: "tag (friend)", "audience fof", ... */
const char *ps_link_label(const ps_model *m, const ps_path *p, uint32_t i, char *buf,
                          size_t cap);
/* The kind of an item as a word: "post", "photo", "field". */
const char *ps_item_kind_name(ps_item_kind k);
/* A one-line description of an item: "photo ph1 by frank (persona al.weekend)". */
const char *ps_item_text(const ps_model *m, uint32_t item, char *buf, size_t cap);

#endif
