/*
 * Subcommands whose implementation has not landed yet.  Each entry is
 * removed from this file in the commit that implements it.
 */
#include <stdio.h>
#include "tool.h"

#define PENDING(fn, name)                                                  \
	int fn(int argc, char **argv)                                      \
	{                                                                  \
		(void)argc;                                                \
		(void)argv;                                                \
		fprintf(stderr, "gbatool: %s: not implemented yet\n", name); \
		return TOOL_EXIT_FAIL;                                     \
	}

PENDING(cmd_sms, "sms")
