/* outfile.h - an output file written atomically: readers never see half a document. */
#ifndef PS_OUTFILE_H
#define PS_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

/* Output to a file written atomically (atomic.h): ps_output_open() returns stdout for NULL
 * or "-", else a temporary file beside `path`; ps_output_close() syncs it and renames it into
 * place when `ok` (else removes it).  Both return 0, or after printing an error -1 (or, from
 * ps_output_open(), PS_OUTPUT_REFUSED when `path` is an input file of the command). */
#define PS_OUTPUT_REFUSED (-2)
typedef struct { FILE *f; char *path; char *tmp; } ps_output;
int ps_output_open(ps_output *o, const char *path);
int ps_output_close(ps_output *o, bool ok);

#endif
