/* cli.h - the subcommands of wrench-central (cli.c). */
#ifndef WRENCH_CENTRAL_CLI_H
#define WRENCH_CENTRAL_CLI_H

#include "util.h"

int cmd_migrate(int argc, char **argv, struct wr_err *e);
int cmd_token(int argc, char **argv, struct wr_err *e);
int cmd_compact(int argc, char **argv, struct wr_err *e);
int cmd_serve(int argc, char **argv, struct wr_err *e);

#endif
