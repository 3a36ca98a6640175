/* baseline.c - exposure fingerprints and baseline files (see baseline.h). */
#include "baseline.h"

#include <stdio.h>

const char *ps_exposure_fingerprint(const ps_model *m, const ps_exposure *x, char *buf, size_t cap)
{
    char viewer[512], shape[512];
    snprintf(buf, cap, "%s|%s|%s|%s", m->items[x->item].name,
             ps_viewer_name(m, x->viewer, viewer, sizeof viewer),
             ps_severity_name((ps_severity)x->severity),
             ps_path_shape_text(&x->path, shape, sizeof shape));
    return buf;
}
