/* split.h - giving a person a second account: one circle of friends moves to it.
 *
 * `privsim import snap-ego DIR --ego N --split CIRCLE` asks the question of the SNAP data:
 * if the ego had kept a second account for the friends of one circle, how many of the
 * others could tell that the two accounts are one person?  The split adds the user
 * `uN-alt`, makes it a friend of every member of the circle, ends the ego's friendship with
 * the members who are in no other of the ego's circles (members of several circles know the
 * ego in both roles and stay friends of both accounts; in the lists of those who move, the
 * second account takes the ego's place), empties the circle's list, and adds
 * `person uN accounts=uN,uN-alt forbid-link=friends`: the ego's remaining friends must not
 * link the accounts.
 */
#ifndef PS_SPLIT_H
#define PS_SPLIT_H

#include "model.h"

typedef struct {
    uint32_t moved;        /* circle members who are now friends of the second account only */
    uint32_t both;         /* circle members who stay friends of both accounts */
    uint32_t remaining;    /* the ego's friends after the split */
} ps_split_stats;

/**
 * Splits user `ego` by its friend list `circle` (NULL or "largest": the ego's largest list,
 * the first one on a tie).  0, 1 when the ego has no such list (or no list), -1 out of
 * memory or when the name of the second account is taken.  `st` may be NULL.
 */
int ps_split_account(ps_model *m, uint32_t ego, const char *circle, ps_split_stats *st);

#endif
