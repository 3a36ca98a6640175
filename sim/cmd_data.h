/* cmd_data.h - the entry points of the data commands, `privsim import` and `privsim gen`
 * (argv[0] is the command's name; the return value is the exit status, cli.h). */
#ifndef PS_CMD_DATA_H
#define PS_CMD_DATA_H

int ps_cmd_import(int argc, char **argv);
int ps_cmd_gen(int argc, char **argv);

#endif
