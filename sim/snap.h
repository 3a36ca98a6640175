/* snap.h - reading the SNAP ego-Facebook data set into a scenario model.
 *
 * The data set (https://snap.stanford.edu/data/ego-Facebook.html; McAuley and Leskovec,
 * NIPS 2012) holds ten people ("egos") who shared their friend lists: for each ego N,
 * N.edges (friendships among N's friends), N.feat and N.egofeat (anonymized 0/1 profile
 * features of the friends and of N), N.featnames (what each feature column is) and
 * N.circles (the friend lists N drew by hand); facebook_combined.txt is the union graph.
 *
 * What becomes what:
 *   - every person id I is a user `uI`;
 *   - every friendship of the files is a friendship; in one ego's network the ego is also a
 *     friend of everyone listed in N.feat or N.edges;
 *   - each of the ego's circles is a friend list of the ego (`list uN circle0 ...`), with
 *     only the members who are the ego's friends;
 *   - features of kind work;employer, education;school, location and hometown are
 *     networks: the people (two or more) who share a value form the network
 *     `employer-V`, `school-V`, `location-V` or `hometown-V`, V being the anonymized value.
 *
 * Files are read whole; LF and CRLF line endings are both accepted.  Problems are reported
 * to a ps_diag as `FILE:LINE:COL: error: ...`, all of them up to the diag's limit.
 */
#ifndef PS_SNAP_H
#define PS_SNAP_H

#include "diag.h"
#include "model.h"

#include <stdbool.h>
#include <stdint.h>

/* What to read. */
typedef struct {
    const char *dir;       /* the data set's directory */
    bool combined;         /* facebook_combined.txt, with every ego's circles and features */
    uint32_t ego;          /* the ego whose network is read, when not `combined` */
} ps_snap_opts;

/* What was read (for a summary line). */
typedef struct {
    uint32_t people;
    uint32_t friendships;
    uint32_t lists;        /* circles kept as friend lists */
    uint32_t networks;
    uint32_t memberships;  /* network memberships over all networks */
    uint32_t dropped;      /* circle members left out because they are not the ego's friend */
    uint32_t egos;         /* egos whose circles or features were read */
} ps_snap_stats;

/* Return values of ps_snap_import() besides 0. */
#define PS_SNAP_EINPUT (-1) /* a file is missing or malformed; the errors are in the diag */
#define PS_SNAP_ENOMEM (-2) /* out of memory */

/**
 * Builds a scenario model from the SNAP files (see the file comment).
 *
 * Required: DIR/N.edges and DIR/N.feat for one ego; DIR/facebook_combined.txt when
 * combined.  Optional: N.circles, N.featnames, N.egofeat (for combined, of every ego found
 * in DIR).  Users are created in increasing order of id; networks in order of kind
 * (employer, school, location, hometown), then value.
 *
 * @param o      what to read
 * @param out    [out] the model (platform: the newest preset), the caller's to free with
 *               ps_model_free(); NULL on failure
 * @param stats  [out] counts of what was read (may be NULL)
 * @param d      where errors and warnings go
 * @return 0, PS_SNAP_EINPUT or PS_SNAP_ENOMEM
 */
int ps_snap_import(const ps_snap_opts *o, ps_model **out, ps_snap_stats *stats, ps_diag *d);

#endif
