/* outfile.h - an output file written atomically: readers never see half a document. */
#ifndef PS_OUTFILE_H
#define PS_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

/* Output to a file written atomically: ps_output_open() returns stdout for NULL or "-",
 * else a temporary file beside `path`; ps_output_close() renames it into place when `ok`
 * (else removes it).  Returns 0, or -1 after printing an error. */
typedef struct { FILE *f; char *path; char *tmp; } ps_output;
int ps_output_open(ps_output *o, const char *path);
int ps_output_close(ps_output *o, bool ok);

#endif
